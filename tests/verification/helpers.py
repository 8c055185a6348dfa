"""Decided reports in bulk (straight rows: the services would take seconds for hundreds)."""

from __future__ import annotations

from itertools import count

from django.utils import timezone

from reports.models import Report, ReportStatus, Species, SpeciesGroup, Verdict
from tests import factories

_seq = count(1)

PROHIBITED = [
    "genuine elephant ivory bangle old stock",
    "pangolin scales 500 g medicine",
    "rhino horn cup genuine",
    "象牙手镯 老料 保真",
    "穿山甲片 正品 药用",
    "écailles de pangolin 1 kg",
]
LEGAL = [
    "resin replica bangle, acrylic",
    "faux tortoiseshell hair clip acetate",
    "cattle horn comb polished",
    "树脂 仿象牙 挂件",
    "牛角梳 手工",
    "peluche tigre jouet enfant",
]


def make_decided(confirmed: int, rejected: int, volunteer=None) -> list[Report]:
    volunteer = volunteer or factories.make_user("volunteer")
    species = factories.get_species()
    product = factories.get_product_type()
    now = timezone.now()
    rows = []
    for i in range(confirmed + rejected):
        n = next(_seq)
        is_confirmed = i < confirmed
        texts = PROHIBITED if is_confirmed else LEGAL
        url = f"https://www.example-shop.com/bulk/{n}"
        rows.append(
            Report(
                reference=f"BULK-{n:06d}",
                volunteer=volunteer,
                status=ReportStatus.CONFIRMED if is_confirmed else ReportStatus.REJECTED,
                verdict=Verdict.CONFIRMED if is_confirmed else Verdict.REJECTED,
                rejection_reason="" if is_confirmed else "not_wildlife",
                decided_at=now,
                listing_url=url,
                normalized_url=url,
                domain="example-shop.com",
                listing_title=f"{texts[n % len(texts)]} #{n}",
                listing_text="Ships worldwide.",
                species=species,
                species_reported=species,
                product_type=product,
            )
        )
    return Report.objects.bulk_create(rows)


# Confirmed listings of three species groups, each with its own product type.
BY_GROUP = {
    "elephants": (
        "Loxodonta africana",
        "ivory-carving",
        [
            "genuine elephant ivory bangle old stock",
            "象牙手镯 老料 保真",
            "carved ivory netsuke antique",
            "象牙雕刻 摆件 老象牙",
            "ivoire d'éléphant sculpté ancien",
        ],
    ),
    "pangolins": (
        "Manis pentadactyla",
        "scales",
        [
            "pangolin scales 500 g medicine",
            "穿山甲片 正品 药用",
            "écailles de pangolin 1 kg",
            "dried pangolin scale powder",
            "穿山甲鳞片 炮制",
        ],
    ),
    "marine-turtles": (
        "Eretmochelys imbricata",
        "tortoiseshell",
        [
            "hawksbill turtle shell bracelet real",
            "玳瑁手镯 真玳瑁",
            "écaille de tortue imbriquée peigne",
            "genuine tortoiseshell hawksbill comb",
            "玳瑁 眼镜框 老货",
        ],
    ),
}


def make_confirmed_by_group(per_group: dict[str, int], volunteer=None) -> list[Report]:
    """``per_group``: group slug → how many confirmed reports of that group (and its product)."""
    volunteer = volunteer or factories.make_user("volunteer")
    now = timezone.now()
    rows = []
    for slug, how_many in per_group.items():
        scientific, product_slug, texts = BY_GROUP[slug]
        group, _ = SpeciesGroup.objects.get_or_create(
            slug=slug, defaults={"name": slug.replace("-", " ").title()}
        )
        species, _ = Species.objects.get_or_create(
            scientific_name=scientific,
            defaults={"common_name_en": scientific, "group": group, "cites_appendix": "I"},
        )
        product = factories.get_product_type(product_slug)
        for _i in range(how_many):
            n = next(_seq)
            url = f"https://www.example-shop.com/group/{n}"
            rows.append(
                Report(
                    reference=f"GRP-{n:06d}",
                    volunteer=volunteer,
                    status=ReportStatus.CONFIRMED,
                    verdict=Verdict.CONFIRMED,
                    decided_at=now,
                    listing_url=url,
                    normalized_url=url,
                    domain="example-shop.com",
                    listing_title=f"{texts[n % len(texts)]} #{n}",
                    listing_text="Ships worldwide.",
                    species=species,
                    species_reported=species,
                    product_type=product,
                )
            )
    return Report.objects.bulk_create(rows)


def train_small_model(settings):
    """A model trained on a small fixture (three suggestable groups, 20 confirmed / 30 rejected
    decisions), active and with its portable form; ``settings`` is pytest-django's fixture."""
    from verification import training
    from verification.models import RunStatus

    settings.VERIFICATION_MIN_DECIDED = 40
    settings.VERIFICATION_MIN_PER_CLASS = 10
    make_confirmed_by_group({"elephants": 15, "pangolins": 15, "marine-turtles": 15})
    make_decided(20, 30)
    run = training.train()
    assert run.status == RunStatus.ACTIVE and run.portable
    return run
