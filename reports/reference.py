"""Loading the reference data shipped in reports/data/ (idempotent: safe to run repeatedly).

Species groups, product types and species carry their names (and the species their CITES
notes) in English, French and Simplified Chinese; tests/reports/test_reference_i18n.py checks
that every row of the data files has all three."""

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


def _read(name: str) -> list[dict]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _names(row: dict) -> dict[str, str]:
    """A group's or product type's name in the three interface languages."""
    return {"name": row["name_en"], "name_fr": row["name_fr"], "name_zh": row["name_zh"]}


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    for order, row in enumerate(_read("species_groups.json")):
        SpeciesGroup.objects.update_or_create(
            slug=row["slug"], defaults={**_names(row), "order": order}
        )
    for order, row in enumerate(_read("product_types.json")):
        ProductType.objects.update_or_create(
            slug=row["slug"], defaults={**_names(row), "order": order}
        )
    groups = {g.slug: g for g in SpeciesGroup.objects.all()}

    for row in _read("species.json"):
        Species.objects.update_or_create(
            scientific_name=row["scientific_name"],
            defaults={
                "common_name_en": row["common_name_en"],
                "common_name_zh": row.get("common_name_zh", ""),
                "common_name_fr": row.get("common_name_fr", ""),
                "group": groups[row["group"]],
                "cites_appendix": row["cites_appendix"],
                "cites_note": row.get("cites_note", ""),
                "cites_note_fr": row.get("cites_note_fr", ""),
                "cites_note_zh": row.get("cites_note_zh", ""),
            },
        )

    for row in _read("companies.json"):
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
