"""The starter library: generated species names plus the curated file (idempotent).

Generated terms (``generated=True``): every species' scientific name and its English, Chinese
(as ``zh-hans``) and French common names, approved, kind "alternative name", source "species
catalogue". Curated terms come from ``data/starter_terms.json`` (schema in docs/keywords.md).
A term already in the library (same normalised text and language) is left as it is: the loader
never overwrites an expert's edit or un-retires a term.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from reports.models import ProductType, Species, SpeciesGroup

from .models import Term, TermKind, TermStatus
from .normalize import normalize

STARTER_FILE = Path(__file__).resolve().parent / "data" / "starter_terms.json"
CATALOGUE_SOURCE = "species catalogue"
NAME_FIELDS = (
    ("scientific_name", "la"),
    ("common_name_en", "en"),
    ("common_name_zh", "zh-hans"),
    ("common_name_fr", "fr"),
)


def _add(text, language, kind, source, groups, product_type, generated, status=None) -> bool:
    key = normalize(text)
    if not key or Term.objects.filter(normalized=key, language=language).exists():
        return False
    term = Term.objects.create(
        text=text,
        normalized=key,
        language=language,
        kind=kind,
        source=source,
        product_type=product_type,
        status=status or TermStatus.APPROVED,
        approved_at=timezone.now()
        if (status or TermStatus.APPROVED) == TermStatus.APPROVED
        else None,
        generated=generated,
    )
    term.species_groups.set(groups)
    return True


@transaction.atomic
def load_keywords(path: Path = STARTER_FILE) -> dict[str, int]:
    generated = curated = 0
    for species in Species.objects.select_related("group"):
        for field, language in NAME_FIELDS:
            text = getattr(species, field)
            if text:
                generated += _add(
                    text,
                    language,
                    TermKind.ALTERNATIVE_NAME,
                    CATALOGUE_SOURCE,
                    [species.group],
                    None,
                    True,
                )
    groups = {g.slug: g for g in SpeciesGroup.objects.all()}
    products = {p.slug: p for p in ProductType.objects.all()}
    rows = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    for row in rows:
        curated += _add(
            row["text"],
            row["language"],
            row["kind"],
            row.get("source", ""),
            [groups[slug] for slug in row.get("species_groups", []) if slug in groups],
            products.get(row.get("product_type") or ""),
            False,
            # Candidate terms not yet confirmed in public reporting wait for an expert's review
            # (they do not match listings until approved).
            row.get("status", TermStatus.APPROVED),
        )
    return {"generated terms added": generated, "curated terms added": curated}
