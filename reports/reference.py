"""Loading the reference data shipped in reports/data/ (idempotent: safe to run repeatedly).

Species groups, product types and species carry their names (and the species their CITES
notes) in English, French and Simplified Chinese; tests/reports/test_reference_i18n.py checks
that every row of the data files has all three.

The species' CITES listing history comes from ``cites_history.json`` (docs/cites.md) and is
recorded as the first catalogue version. Once an admin has imported a newer catalogue version
(reports/catalogue_import.py), that version is the truth: the shipped species data is no longer
written over it (the loader then adds only what is missing: groups, product types, companies).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import transaction
from django.dispatch import Signal

from .cites import refresh_current_appendices
from .models import (
    CatalogueVersion,
    CitesListing,
    MemberCompany,
    PlatformDomain,
    ProductType,
    Species,
    SpeciesGroup,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

# Sent by ``manage.py load_reference`` after the reference data is loaded, so a higher app
# (keywords: the starter library) loads its own reference data without reports importing it.
reference_loaded = Signal()


def _read(name: str) -> list[dict]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _names(row: dict) -> dict[str, str]:
    """A group's or product type's name in the three interface languages."""
    return {"name": row["name_en"], "name_fr": row["name_fr"], "name_zh": row["name_zh"]}


def _history_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_cites_history(species_rows: list[dict]) -> None:
    """Record the shipped history (``cites_history.json``) as the reference catalogue version.
    Rows are added, never changed or removed, so running it again changes nothing."""
    data = json.loads((DATA_DIR / "cites_history.json").read_text(encoding="utf-8"))
    version, _created = CatalogueVersion.objects.get_or_create(
        label=data["version"]["label"],
        defaults={
            "source": CatalogueVersion.Source.REFERENCE,
            "as_of": _history_date(data["version"]["as_of"]),
        },
    )
    entries = {name: change["entries"] for change in data["changes"] for name in change["species"]}
    species = Species.objects.in_bulk(
        [row["scientific_name"] for row in species_rows], field_name="scientific_name"
    )
    known = {
        (row.species_id, row.effective_from)
        for row in CitesListing.objects.filter(species__in=species.values())
    }
    new_rows = []
    for row in species_rows:
        one = species[row["scientific_name"]]
        undated = {"appendix": row["cites_appendix"], "effective_from": None}
        for entry in entries.get(row["scientific_name"], [undated]):
            effective = _history_date(entry["effective_from"])
            if (one.pk, effective) in known:
                continue
            new_rows.append(
                CitesListing(
                    species=one,
                    appendix=entry["appendix"],
                    effective_from=effective,
                    cop=entry.get("cop", ""),
                    cop_number=entry.get("cop_number"),
                    note=entry.get("note", ""),
                    note_fr=entry.get("note_fr", ""),
                    note_zh=entry.get("note_zh", ""),
                    version=version,
                )
            )
    CitesListing.objects.bulk_create(new_rows)
    refresh_current_appendices(species_ids=[one.pk for one in species.values()])


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

    if not CatalogueVersion.objects.filter(source=CatalogueVersion.Source.IMPORT).exists():
        species_rows = _read("species.json")
        for row in species_rows:
            names = {
                "common_name_en": row["common_name_en"],
                "common_name_zh": row.get("common_name_zh", ""),
                "common_name_fr": row.get("common_name_fr", ""),
                "group": groups[row["group"]],
                "cites_note": row.get("cites_note", ""),
                "cites_note_fr": row.get("cites_note_fr", ""),
                "cites_note_zh": row.get("cites_note_zh", ""),
            }
            Species.objects.update_or_create(
                scientific_name=row["scientific_name"],
                defaults=names,
                # The current appendix is derived from the history below once it exists.
                create_defaults={**names, "cites_appendix": row["cites_appendix"]},
            )
        load_cites_history(species_rows)

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
