"""Factories for tests. Users are made through the same service as real accounts."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone
from PIL import Image

from reports import services
from reports.evidence import process_image
from reports.models import MemberCompany, PlatformDomain, ProductType, Species, SpeciesGroup
from spotter.models import Role, User
from spotter.services import create_user_with_role

PASSWORD = "correct-horse-battery-staple"
_seq = count(1)


def make_user(
    role: str = Role.VOLUNTEER, *, company=None, email=None, certified=True, country="US", **extra
) -> User:
    n = next(_seq)
    user = create_user_with_role(
        email=email or f"{role.replace('_', '-')}{n}@example.org",
        role=role,
        password=PASSWORD,
        company=company,
        display_name=extra.pop("display_name", f"{role} {n}"),
        country=country,
    )
    for key, value in extra.items():
        setattr(user, key, value)
    if extra:
        user.save()
    if role == Role.VOLUNTEER and certified:
        certify(user)
    return user


def certify(user: User) -> None:
    """Give a volunteer a valid spotter certificate (the training app decides what that is)."""
    try:
        from training.models import Certificate
    except ImportError:  # pragma: no cover - training app not built yet
        return
    now = timezone.now()
    Certificate.objects.create(user=user, issued_at=now, expires_at=now + timedelta(days=365))


def make_company(slug=None, domains=("example-shop.com",), **fields) -> MemberCompany:
    n = next(_seq)
    slug = slug or f"company-{n}"
    company = MemberCompany.objects.create(
        slug=slug,
        name=fields.pop("name", f"Company {n}"),
        enforcement_email=fields.pop("enforcement_email", f"enforcement@{slug}.invalid"),
        **fields,
    )
    for domain in domains:
        PlatformDomain.objects.create(company=company, domain=domain)
    return company


def get_species(scientific_name="Manis pentadactyla") -> Species:
    species = Species.objects.filter(scientific_name=scientific_name).first()
    if species:
        return species
    group, _ = SpeciesGroup.objects.get_or_create(slug="pangolins", defaults={"name": "Pangolins"})
    return Species.objects.create(
        scientific_name=scientific_name,
        common_name_en="Chinese pangolin",
        group=group,
        cites_appendix="I",
    )


def get_product_type(slug="scales") -> ProductType:
    product, _ = ProductType.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
    return product


def png_bytes(width=40, height=30, colour=(200, 50, 50), fmt="PNG", **save_kwargs) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    out = io.BytesIO()
    image.save(out, format=fmt, **save_kwargs)
    return out.getvalue()


def details(url="https://www.example-shop.com/item/1", **overrides) -> services.ListingDetails:
    values = {
        "listing_url": url,
        "listing_title": "Pangolin scales 500 g",
        "product_type": get_product_type(),
        "species": get_species(),
        "listing_text": "Genuine scales, bulk discount",
        "price": Decimal("120.00"),
        "currency": "USD",
        "seller_handle": "seller_x",
        "quantity": 1,
    }
    values.update(overrides)
    return services.ListingDetails(**values)


def make_report(volunteer=None, *, url=None, **overrides):
    volunteer = volunteer or make_user(Role.VOLUNTEER)
    url = url or f"https://www.example-shop.com/item/{next(_seq)}"
    return services.submit_report(
        volunteer=volunteer,
        details=details(url, **overrides),
        images=[process_image(png_bytes(), "shot.png")],
        image_names=["shot.png"],
    )


def make_confirmed_report(*, expert=None, **kwargs):
    report = make_report(**kwargs)
    expert = expert or make_user(Role.EXPERT)
    services.claim_report(report=report, expert=expert)
    return services.confirm_report(report=report, expert=expert)
