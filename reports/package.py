"""The evidence package of one report: a ZIP for a law-enforcement referral.

Contents (every file is listed in ``manifest.json`` with its SHA-256 and size):

- ``notice.txt`` / ``notice.html`` — the notice as sent to the platform (DSA Art. 16 contents);
- ``listing.json`` — the listing details as captured;
- ``images/`` — the re-encoded screenshots viewers see; ``originals/`` — the uploaded bytes, in
  admin packages only (companies get the same hashes, not the files);
- ``hashes.txt`` — ``sha256sum``-style lines for the evidence, as recorded at upload;
- ``timeline.json`` — the report's audit events with their chain hashes. Actors appear by role
  only in company packages: the volunteer is never identified to a company.

Building a package is itself audited (``report.package_downloaded``) by the view.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from spotter.models import AuditEvent, User
from spotter.permissions import actor_label_for, can_see_original_evidence

from .models import Report
from .notices import listing_details, notice_context
from .selectors import report_timeline

# A fixed timestamp inside the archive keeps identical content byte-identical.
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def _listing(report: Report) -> dict[str, Any]:
    species = report.species
    return {
        "reference": report.reference,
        "status": report.status,
        **listing_details(report),
        "platform": report.company.name if report.company else None,
        "species": {
            "scientific_name": species.scientific_name,
            "common_name": species.common_name_en,
            "cites_appendix": species.cites_appendix,
        }
        if species
        else {"description": report.species_other},
        "product_type": report.product_type.slug,
        "submitted_at": report.submitted_at.isoformat(),
        "decided_at": report.decided_at.isoformat() if report.decided_at else None,
        "forwarded_at": report.forwarded_at.isoformat() if report.forwarded_at else None,
        "outcome": report.outcome or None,
        "outcome_at": report.outcome_at.isoformat() if report.outcome_at else None,
    }


def _timeline(report: Report, viewer: User) -> list[dict[str, Any]]:
    full = viewer.is_programme_admin
    events: list[AuditEvent] = list(report_timeline(report))
    rows = []
    for event in events:
        row = {
            "id": event.pk,
            "at": event.created_at.isoformat(),
            "action": event.action,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "actor": str(actor_label_for(viewer, report, event.actor)),
            "hash": event.hash,
            "prev_hash": event.prev_hash,
        }
        if full:
            row.update({"reason": event.reason, "data": event.data, "ip": event.ip_address})
        rows.append(row)
    return rows


def build_package(report: Report, *, viewer: User) -> bytes:
    """The ZIP as bytes (a report holds at most 5 screenshots of at most 8 MB each)."""
    originals = can_see_original_evidence(viewer)
    files: list[tuple[str, bytes]] = []
    with translation.override("en"):
        context = notice_context(report)
        files.append(
            ("notice.txt", render_to_string("reports/notice/notice.txt", context).encode())
        )
        files.append(
            ("notice.html", render_to_string("reports/notice/notice.html", context).encode())
        )
    files.append(("listing.json", _json(_listing(report))))

    hash_lines = []
    for number, evidence in enumerate(report.evidence.all(), start=1):
        with evidence.image.open("rb") as handle:
            files.append((f"images/{number}.png", handle.read()))
        hash_lines.append(f"{evidence.image_sha256}  images/{number}.png")
        ext = evidence.original_format.lower().replace("jpeg", "jpg")
        if originals and evidence.original:
            with evidence.original.open("rb") as handle:
                files.append((f"originals/{number}.{ext}", handle.read()))
            hash_lines.append(f"{evidence.original_sha256}  originals/{number}.{ext}")
        else:
            # The hash of the upload is evidence even where the file itself is not included.
            hash_lines.append(
                f"{evidence.original_sha256}  (original {number}.{ext}, not included)"
            )
    files.append(("hashes.txt", ("\n".join(hash_lines) + "\n").encode()))
    files.append(("timeline.json", _json(_timeline(report, viewer))))

    manifest = {
        "reference": report.reference,
        "generated_at": timezone.now().isoformat(),
        "generated_for": "programme admin" if viewer.is_programme_admin else "member company",
        "originals_included": originals,
        "files": [
            {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in files
        ],
    }
    files.append(("manifest.json", _json(manifest)))

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(f"{report.reference}/{name}", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str).encode()
