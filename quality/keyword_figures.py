"""The keyword library card of the programme dashboard: new approved terms per month and the
terms found in the most confirmed reports. Three queries, whatever the size of the library.

Read from the tables (not from the report counters). The card is part of the dashboard's cached
content, whose key holds the ``keywords`` version (bumped whenever a term is saved: keywords'
receivers) and the ``all`` version (a submission matches terms, a decision sets the verdict), so
an approval or a decision shows on the next page load (quality/views/dashboards.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from keywords.models import Term, TermStatus
from reports.models import Verdict

from . import charts

MONTHS = 12
TOP_TERMS = 10


@dataclass(frozen=True)
class MonthApprovals:
    month: date
    approved: int


@dataclass(frozen=True)
class TopTerm:
    text: str
    language: str
    confirmed_reports: int  # confirmed reports whose listing matched the term
    matched_reports: int  # every report whose listing matched it


@dataclass(frozen=True)
class KeywordFigures:
    approved_terms: int
    months: list[MonthApprovals]
    top_terms: list[TopTerm]

    @property
    def approved_last_12_months(self) -> int:
        return sum(m.approved for m in self.months)

    def months_chart(self) -> charts.BarChart:
        return charts.horizontal_bars(
            "chart-keyword-months",
            _("New approved terms per month"),
            _("Terms approved into the keyword library in each of the last 12 months."),
            [charts.Bar(m.month.strftime("%Y-%m"), m.approved) for m in self.months],
            colour="#7a4f9a",
        )

    def top_chart(self) -> charts.BarChart:
        return charts.horizontal_bars(
            "chart-keyword-top",
            _("Top terms by confirmed reports"),
            _("The approved terms found in the most reports an expert confirmed."),
            [charts.Bar(t.text, t.confirmed_reports) for t in self.top_terms],
            colour="#7a4f9a",
        )


def _months_back(today: date, count: int) -> list[date]:
    """The first days of the ``count`` months up to ``today``'s, oldest first."""
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def keyword_figures(today: date | None = None) -> KeywordFigures:
    today = today or timezone.localdate()
    months = _months_back(today, MONTHS)
    since = timezone.make_aware(datetime.combine(months[0], time.min))
    rows = (
        Term.objects.filter(approved_at__gte=since)
        .annotate(month=TruncMonth("approved_at"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    approved_by_month = {timezone.localtime(month).date(): n for month, n in rows}
    top = (
        Term.objects.filter(status=TermStatus.APPROVED)
        .annotate(
            confirmed=Count(
                "matches__report",
                filter=Q(matches__report__verdict=Verdict.CONFIRMED),
                distinct=True,
            ),
            matched=Count("matches__report", distinct=True),
        )
        .filter(confirmed__gt=0)
        .order_by("-confirmed", "-matched", "normalized")
        .values_list("text", "language", "confirmed", "matched")[:TOP_TERMS]
    )
    return KeywordFigures(
        approved_terms=Term.objects.filter(status=TermStatus.APPROVED).count(),
        months=[MonthApprovals(m, approved_by_month.get(m, 0)) for m in months],
        top_terms=[TopTerm(*row) for row in top],
    )
