"""Which reports each headline number counts: one filter per number, shared by the number and the
admin's list of the reports behind it (``/overview/reports/?figure=…``), so they cannot disagree.

A figure is a name, a label and ``where(params, now) -> Q``. The overview's figures are defined
here and counted by ``reports.headline`` with these very Q objects. Apps above reports register
their own (quality's dashboard figures, which also read the dashboard's filters from ``params``)
through :func:`register_figure`, called from their ``AppConfig.ready()``: reports may not import
them. ``where`` raises ``spotter.errors.InvalidInput`` for bad parameters (a form error on the
list page, never a 500).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .forwarding.sla import overdue_q
from .models import Report, ReportStatus, Verdict

Where = Callable[[Any, datetime], Q]


@dataclass(frozen=True)
class Figure:
    name: str
    label: Any  # a lazy translation
    where: Where
    # Query-string parameters ``where`` reads besides ``figure`` (kept on the list's page links).
    params: tuple[str, ...] = ()


_figures: dict[str, Figure] = {}


def register_figure(figure: Figure) -> None:
    _figures[figure.name] = figure


def get_figure(name: str) -> Figure | None:
    return _figures.get(name)


def all_figures() -> list[Figure]:
    return list(_figures.values())


def figure_reports(name: str, *, params=None, now: datetime) -> QuerySet[Report]:
    """The reports figure ``name`` counts at ``now`` (InvalidInput for bad ``params``)."""
    figure = _figures[name]
    return Report.objects.filter(figure.where(params or {}, now))


def _static(q: Q) -> Where:
    return lambda params, now: q


# The overview's numbers (reports.headline counts every one with ``Count(filter=where(…))``).
HEADLINE = (
    Figure(
        "submitted",
        _("reports submitted"),
        _static(~Q(status__in=[ReportStatus.DUPLICATE, ReportStatus.WITHDRAWN])),
    ),
    Figure(
        "awaiting_review",
        _("awaiting review"),
        _static(Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW])),
    ),
    Figure("needs_info", _("needs more information"), _static(Q(status=ReportStatus.NEEDS_INFO))),
    Figure("confirmed", _("confirmed"), _static(Q(verdict=Verdict.CONFIRMED))),
    Figure("rejected", _("rejected"), _static(Q(verdict=Verdict.REJECTED))),
    Figure("forwarded", _("forwarded"), _static(Q(forwarded_at__isnull=False))),
    Figure("removed", _("removed by platforms"), _static(Q(outcome="removed"))),
    Figure("duplicates", _("duplicates"), _static(Q(status=ReportStatus.DUPLICATE))),
    Figure(
        "non_member_waiting",
        _("confirmed on non-member platforms"),
        _static(Q(status=ReportStatus.CONFIRMED, company__isnull=True)),
    ),
)

# Counted live on the overview (time, not an event, makes a notice overdue).
OVERDUE = Figure(
    "overdue",
    _("overdue at companies"),
    # The status list is implied by overdue_q; said on its own it lets PostgreSQL use the
    # small partial index of open notices (see reports.forwarding.sla.overdue_reports).
    lambda params, now: (
        overdue_q(now) & Q(status__in=[ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED])
    ),
)

for _figure in (*HEADLINE, OVERDUE):
    register_figure(_figure)
