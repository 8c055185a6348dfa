"""Reads of rechecks: a report's checks and flags, the admin's lists, counts per company.

``discrepancy_counts`` is what quality's transparency report and programme dashboard show per
platform (quality sits above rechecks, so it imports this).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q

from reports.models import Report

from .models import CheckStatus, FlagKind, ListingCheck, TakedownFlag

LIST_LIMIT = 100


def checks_for_report(report: Report) -> list[ListingCheck]:
    return list(ListingCheck.objects.filter(report=report).order_by("stage_hours"))


def flags_for_report(report: Report) -> list[TakedownFlag]:
    """Flags on the report, and relistings that point back at it."""
    return list(
        TakedownFlag.objects.filter(Q(report=report) | Q(related_report=report))
        .select_related("report", "related_report")
        .order_by("created_at", "id")
    )


def recent_flags(kind: str, *, limit: int = LIST_LIMIT) -> list[TakedownFlag]:
    return list(
        TakedownFlag.objects.filter(kind=kind)
        .select_related("report", "company", "related_report", "listing_check")
        .order_by("-created_at", "-id")[:limit]
    )


def discrepancy_counts(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str = "company",
    of_reports_submitted: bool = False,
) -> dict[int | None, int]:
    """Outcome discrepancies per company id (``by="company"``) or per product type id
    (``by="product_type"``): raised in [since, until), or, with ``of_reports_submitted``, about
    reports submitted in it (the dashboards' cohorts)."""
    field = {"company": "company_id", "product_type": "report__product_type_id"}[by]
    when = "report__submitted_at" if of_reports_submitted else "created_at"
    rows = TakedownFlag.objects.filter(kind=FlagKind.DISCREPANCY)
    if since is not None:
        rows = rows.filter(**{f"{when}__gte": since})
    if until is not None:
        rows = rows.filter(**{f"{when}__lt": until})
    return {row[field]: row["n"] for row in rows.values(field).annotate(n=Count("id")).order_by()}


def check_counts() -> list[tuple[str, int]]:
    """(status label, number of checks) for every status, for the admin page."""
    counts = dict(ListingCheck.objects.values_list("status").annotate(n=Count("id")).order_by())
    return [(str(status.label), counts.get(status.value, 0)) for status in CheckStatus]
