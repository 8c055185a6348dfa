"""The numbers behind the programme and company dashboards, read from the counters.

Every figure counts the reports **submitted** in the chosen months (a cohort) by how far they
have got now, so the cards, charts and CSV files of one page add up with each other and with a
plain query on the reports table. Each section is one query on ``PeriodCount`` whose size
depends on the months and the number of regions / groups / platforms, never on the number of
reports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

from django.db.models import Count, F, Sum
from django.utils import timezone

from rechecks.selectors import discrepancy_counts
from reports.forwarding.sla import overdue_q
from reports.models import Report, ReportStatus, Species
from spotter.dbrouter import replica
from spotter.models import User

from .facts import (
    CELL_COMPANY,
    CELL_COUNTRY,
    CELL_GROUP,
    CELL_LANGUAGE,
    CLOSED_STATES,
    CONFIRMED_STATES,
    DAY_CELLS,
    FORWARDED,
    FORWARDED_STATES,
    REJECTED,
    STATES,
    SUBMITTED_STATES,
    month_start,
    week_start,
)
from .filters import Filters
from .models import PeriodCount, SecondReview, SecondReviewStatus, VolunteerPeriod
from .stats import AccuracyEstimate, Agreement, MedianEstimate, median_from_buckets

STATE_METRICS = [f"s:{s}" for s in STATES]
MEASURE_METRICS = [
    "decide_h",
    "act_h",
    "takedown_h",
    "late",
    "sr:cc",
    "sr:cr",
    "sr:rc",
    "sr:rr",
    "sr:upheld",
    "sr:overturned",
]
WEEKLY_MAX_MONTHS = 24
NEUTRAL = (
    (CELL_COUNTRY, "country", ""),
    (CELL_GROUP, "species_group_id", 0),
    (CELL_COMPANY, "company_id", 0),
)
DIMENSION_FIELD = {
    CELL_COUNTRY: "country",
    CELL_GROUP: "species_group_id",
    CELL_COMPANY: "company_id",
    CELL_LANGUAGE: "language",
}


def read(
    filters: Filters,
    metrics: list[str],
    *,
    by: int = 0,
    by_values: list | None = None,
    grain: str = "m",
    start: date | None = None,
    end: date | None = None,
    days: list[date] | None = None,
    per: str = "",
    whole_range: bool = True,
) -> list[dict]:
    """Sum the counters of one cell (the filters plus breakdown dimension ``by``).

    Every dimension of the cell is pinned by an equality or, for the breakdown, an IN list, so
    the lookup walks the unique index down to the day range and reads only matching rows.
    With ``per`` the rows are also grouped by their day (as ``period``)."""
    cell = filters.cell | by
    lookups = {"grain": grain, "cell": cell, "metric__in": metrics, **filters.dims()}
    # Dimensions outside the cell hold their neutral value: saying so lets the index seek on.
    for bit, name, neutral in NEUTRAL:
        if not cell & bit:
            lookups[name] = neutral
    if by and not filters.cell & by and by_values is not None:
        lookups[f"{DIMENSION_FIELD[by]}__in"] = by_values
    # Rollups tolerate replica lag (a few seconds): read them there when one is configured.
    qs = PeriodCount.objects.using(replica()).filter(**lookups)
    if days is not None:
        qs = qs.filter(day__in=days)
    elif whole_range:
        qs = qs.filter(day__gte=start or filters.start, day__lte=end or filters.end)
    fields = ["metric", "bucket"]
    if by:
        fields.append(DIMENSION_FIELD[by])
    if per:
        qs = qs.annotate(period=F("day"))
        fields.append("period")
    return list(qs.values(*fields).annotate(total=Sum("n")).order_by())


class StateCounts(dict):
    """metric → count for the cohort states, with the funnel sums."""

    def state(self, name: str) -> int:
        return self.get(f"s:{name}", 0)

    def total(self, states) -> int:
        return sum(self.state(s) for s in states)

    @property
    def submitted(self) -> int:
        return self.total(SUBMITTED_STATES)

    @property
    def confirmed(self) -> int:
        return self.total(CONFIRMED_STATES)

    @property
    def rejected(self) -> int:
        return self.state(REJECTED)

    @property
    def forwarded(self) -> int:
        return self.total(FORWARDED_STATES)

    @property
    def closed(self) -> int:
        return self.total(CLOSED_STATES)

    @property
    def open(self) -> int:
        return self.state(FORWARDED)

    @property
    def removed(self) -> int:
        return self.state("removed")

    @property
    def accuracy(self) -> AccuracyEstimate:
        return AccuracyEstimate(self.confirmed, self.rejected)


@dataclass
class Group:
    key: object
    counts: StateCounts
    buckets: dict[str, dict[int, int]]

    def median(self, metric: str) -> MedianEstimate:
        return median_from_buckets(self.buckets.get(metric, {}))


def _group(rows: list[dict], key_field: str | None) -> dict[object, Group]:
    groups: dict[object, Group] = {}
    for row in rows:
        key = row[key_field] if key_field else None
        group = groups.setdefault(key, Group(key, StateCounts(), defaultdict(dict)))
        metric = row["metric"]
        if metric in MEASURE_METRICS and metric.endswith("_h"):
            group.buckets[metric][row["bucket"]] = row["total"]
        else:
            group.counts[metric] = group.counts.get(metric, 0) + row["total"]
    return groups


class Dashboard:
    """Lazily computed sections; each property is one query (or none)."""

    def __init__(
        self,
        filters: Filters,
        *,
        dimension_values: dict[int, list] | None = None,
        today: date | None = None,
    ):
        self.filters = filters
        # Every value a breakdown dimension can take (IN lists for the index, see ``read``).
        self.dimension_values = dimension_values or {}
        self.today = today or timezone.now().date()

    @cached_property
    def totals(self) -> Group:
        rows = read(self.filters, STATE_METRICS + MEASURE_METRICS)
        return _group(rows, None).get(None) or Group(None, StateCounts(), {})

    @property
    def agreement(self) -> Agreement:
        counts = self.totals.counts
        return Agreement(
            cc=counts.get("sr:cc", 0),
            cr=counts.get("sr:cr", 0),
            rc=counts.get("sr:rc", 0),
            rr=counts.get("sr:rr", 0),
        )

    @cached_property
    def all_time_accuracy(self) -> AccuracyEstimate:
        rows = read(self.filters, STATE_METRICS, whole_range=False)
        return StateCounts({r["metric"]: r["total"] for r in rows}).accuracy

    @property
    def has_day_counts(self) -> bool:
        return self.filters.cell in DAY_CELLS

    def read_days(self, first: date, last: date) -> list[dict]:
        """State counters of the days first…last (each row has its ``period``): week rows for
        the whole weeks inside, day rows for the few days at the edges. Two queries of at most
        ~60 rows per metric, however many days and reports."""
        weeks_from = first + timedelta(days=(7 - first.weekday()) % 7)  # first Monday ≥ first
        weeks_to = last - timedelta(days=(last.weekday() + 1) % 7) - timedelta(days=6)
        if weeks_from > weeks_to:  # no whole week inside: days only
            return read(self.filters, STATE_METRICS, grain="d", start=first, end=last, per="day")
        edge_days = [first + timedelta(days=i) for i in range((weeks_from - first).days)]
        edge_days += [weeks_to + timedelta(days=7 + i) for i in range((last - weeks_to).days - 6)]
        rows = read(
            self.filters, STATE_METRICS, grain="w", start=weeks_from, end=weeks_to, per="day"
        )
        if edge_days:
            rows += read(self.filters, STATE_METRICS, grain="d", days=edge_days, per="day")
        return rows

    @cached_property
    def rolling_accuracy(self) -> AccuracyEstimate | None:
        """Reports submitted in the last 90 days (day counters exist for ≤ 1 filter)."""
        if not self.has_day_counts:
            return None
        counts = StateCounts()
        for r in self.read_days(self.today - timedelta(days=89), self.today):
            counts[r["metric"]] = counts.get(r["metric"], 0) + r["total"]
        return counts.accuracy

    @cached_property
    def periods(self) -> tuple[str, list[tuple[date, StateCounts]]]:
        """("week", …) from day counters, or ("month", …) when the filters combine or the
        range is longer than two years."""
        filters = self.filters
        if self.has_day_counts and len(filters.months()) <= WEEKLY_MAX_MONTHS:
            # Weeks at the edges of the range hold only the days inside it.
            rows = self.read_days(filters.start, filters.last_day)
            kind = "week"
            starts = []
            current = week_start(filters.start)
            while current <= filters.last_day:
                starts.append(current)
                current += timedelta(weeks=1)
        else:
            rows = read(filters, STATE_METRICS, per="month")
            kind, starts = "month", filters.months()
        buckets = {start: StateCounts() for start in starts}
        for r in rows:
            period = r["period"]
            start = week_start(period) if kind == "week" else month_start(period)
            counts = buckets[start]
            counts[r["metric"]] = counts.get(r["metric"], 0) + r["total"]
        return kind, list(buckets.items())

    def breakdown(self, by: int, metrics: list[str] = STATE_METRICS) -> dict[object, Group]:
        if by == CELL_LANGUAGE and self.filters.cell:
            return {}  # language counters are kept without other filters
        rows = read(self.filters, metrics, by=by, by_values=self.dimension_values.get(by))
        return _group(rows, DIMENSION_FIELD[by])

    @cached_property
    def regions(self) -> dict[object, Group]:
        return self.breakdown(CELL_COUNTRY)

    @cached_property
    def groups(self) -> dict[object, Group]:
        return self.breakdown(CELL_GROUP)

    @cached_property
    def companies(self) -> dict[object, Group]:
        return self.breakdown(CELL_COMPANY, [*STATE_METRICS, "act_h", "late"])

    @cached_property
    def languages(self) -> dict[object, Group]:
        return self.breakdown(CELL_LANGUAGE)

    @cached_property
    def discrepancies(self) -> dict[int, int]:
        """Outcome discrepancies (rechecks) per platform, of the reports submitted in the
        months (a live count of flags, like ``overdue_now``; region and group do not apply)."""
        start = datetime.combine(self.filters.start, time.min, tzinfo=UTC)
        end = datetime.combine(self.filters.last_day + timedelta(days=1), time.min, tzinfo=UTC)
        counts = discrepancy_counts(since=start, until=end, of_reports_submitted=True)
        return {key or 0: n for key, n in counts.items()}

    @cached_property
    def overdue_now(self) -> dict[int, int]:
        """Open notices past a deadline now, per platform.

        Time makes a notice overdue, not an event, so this is a live query, over the open
        notices of the months only (the (status, submitted_at) index finds them). Region and
        species group are checked in Python: a join lets SQLite's planner start from the
        volunteers and read every report of the region instead."""
        filters = self.filters
        lookups = {
            key: value
            for key, value in filters.report_q().items()
            if key.startswith(("submitted_at", "company"))
        }
        rows = list(
            Report.objects.filter(
                overdue_q(timezone.now()),
                status__in=[ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED],
                **lookups,
            )
            .order_by()
            .values_list("company_id", "volunteer_id", "species_id", named=True)
        )
        # Each check runs its query even with nothing to check ([0] matches no user), so the
        # page's query count never depends on the data.
        if filters.country:
            ids = {row.volunteer_id for row in rows} or {0}
            in_region = set(
                User.objects.filter(pk__in=ids, country=filters.country).values_list(
                    "pk", flat=True
                )
            )
            rows = [row for row in rows if row.volunteer_id in in_region]
        if filters.group_id is not None:
            group_of_species = dict(Species.objects.values_list("pk", "group_id"))
            rows = [
                row for row in rows if group_of_species.get(row.species_id, 0) == filters.group_id
            ]
        counts: dict[int, int] = defaultdict(int)
        for row in rows:
            counts[row.company_id or 0] += 1
        return dict(counts)

    @cached_property
    def volunteers_active(self) -> int:
        """Volunteers with at least one report submitted in the months (region filter only)."""
        qs = VolunteerPeriod.objects.filter(
            kind="m", start__gte=self.filters.start, start__lte=self.filters.end, submitted__gt=0
        )
        if self.filters.country:
            qs = qs.filter(volunteer__country=self.filters.country)
        return qs.values("volunteer_id").distinct().count()

    @cached_property
    def second_review_backlog(self) -> dict[str, int]:
        rows = (
            SecondReview.objects.filter(
                status__in=[SecondReviewStatus.PENDING, SecondReviewStatus.ESCALATED]
            )
            .values("status")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {r["status"]: r["n"] for r in rows}
