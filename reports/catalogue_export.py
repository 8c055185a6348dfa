"""The current catalogue in the import format (reports/catalogue_import.py, docs/cites.md):
what an admin downloads, edits and uploads as the next version."""

from __future__ import annotations

import csv
import io

from .catalogue import Species
from .catalogue_import import COLUMNS
from .cites import latest_listings


def export_rows() -> list[dict[str, str]]:
    """The catalogue as it is, in the import format (a starting point for the next version)."""
    latest = latest_listings()
    rows = []
    for species in Species.objects.filter(retired_at__isnull=True).select_related("group"):
        last = latest.get(species.pk)
        rows.append(
            {
                "scientific_name": species.scientific_name,
                "formerly": "",
                "common_name_en": species.common_name_en,
                "common_name_fr": species.common_name_fr,
                "common_name_zh": species.common_name_zh,
                "group": species.group.slug,
                "cites_appendix": last.appendix if last else species.cites_appendix,
                "effective_from": last.effective_from.isoformat()
                if last and last.effective_from
                else "",
                "cop": last.cop if last else "",
                "note": species.cites_note,
                "note_fr": species.cites_note_fr,
                "note_zh": species.cites_note_zh,
            }
        )
    return rows


def export_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
