"""How well each term points at real wildlife listings: precision and growth per term.

All figures come from one grouped aggregate query over the matches (never a query per term):

- ``reports``: reports whose listing title or text contains the term (any status);
- ``confirmed`` / ``rejected``: of those, the ones experts confirmed or rejected; the confirmed
  share is confirmed ÷ (confirmed + rejected) with its 95% Wilson interval
  (``spotter.stats``, the interval every accuracy figure of the project uses);
- ``removed``: reports whose listing the company removed (outcome "removed");
- ``recent``: reports submitted in the last ``GROWTH_DAYS`` days (recent growth);
- ``first_seen`` / ``last_seen``: the first and last submission that matched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from reports.models import Outcome, Verdict
from spotter.stats import AccuracyEstimate, pct

from .models import ReportMatch

GROWTH_DAYS = 30


@dataclass(frozen=True)
class TermStats:
    reports: int = 0
    confirmed: int = 0
    rejected: int = 0
    removed: int = 0
    recent: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    @property
    def precision(self) -> AccuracyEstimate:
        return AccuracyEstimate(confirmed=self.confirmed, rejected=self.rejected)

    @property
    def share(self) -> float | None:
        return self.precision.rate

    @property
    def low(self) -> float | None:
        return self.precision.low

    @property
    def high(self) -> float | None:
        return self.precision.high

    @property
    def decided(self) -> int:
        return self.confirmed + self.rejected

    @property
    def share_label(self) -> str:
        return pct(self.share)

    @property
    def interval_label(self) -> str:
        return f"{pct(self.low)}–{pct(self.high)}" if self.decided else ""


NO_MATCHES = TermStats()


def term_stats(term_ids: Iterable[int] | QuerySet, *, now: datetime | None = None) -> dict:
    """``{term id: TermStats}`` for the given terms (a list or a values_list subquery) in one
    query; terms without a match are absent (use ``NO_MATCHES``)."""
    since = (now or timezone.now()) - timedelta(days=GROWTH_DAYS)

    def reports(condition: Q | None = None) -> Count:
        # Distinct: a term found in both the title and the text is one report.
        return Count("report", distinct=True, filter=condition)

    rows = (
        ReportMatch.objects.filter(term_id__in=term_ids)
        .values("term_id")
        .order_by()
        .annotate(
            reports=reports(),
            confirmed=reports(Q(report__verdict=Verdict.CONFIRMED)),
            rejected=reports(Q(report__verdict=Verdict.REJECTED)),
            removed=reports(Q(report__outcome=Outcome.REMOVED)),
            recent=reports(Q(report__submitted_at__gte=since)),
            first_seen=Min("report__submitted_at"),
            last_seen=Max("report__submitted_at"),
        )
    )
    return {row.pop("term_id"): TermStats(**row) for row in rows}


def precision_key(stats: TermStats) -> tuple:
    """Best first: the Wilson lower bound, then the share; terms nobody decided on go last."""
    if stats.low is None:
        return (1, 0.0, 0.0)
    return (0, -stats.low, -stats.share)


def growth_key(stats: TermStats) -> tuple:
    return (-stats.recent, -stats.reports)
