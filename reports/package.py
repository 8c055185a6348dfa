"""The evidence package of one report: a ZIP for a law-enforcement referral.

Contents (every file is listed in ``manifest.json`` with its SHA-256 and size):

- ``notice.txt`` / ``notice.html`` — the notice as sent to the platform (DSA Art. 16 contents);
- ``listing.json`` — the listing details as captured;
- ``images/`` — the re-encoded screenshots viewers see; ``originals/`` — the uploaded bytes, in
  admin packages only (companies get the same hashes, not the files);
- ``hashes.txt`` — ``sha256sum``-style lines for the evidence, as recorded at upload;
- ``timeline.json`` — the report's audit events. Admin packages add each event's place in the
  keyed audit chain (seq, hash, prev_hash: checkable with the audit key). Company packages carry
  no chain hashes and no event ids, and actors appear by role only: nothing in them is computed
  from the volunteer's identity or IP address (docs/security.md);
- ``signature.json`` — an Ed25519 signature over ``manifest.json`` (reports/signing.py), so the
  whole package can be checked against the programme's published key.

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

from spotter.audit import seal_pending
from spotter.models import AuditEvent, AuditSeal, User

from .cites import cites_for_report
from .models import Report
from .notices import listing_details, notice_context, notice_language
from .permissions import actor_label_for, can_see_original_evidence
from .selectors import report_timeline
from .signing import ALGORITHM, key_id, sign

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
            "cites": cites_for_report(report).as_payload(),
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
    seals: dict[int, AuditSeal] = {}
    if full:
        seal_pending()  # on demand, so the admin's copy carries every event's chain position
        seals = {s.event_id: s for s in AuditSeal.objects.filter(event__in=events)}
    rows = []
    for event in events:
        row = {
            "at": event.created_at.isoformat(),
            "action": event.action,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "actor": str(actor_label_for(viewer, report, event.actor)),
        }
        if full:
            seal = seals.get(event.pk)
            row.update(
                {
                    "id": event.pk,
                    "reason": event.reason,
                    "data": event.data,
                    "ip": event.ip_address,
                    "seq": seal.seq if seal else None,
                    "hash": seal.hash if seal else None,
                    "prev_hash": seal.prev_hash if seal else None,
                }
            )
        rows.append(row)
    return rows


def build_package(
    report: Report, *, viewer: User, generated_for: str | None = None, language: str | None = None
) -> bytes:
    """The ZIP as bytes (a report holds at most 5 screenshots of at most 8 MB each).

    ``generated_for`` / ``language`` name another recipient than the viewer's kind and the
    company's notice language (a referral partner gets the company-grade package)."""
    originals = can_see_original_evidence(viewer)
    files: list[tuple[str, bytes]] = []
    # The notice files are in the company's notice language; every other file is data.
    with translation.override(language or notice_language(report.company)):
        context = notice_context(report)
        files.append(
            ("notice.txt", render_to_string("reports/notice/notice.txt", context).encode())
        )
        files.append(
            ("notice.html", render_to_string("reports/notice/notice.html", context).encode())
        )
        # Data, except the CITES statement, which reads like the notice.
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
        "generated_for": generated_for
        or ("programme admin" if viewer.is_programme_admin else "member company"),
        "originals_included": originals,
        "files": [
            {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in files
        ],
    }
    manifest_bytes = _json(manifest)
    files.append(("manifest.json", manifest_bytes))
    signature = {
        "algorithm": ALGORITHM,
        "key_id": key_id(),
        "public_key_url": "/.well-known/evidence-package-key",
        "signed_file": "manifest.json",
        "signature": sign(manifest_bytes),
    }
    files.append(("signature.json", _json(signature)))

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(f"{report.reference}/{name}", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str).encode()
