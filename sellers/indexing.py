"""Index one report: its seller identifiers and the pHash of each screenshot, with the links
they make to other reports. Idempotent (safe to run twice, or again after a resubmission).

Runs off the request path: ``receivers`` queues ``tasks.index_report`` after the submission
commits (in-process in the embedded default). Derived data, like keyword matches: nothing here
changes a report's state, so there is no audit event.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Count
from PIL import Image

from reports.models import Evidence, Report

from . import extract, imagehashing
from .models import ImageHash, ImageMatch, ReportIdentifier, SellerIdentifier

log = logging.getLogger(__name__)


def _scope(report: Report) -> tuple[str, int | None, str]:
    """A handle's platform: the member company, else the registrable domain."""
    if report.company_id:
        return f"company:{report.company_id}", report.company_id, ""
    return f"domain:{report.domain}", None, report.domain


def identifiers_for(report: Report) -> list[extract.Found]:
    return extract.extract(
        seller_handle=report.seller_handle,
        title=report.listing_title,
        text=report.listing_text,
        domain=report.domain,
        company_country=report.company.country if report.company_id else "",
        language=report.listing_language,
    )


@transaction.atomic
def index_identifiers(report: Report) -> list[ReportIdentifier]:
    """Replace the report's identifier links with what its listing says now."""
    # Serialise with a concurrent run for the same report (a quick resubmission). of=("self",):
    # PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to the company.
    report = (
        Report.objects.select_for_update(of=("self",)).select_related("company").get(pk=report.pk)
    )
    scope, company_id, domain = _scope(report)
    found = identifiers_for(report)
    keys = []
    for row in found:
        is_handle = row.kind == extract.HANDLE
        keys.append((row.kind, row.value, scope if is_handle else ""))
    SellerIdentifier.objects.bulk_create(
        [
            SellerIdentifier(
                kind=kind,
                value=value,
                scope=key_scope,
                company_id=company_id if key_scope else None,
                domain=domain if key_scope else "",
            )
            for kind, value, key_scope in keys
        ],
        ignore_conflicts=True,
    )
    by_key = {}
    for kind in {k for k, _, _ in keys}:
        values = [v for k, v, _ in keys if k == kind]
        for identifier in SellerIdentifier.objects.filter(kind=kind, value__in=values):
            by_key[(identifier.kind, identifier.value, identifier.scope)] = identifier
    previous = set(
        ReportIdentifier.objects.filter(report=report).values_list("identifier_id", flat=True)
    )
    ReportIdentifier.objects.filter(report=report).delete()
    links = ReportIdentifier.objects.bulk_create(
        [
            ReportIdentifier(report=report, identifier=by_key[key], source=row.source)
            for key, row in zip(keys, found, strict=True)
        ]
    )
    _drop_orphans(previous - {link.identifier_id for link in links})
    return links


def _drop_orphans(identifier_ids: set[int]) -> None:
    """An identifier no report mentions any more is not kept (it is a seller's personal data)."""
    if identifier_ids:
        SellerIdentifier.objects.filter(pk__in=identifier_ids).annotate(
            n=Count("report_links")
        ).filter(n=0).delete()


def hash_evidence(evidence: Evidence) -> ImageHash | None:
    """The pHash of one screenshot (the re-encoded copy), stored once; None if unreadable or
    blank (``imagehashing.is_blank``)."""
    existing = ImageHash.objects.filter(evidence=evidence).first()
    if existing is not None:
        return existing
    try:
        with evidence.image.open("rb") as handle, Image.open(handle) as image:
            if imagehashing.is_blank(image):
                return None
            value = imagehashing.phash(image)
    except (OSError, ValueError):
        log.warning("Could not hash evidence %s", evidence.pk, exc_info=True)
        return None
    band_values = imagehashing.bands(value)
    row, _created = ImageHash.objects.get_or_create(
        evidence=evidence,
        defaults={
            "report_id": evidence.report_id,
            "value": imagehashing.to_signed(value),
            **{f"band{i}": band for i, band in enumerate(band_values)},
        },
    )
    return row


def near_duplicates(row: ImageHash) -> list[tuple[ImageHash, int]]:
    """Hashes of other reports' screenshots within ``MAX_DISTANCE`` of ``row``: one indexed
    query per band (see ``imagehashing``), then the exact distance on the candidates."""
    value = imagehashing.to_unsigned(row.value)
    candidates: dict[int, ImageHash] = {}
    for i, band in enumerate(imagehashing.bands(value)):
        lookup = {f"band{i}__in": imagehashing.probes(band)}
        for other in ImageHash.objects.filter(**lookup).exclude(report_id=row.report_id):
            candidates[other.pk] = other
    found = []
    for other in candidates.values():
        bits = imagehashing.distance(value, other.value)
        if bits <= imagehashing.MAX_DISTANCE:
            found.append((other, bits))
    return found


def link_images(row: ImageHash) -> list[ImageMatch]:
    matches = []
    for other, bits in near_duplicates(row):
        first, second = sorted((row, other), key=lambda h: h.pk)
        matches.append(
            ImageMatch(
                first=first,
                second=second,
                first_report_id=first.report_id,
                second_report_id=second.report_id,
                distance=bits,
            )
        )
    return ImageMatch.objects.bulk_create(matches, ignore_conflicts=True)


def index_images(report: Report) -> int:
    """Hash every screenshot of the report not hashed yet and link it; the number linked."""
    linked = 0
    for evidence in Evidence.objects.filter(report=report, perceptual_hash__isnull=True):
        row = hash_evidence(evidence)
        if row is not None:
            with transaction.atomic():
                linked += len(link_images(row))
    return linked


def index_report(report_id: int) -> None:
    report = Report.objects.filter(pk=report_id).first()
    if report is None:  # deleted before the task ran
        return
    index_identifiers(report)
    index_images(report)


@transaction.atomic
def index_reports(report_ids: list[int]) -> None:
    """Many reports in one transaction, each step done for all of them at once (a bulk import's
    chunk): one locking read, one insert of new identifiers, one read of them per kind, one
    replacement of the links, one look for screenshots — not one of each per report."""
    reports = list(
        Report.objects.select_for_update(of=("self",))
        .select_related("company")
        .filter(pk__in=report_ids)
        .order_by("pk")
    )
    if not reports:
        return
    found_by_report = []
    keys: set[tuple[str, str, str]] = set()
    meta: dict[tuple[str, str, str], tuple[int | None, str]] = {}
    for report in reports:
        scope, company_id, domain = _scope(report)
        found = identifiers_for(report)
        rows = []
        for row in found:
            key = (row.kind, row.value, scope if row.kind == extract.HANDLE else "")
            keys.add(key)
            meta[key] = (company_id, domain)
            rows.append((key, row))
        found_by_report.append((report, rows))
    SellerIdentifier.objects.bulk_create(
        [
            SellerIdentifier(
                kind=kind,
                value=value,
                scope=key_scope,
                company_id=meta[(kind, value, key_scope)][0] if key_scope else None,
                domain=meta[(kind, value, key_scope)][1] if key_scope else "",
            )
            for kind, value, key_scope in sorted(keys)
        ],
        ignore_conflicts=True,
    )
    by_key = {}
    for kind in {k for k, _, _ in keys}:
        values = {v for k, v, _ in keys if k == kind}
        for identifier in SellerIdentifier.objects.filter(kind=kind, value__in=values):
            by_key[(identifier.kind, identifier.value, identifier.scope)] = identifier
    ids = [report.pk for report in reports]
    previous = set(
        ReportIdentifier.objects.filter(report_id__in=ids).values_list("identifier_id", flat=True)
    )
    ReportIdentifier.objects.filter(report_id__in=ids).delete()
    links = ReportIdentifier.objects.bulk_create(
        [
            ReportIdentifier(report=report, identifier=by_key[key], source=row.source)
            for report, rows in found_by_report
            for key, row in rows
        ]
    )
    _drop_orphans(previous - {link.identifier_id for link in links})
    with_screenshots = set(
        Evidence.objects.filter(report_id__in=ids, perceptual_hash__isnull=True).values_list(
            "report_id", flat=True
        )
    )
    for report in reports:
        if report.pk in with_screenshots:
            index_images(report)
