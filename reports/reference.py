"""Loading the reference data shipped in reports/data/ (idempotent: safe to run repeatedly)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.dispatch import Signal

from .models import MemberCompany, PlatformDomain, ProductType, Species, SpeciesGroup

DATA_DIR = Path(__file__).resolve().parent / "data"

# Sent by ``manage.py load_reference`` after the reference data is loaded, so a higher app
# (keywords: the starter library) loads its own reference data without reports importing it.
reference_loaded = Signal()

SPECIES_GROUPS = [
    ("elephants", "Elephants (ivory)"),
    ("pangolins", "Pangolins"),
    ("marine-turtles", "Marine turtles"),
    ("rhinos", "Rhinoceroses"),
    ("big-cats", "Big cats"),
    ("primates", "Live primates"),
    ("birds", "Birds"),
    ("reptiles", "Reptiles"),
    ("tibetan-antelope", "Tibetan antelope"),
    ("other", "Other species"),
]

PRODUCT_TYPES = [
    ("live-animal", "Live animal"),
    ("ivory-carving", "Ivory / carving"),
    ("scales", "Scales"),
    ("shell", "Shell / tortoiseshell"),
    ("horn", "Horn"),
    ("skin-fur", "Skin / fur"),
    ("bone-teeth-claws", "Bone / teeth / claws"),
    ("traditional-medicine", "Traditional medicine"),
    ("feathers", "Feathers"),
    ("other", "Other"),
]


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    for order, (slug, name) in enumerate(SPECIES_GROUPS):
        SpeciesGroup.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})
    for order, (slug, name) in enumerate(PRODUCT_TYPES):
        ProductType.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})
    groups = {g.slug: g for g in SpeciesGroup.objects.all()}

    species = json.loads((DATA_DIR / "species.json").read_text(encoding="utf-8"))
    for row in species:
        Species.objects.update_or_create(
            scientific_name=row["scientific_name"],
            defaults={
                "common_name_en": row["common_name_en"],
                "common_name_zh": row.get("common_name_zh", ""),
                "common_name_fr": row.get("common_name_fr", ""),
                "group": groups[row["group"]],
                "cites_appendix": row["cites_appendix"],
                "cites_note": row.get("cites_note", ""),
            },
        )

    companies = json.loads((DATA_DIR / "companies.json").read_text(encoding="utf-8"))
    for row in companies:
        company, created = MemberCompany.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "local_name": row.get("local_name", ""),
                "country": row.get("country", ""),
                "enforcement_email": row.get("enforcement_email", ""),
                "is_active": row.get("active", True),
            },
        )
        # Domains are added, never removed: admins may have edited them.
        for domain in row.get("domains", []):
            PlatformDomain.objects.get_or_create(
                domain=domain.lower(), defaults={"company": company}
            )
    return {
        "species_groups": SpeciesGroup.objects.count(),
        "species": Species.objects.count(),
        "product_types": ProductType.objects.count(),
        "companies": MemberCompany.objects.count(),
        "domains": PlatformDomain.objects.count(),
    }
