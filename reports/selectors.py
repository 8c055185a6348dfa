"""Read-side queries. Every list here runs a fixed number of SQL queries whatever its size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from spotter.models import AuditEvent, User

from .headline import headline_counts  # noqa: F401 (the overview's figures; see headline.py)
from .models import Evidence, Report, ReportStatus
from .permissions import visible_reports
from .queue_sorts import queue_sort


def report_timeline(report: Report) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="report", object_id=str(report.pk)).select_related(
        "actor"
    )


def expert_queue(
    *, expert: User, group: str = "", platform: str = "", sort: str = ""
) -> QuerySet[Report]:
    """Oldest first, or by a registered ordering (``reports.queue_sorts``, e.g. verification's
    "risk"); scoped by reports.permissions.visible_reports like every other list (the
    expert's own submissions and reports they may check blind never appear)."""
    waiting = Report.objects.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW])
    qs = (
        visible_reports(expert, waiting)
        .select_related("species__group", "product_type", "company", "claimed_by")
        .annotate(evidence_count=_evidence_count())
        .order_by("submitted_at", "id")
    )
    if group:
        qs = qs.filter(species__group__slug=group)
    if platform == "non-member":
        qs = qs.filter(company__isnull=True)
    elif platform:
        qs = qs.filter(company__slug=platform)
    if (ordering := queue_sort(sort)) is not None:
        qs = ordering.apply(qs)
    return qs


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


def volunteer_reports(volunteer: User) -> QuerySet[Report]:
    return (
        Report.objects.filter(volunteer=volunteer)
        .select_related("species", "product_type", "company")
        .order_by("-submitted_at")
    )


def company_reports(company_id: int, *, status: str = "") -> QuerySet[Report]:
    qs = (
        Report.objects.filter(
            company_id=company_id,
            status__in=[ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED, ReportStatus.CLOSED],
        )
        .select_related("species", "product_type")
        .order_by("-forwarded_at")
    )
    if status:
        qs = qs.filter(status=status)
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
