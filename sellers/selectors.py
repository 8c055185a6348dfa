"""Reads: reports linked to a report or an identifier, as the viewer may see them.

Every list goes through ``reports.permissions.visible_reports``: an expert never sees their own
submissions or a report under blind second review, company staff see only their own company's
forwarded reports (so links across platforms never reach them), and a volunteer sees nothing
here (the views refuse them first). Nothing returned names a volunteer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404

from reports.models import Outcome, Report, ReportStatus
from reports.permissions import visible_reports
from spotter.models import Role, User

from .models import ImageMatch, ReportIdentifier, SellerIdentifier

# Roles that see the sellers pages; company staff only the links of their own reports.
VIEWER_ROLES = (Role.EXPERT, Role.ADMIN)
LINK_VIEWER_ROLES = (Role.EXPERT, Role.COMPANY_STAFF, Role.ADMIN)
REPORT_FIELDS = ("company", "species", "product_type")


@dataclass
class LinkedRow:
    report: Report
    identifiers: list[SellerIdentifier] = field(default_factory=list)
    image_distance: int | None = None  # closest screenshot pair, in bits of 64


@dataclass
class Summary:
    """Counts per platform and per outcome, first and last seen, over a set of reports."""

    platforms: list[tuple[str, int]]
    outcomes: list[tuple[str, int]]
    first_seen: datetime | None
    last_seen: datetime | None
    total: int


@dataclass
class Linked:
    identifiers: list[SellerIdentifier]
    rows: list[LinkedRow]
    summary: Summary


def platform_label(report: Report) -> str:
    return report.company.name if report.company_id else report.domain


def summarise(reports: list[Report]) -> Summary:
    platforms = Counter(platform_label(r) for r in reports)
    outcome_labels = dict(Outcome.choices)
    status_labels = dict(ReportStatus.choices)
    outcomes = Counter(
        str(outcome_labels[r.outcome]) if r.outcome else str(status_labels[r.status])
        for r in reports
    )
    dates = [r.submitted_at for r in reports]
    return Summary(
        platforms=platforms.most_common(),
        outcomes=outcomes.most_common(),
        first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        total=len(reports),
    )


def _identifiers_of(report: Report) -> list[SellerIdentifier]:
    return list(
        SellerIdentifier.objects.filter(report_links__report=report)
        .select_related("company")
        .order_by("kind", "value")
    )


def linked_reports(user: User, report: Report, limit: int | None = None) -> Linked:
    """Reports that share an identifier or a near-identical screenshot with ``report`` and that
    ``user`` may see (``report`` itself is counted in the summary). A fixed number of queries,
    whatever the number of links."""
    identifiers = _identifiers_of(report)
    by_id = {identifier.pk: identifier for identifier in identifiers}
    shared: dict[int, LinkedRow] = {}
    if identifiers:
        pairs = (
            ReportIdentifier.objects.filter(identifier_id__in=list(by_id))
            .exclude(report_id=report.pk)
            .values_list("report_id", "identifier_id")
        )
        for report_id, identifier_id in pairs:
            row = shared.setdefault(report_id, LinkedRow(report=None))
            row.identifiers.append(by_id[identifier_id])
    images = ImageMatch.objects.filter(
        Q(first_report_id=report.pk) | Q(second_report_id=report.pk)
    ).values_list("first_report_id", "second_report_id", "distance")
    for first, second, bits in images:
        other = second if first == report.pk else first
        row = shared.setdefault(other, LinkedRow(report=None))
        if row.image_distance is None or bits < row.image_distance:
            row.image_distance = bits
    visible = list(
        visible_reports(user)
        .filter(pk__in=[*shared, report.pk])
        .select_related(*REPORT_FIELDS)
        .order_by("-submitted_at")
    )
    rows = []
    for linked in visible:
        if linked.pk != report.pk:
            row = shared[linked.pk]
            row.report = linked
            rows.append(row)
    summary = summarise(visible if any(r.pk == report.pk for r in visible) else [report, *visible])
    return Linked(identifiers=identifiers, rows=rows[:limit] if limit else rows, summary=summary)


def access_identifier(user: User, identifier_id: int) -> SellerIdentifier:
    """An identifier at least one report the user may see mentions, or 404 (its value is the
    seller's personal data: not shown for reports hidden from the viewer)."""
    identifier = (
        SellerIdentifier.objects.select_related("company")
        .filter(pk=identifier_id, report_links__report__in=visible_reports(user))
        .first()
    )
    if identifier is None:
        raise Http404("No such identifier.")
    return identifier


def reports_with_identifier(user: User, identifier: SellerIdentifier) -> list[Report]:
    return list(
        visible_reports(user)
        .filter(seller_identifiers__identifier=identifier)
        .select_related(*REPORT_FIELDS)
        .order_by("-submitted_at")
    )


def repeat_identifiers(user: User, kind: str = "") -> QuerySet:
    """Identifiers mentioned by two or more reports the user may see, most reports first:
    rows of ``identifier``, ``reports``, ``platforms``, ``first_seen``, ``last_seen``."""
    links = ReportIdentifier.objects.filter(report__in=visible_reports(user))
    if kind:
        links = links.filter(identifier__kind=kind)
    return (
        links.values("identifier")
        .annotate(
            reports=Count("report_id", distinct=True),
            platforms=Count("report__domain", distinct=True),
            first_seen=Min("report__submitted_at"),
            last_seen=Max("report__submitted_at"),
        )
        .filter(reports__gte=2)
        .order_by("-reports", "-last_seen", "identifier")
    )


def with_identifiers(rows) -> list[dict]:
    """Attach the ``SellerIdentifier`` objects to a page of ``repeat_identifiers`` rows."""
    rows = list(rows)
    objects = SellerIdentifier.objects.select_related("company").in_bulk(
        [row["identifier"] for row in rows]
    )
    return [{**row, "object": objects[row["identifier"]]} for row in rows]
