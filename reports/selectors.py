"""Read-side queries. Every list here runs a fixed number of SQL queries whatever its size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from spotter.models import AuditEvent, User

from .forwarding.sla import next_deadline_expression
from .headline import headline_counts  # noqa: F401 (the overview's figures; see headline.py)
from .models import Evidence, Report, ReportStatus
from .permissions import visible_reports
from .queue_sorts import DEFAULT_QUEUE_SORT, queue_sort


def report_timeline(report: Report) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="report", object_id=str(report.pk)).select_related(
        "actor"
    )


def expert_queue(
    *, expert: User, group: str = "", platform: str = "", sort: str = DEFAULT_QUEUE_SORT
) -> QuerySet[Report]:
    """Ordered by the registered ordering ``sort`` (``reports.queue_sorts``: oldest first by
    default, verification's "risk"…); scoped by reports.permissions.visible_reports like every
    other list (the expert's own submissions and reports they may check blind never appear)."""
    waiting = Report.objects.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW])
    qs = (
        visible_reports(expert, waiting)
        .select_related("species__group", "product_type", "company", "claimed_by")
        .annotate(evidence_count=_evidence_count())
    )
    if group:
        qs = qs.filter(species__group__slug=group)
    if platform == "non-member":
        qs = qs.filter(company__isnull=True)
    elif platform:
        qs = qs.filter(company__slug=platform)
    return queue_sort(sort).apply(qs)


# How far "next in queue" looks (ids only): far beyond a day's work of one expert.
QUEUE_NAVIGATION_LIMIT = 5000


def queue_successors(*, expert: User, current: Report | None = None, **filters: str) -> list[str]:
    """References of the reports after ``current`` in the expert's queue with these filters and
    sort, then those before it (wrapping round): the ones the expert may take now, i.e. not
    claimed by another expert. ``current`` itself is never in the list."""
    rows = list(
        expert_queue(expert=expert, **filters)
        .filter(Q(claimed_by__isnull=True) | Q(claimed_by=expert))
        .values_list("pk", "reference")[:QUEUE_NAVIGATION_LIMIT]
    )
    ids = [pk for pk, _reference in rows]
    if current is not None and current.pk in ids:
        at = ids.index(current.pk)
        rows = rows[at + 1 :] + rows[:at]
    return [reference for pk, reference in rows if current is None or pk != current.pk]


def next_in_queue(*, expert: User, candidates: list[str], **filters: str) -> str | None:
    """The first of ``candidates`` (from ``queue_successors``, taken before a decision) still
    waiting for this expert now; else the first report of the queue; None when it is empty."""
    takeable = expert_queue(expert=expert, **filters).filter(
        Q(claimed_by__isnull=True) | Q(claimed_by=expert)
    )
    if candidates:
        still = set(
            takeable.filter(reference__in=candidates[:50]).values_list("reference", flat=True)
        )
        for reference in candidates[:50]:
            if reference in still:
                return reference
    return takeable.values_list("reference", flat=True).first()


def same_listing_reports(user: User, report: Report) -> QuerySet[Report]:
    """Other reports of this report's listing (same listing key or normalised URL), newest
    first, those ``user`` may see only."""
    condition = Q(normalized_url=report.normalized_url)
    if report.listing_key:
        condition |= Q(listing_key=report.listing_key)
    return (
        visible_reports(user, Report.objects.filter(condition).exclude(pk=report.pk))
        .only("reference", "status", "submitted_at", "verdict")
        .order_by("-submitted_at", "-id")[:20]
    )


def _evidence_count() -> Coalesce:
    """Screenshots per report as a correlated subquery, not Count("evidence"): the JOIN + GROUP
    BY grouped the whole backlog by the joined tables' keys before the page was taken, whereas
    PostgreSQL evaluates this output column only for the page's rows (after ORDER BY/LIMIT)."""
    counted = (
        Evidence.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def volunteer_reports(volunteer: User, *, needs_input: bool = False) -> QuerySet[Report]:
    """The volunteer's own reports, newest first; ``needs_input``: only those whose expert
    asked a question the volunteer has not answered yet (status needs_info)."""
    qs = Report.objects.filter(volunteer=volunteer)
    if needs_input:
        qs = qs.filter(status=ReportStatus.NEEDS_INFO)
    return qs.select_related("species", "product_type", "company").order_by("-submitted_at")


def needs_input_count(volunteer: User) -> int:
    """How many of the volunteer's reports await their answer (the header badge): one COUNT."""
    return Report.objects.filter(volunteer=volunteer, status=ReportStatus.NEEDS_INFO).count()


# How the company's list may be sorted: GET value -> ORDER BY. "due" (the default) puts the
# most urgent deadline first and closed notices (no deadline) last.
COMPANY_SORTS = {
    "due": (F("next_due").asc(nulls_last=True), "-forwarded_at", "-id"),
    "-due": (F("next_due").desc(nulls_last=True), "-forwarded_at", "-id"),
    "newest": ("-forwarded_at", "-id"),
    "oldest": ("forwarded_at", "id"),
}


def company_reports(
    company_id: int,
    *,
    status: str = "",
    search: str = "",
    forwarded_from: date | None = None,
    forwarded_to: date | None = None,
    assignee_id: int | None = None,
    sort: str = "newest",
) -> QuerySet[Report]:
    """The company's forwarded reports, filtered and sorted (the portal and its filters)."""
    qs = (
        Report.objects.filter(
            company_id=company_id,
            status__in=[ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED, ReportStatus.CLOSED],
        )
        .select_related("species", "product_type", "assignee")
        .annotate(next_due=next_deadline_expression())
        .order_by(*COMPANY_SORTS.get(sort, COMPANY_SORTS["newest"]))
    )
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(reference__icontains=search)
            | Q(listing_title__icontains=search)
            | Q(listing_url__icontains=search)
        )
    if forwarded_from is not None:
        qs = qs.filter(forwarded_at__date__gte=forwarded_from)
    if forwarded_to is not None:
        qs = qs.filter(forwarded_at__date__lte=forwarded_to)
    if assignee_id is not None:
        qs = qs.filter(assignee_id=assignee_id)
    return qs


# Figures about one volunteer that apps above reports keep and reports' pages show: quality
# registers "accuracy" (an AccuracyEstimate read from its counter rows) in
# QualityConfig.ready(). Reports may not import quality, so it asks through this registry.
volunteer_figures: dict[str, Callable[[User], Any]] = {}


def register_volunteer_figure(name: str, reader: Callable[[User], Any]) -> None:
    volunteer_figures[name] = reader


def volunteer_figure(name: str, volunteer: User) -> Any:
    """The registered figure for ``volunteer``, or None when no app provides it."""
    reader = volunteer_figures.get(name)
    return reader(volunteer) if reader is not None else None
