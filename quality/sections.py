"""Dashboard sections as tables: the page, its SVG charts and its CSV files use the same rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.validation import LANGUAGE_CHOICES
from spotter.stats import pct

from . import charts
from .dashboard import Dashboard, Group
from .facts import CLOSED_STATES, STATES
from .rows import (
    AccuracyCells,
    Figure,
    GroupRow,
    LanguageRow,
    NoticeGroupRow,
    PeriodRow,
    PlatformRow,
    RegionRow,
    Stage,
)
from .tables import STATE_LABELS, Column, Table

STATE_COLOURS = {
    "pending": "#8da0b3",
    "rejected": "#b3261e",
    "confirmed": "#6fb38f",
    "forwarded": "#1c5d99",
    "removed": "#14513a",
    "already_gone": "#4f8f6f",
    "no_violation": "#a15c00",
    "other": "#7a6a9a",
    "withdrawn": "#c9cfcc",
}
CHART_STATES = [s for s in STATES if s != "duplicate"]
COMPANY_STATES = ["forwarded", *CLOSED_STATES]
LANGUAGE_LABELS = {**dict(LANGUAGE_CHOICES), "unspecified": gettext_lazy("Not given")}


ACCURACY_COLUMNS = [Column("accuracy", "pct"), Column("ci_low", "pct"), Column("ci_high", "pct")]


@dataclass
class Labels:
    groups: dict[int, str]
    companies: dict[int, str]

    def group(self, key) -> str:
        return self.groups.get(key) or (_("No species chosen") if key == 0 else f"#{key}")

    def company(self, key) -> str:
        return self.companies.get(key) or (_("Non-member platforms") if key == 0 else f"#{key}")


class Sections:
    """Builds each table from a Dashboard; ``company_view`` hides programme-only parts."""

    def __init__(self, dashboard: Dashboard, labels: Labels, *, company_view: bool = False):
        self.dashboard = dashboard
        self.labels = labels
        self.company_view = company_view

    # --- tables ---------------------------------------------------------------------------
    def headline(self) -> Table:
        totals = self.dashboard.totals
        counts = totals.counts
        accuracy = counts.accuracy
        rows = [
            ("reports_submitted", counts.submitted),
            ("reports_confirmed", counts.confirmed),
            ("reports_rejected", counts.rejected),
            ("reports_forwarded", counts.forwarded),
            ("reports_removed", counts.removed),
            ("reports_awaiting_decision", counts.state("pending")),
            ("accuracy", accuracy.rate),
            ("accuracy_ci_low", accuracy.low),
            ("accuracy_ci_high", accuracy.high),
            ("median_hours_submit_to_decision", totals.median("decide_h").hours),
            ("median_hours_forward_to_takedown", totals.median("takedown_h").hours),
            ("median_hours_forward_to_outcome", totals.median("act_h").hours),
        ]
        if self.company_view:
            # Platforms see their notices, not what experts rejected or still hold.
            rows = [
                ("notices_received", counts.forwarded),
                ("notices_open", counts.state("forwarded")),
                ("listings_removed", counts.removed),
                ("other_outcomes", counts.closed - counts.removed),
                ("open_notices_overdue_now", sum(self.dashboard.overdue_now.values())),
                ("median_hours_forward_to_takedown", totals.median("takedown_h").hours),
                ("median_hours_forward_to_outcome", totals.median("act_h").hours),
            ]
        else:
            rows.insert(0, ("volunteers_active", self.dashboard.volunteers_active))
        table = Table(
            "headline", _("Headline figures"), [Column("figure", "text"), Column("value", "text")]
        )
        table.rows = [Figure(name, _csv_number(value)) for name, value in rows]
        return table

    def weekly(self) -> Table:
        kind, periods = self.dashboard.periods
        states = self._chart_states()
        table = Table(
            "weekly",
            _("Reports per week by where they are now")
            if kind == "week"
            else _("Reports per month by where they are now"),
            [
                Column(f"{kind}_start", "day" if kind == "week" else "month"),
                *[Column(s) for s in states],
                Column("total"),
            ],
        )
        for start, counts in periods:
            by_state = {state: counts.state(state) for state in states}
            table.rows.append(PeriodRow(start, by_state, sum(by_state.values())))
        if kind == "month":
            table.note = _(
                "Monthly: per-day counters are kept for one filter at a time, and weeks are shown "
                "for ranges of up to two years (see docs/quality.md)."
            )
        return table

    def funnel(self) -> Table:
        counts = self.dashboard.totals.counts
        submitted = counts.submitted
        stages = [
            ("submitted", submitted),
            ("confirmed", counts.confirmed),
            ("forwarded", counts.forwarded),
            ("removed", counts.removed),
        ]
        table = Table(
            "funnel",
            _("Funnel"),
            [Column("stage", "text"), Column("reports"), Column("share_of_submitted", "pct")],
        )
        for name, n in stages:
            table.rows.append(Stage(name, n, n / submitted if submitted else None))
        return table

    def regions(self) -> Table:
        table = Table(
            "regions",
            _("Accuracy by region (volunteer country)"),
            [
                Column("region", "text"),
                Column("submitted"),
                Column("confirmed"),
                Column("rejected"),
                Column("decided"),
                *ACCURACY_COLUMNS,
            ],
        )
        regions = sorted(
            self.dashboard.regions.values(),
            key=lambda region: (-region.counts.accuracy.decided, region.key),
        )
        for region in regions:
            accuracy = region.counts.accuracy
            table.rows.append(
                RegionRow(
                    region.key or "??",
                    region.counts.submitted,
                    accuracy.confirmed,
                    accuracy.rejected,
                    accuracy.decided,
                    AccuracyCells.of(accuracy),
                )
            )
        return table

    def region_sentences(self) -> list[str]:
        regions = sorted(
            self.dashboard.regions.values(), key=lambda region: -region.counts.accuracy.decided
        )
        return [
            region.counts.accuracy.sentence(
                _("%(region)s volunteers") % {"region": region.key or "??"}
            )
            for region in regions
            if region.counts.accuracy.decided
        ]

    def groups(self) -> Table:
        if self.company_view:
            return self._company_groups()
        table = Table(
            "groups",
            _("Top species groups"),
            [
                Column("species_group", "text"),
                Column("submitted"),
                Column("confirmed"),
                Column("rejected"),
                Column("removed"),
                *ACCURACY_COLUMNS,
            ],
        )
        groups = sorted(
            self.dashboard.groups.values(),
            key=lambda group: (-group.counts.submitted, str(group.key)),
        )
        for group in groups[:10]:
            counts = group.counts
            table.rows.append(
                GroupRow(
                    self.labels.group(group.key),
                    counts.submitted,
                    counts.confirmed,
                    counts.rejected,
                    counts.removed,
                    AccuracyCells.of(counts.accuracy),
                )
            )
        return table

    def _company_groups(self) -> Table:
        """A platform sees the species groups of the notices it received, nothing more."""
        table = Table(
            "groups",
            _("Species groups of the notices"),
            [Column("species_group", "text"), Column("notices"), Column("removed")],
        )
        groups = sorted(
            self.dashboard.groups.values(),
            key=lambda group: (-group.counts.forwarded, str(group.key)),
        )
        for group in groups[:10]:
            if group.counts.forwarded:
                table.rows.append(
                    NoticeGroupRow(
                        self.labels.group(group.key), group.counts.forwarded, group.counts.removed
                    )
                )
        return table

    def companies(self) -> Table:
        accuracy_columns = [] if self.company_view else ACCURACY_COLUMNS
        discrepancy_columns = [] if self.company_view else [Column("outcome_discrepancies")]
        table = Table(
            "companies",
            _("Platforms: time to act and overdue share"),
            [
                Column("platform", "text"),
                Column("forwarded"),
                Column("open"),
                Column("removed"),
                Column("other_outcomes"),
                Column("median_hours_to_act", "hours"),
                Column("acted_late"),
                Column("overdue_now"),
                Column("share_overdue", "pct"),
                *accuracy_columns,
                *discrepancy_columns,
            ],
        )
        overdue = self.dashboard.overdue_now
        discrepancies = {} if self.company_view else self.dashboard.discrepancies
        platforms: list[Group] = sorted(
            self.dashboard.companies.values(),
            key=lambda platform: (-platform.counts.forwarded, str(platform.key)),
        )
        for platform in platforms:
            counts = platform.counts
            if not counts.forwarded and (self.company_view or not counts.submitted):
                continue
            acted_late = counts.get("late", 0)
            overdue_now = overdue.get(platform.key, 0)
            late = acted_late + overdue_now
            table.rows.append(
                PlatformRow(
                    self.labels.company(platform.key),
                    counts.forwarded,
                    counts.state("forwarded"),
                    counts.removed,
                    counts.closed - counts.removed,
                    platform.median("act_h").hours,
                    acted_late,
                    overdue_now,
                    late / counts.forwarded if counts.forwarded else None,
                    () if self.company_view else AccuracyCells.of(counts.accuracy),
                    () if self.company_view else (discrepancies.get(platform.key, 0),),
                )
            )
        table.note = _(
            "Overdue share = (outcomes recorded after a deadline + open notices past one now) "
            "÷ reports forwarded. Median time to act runs from forwarding to the outcome."
        )
        if not self.company_view:
            discrepancy_note = _(
                "Outcome discrepancies: listings the platform said were gone but an "
                "independent check found still online 72 hours or more later."
            )
            table.note = f"{table.note} {discrepancy_note}"
        return table

    def languages(self) -> Table:
        table = Table(
            "languages",
            _("Accuracy by listing language"),
            [
                Column("language", "text"),
                Column("confirmed"),
                Column("rejected"),
                *ACCURACY_COLUMNS,
            ],
        )
        table.row_labels = LANGUAGE_LABELS
        if self.dashboard.filters.cell:
            table.note = _("Shown without filters only (counters per language are programme-wide).")
        languages = sorted(
            self.dashboard.languages.values(),
            key=lambda language: -language.counts.accuracy.decided,
        )
        for language in languages:
            accuracy = language.counts.accuracy
            if accuracy.decided:
                table.rows.append(
                    LanguageRow(
                        language.key or "unspecified",
                        accuracy.confirmed,
                        accuracy.rejected,
                        AccuracyCells.of(accuracy),
                    )
                )
        return table

    def agreement(self) -> Table:
        agreement = self.dashboard.agreement
        counts = self.dashboard.totals.counts
        table = Table(
            "agreement",
            _("Expert agreement (blind second reviews)"),
            [Column("figure", "text"), Column("value", "text")],
        )
        table.rows = [
            Figure("both_confirmed", agreement.cc),
            Figure("first_confirmed_second_rejected", agreement.cr),
            Figure("first_rejected_second_confirmed", agreement.rc),
            Figure("both_rejected", agreement.rr),
            Figure("cases", agreement.n),
            Figure("agreement_rate", _csv_number(agreement.rate)),
            Figure("cohens_kappa", _csv_number(agreement.kappa)),
            Figure("senior_upheld_first_verdict", counts.get("sr:upheld", 0)),
            Figure("senior_overturned_first_verdict", counts.get("sr:overturned", 0)),
        ]
        return table

    def table(self, name: str) -> Table:
        allowed = COMPANY_TABLES if self.company_view else PROGRAMME_TABLES
        if name not in allowed:
            raise KeyError(name)
        return getattr(self, name)()

    # --- charts ---------------------------------------------------------------------------
    def _chart_states(self) -> list[str]:
        return COMPANY_STATES if self.company_view else CHART_STATES

    def weekly_chart(self, table: Table) -> tuple[charts.ColumnChart, list[tuple[str, str]]]:
        """The weekly (or monthly) columns and their legend: (state label, colour) pairs."""
        states = self._chart_states()
        series = [
            charts.Series(
                STATE_LABELS[state], STATE_COLOURS[state], [row.counts[state] for row in table.rows]
            )
            for state in states
        ]
        # In the reader's language; a year of weeks shows the day and month only.
        if table.columns[0].kind == "month":
            label_format = "YEAR_MONTH_FORMAT"
        else:
            label_format = "MONTH_DAY_FORMAT" if len(table.rows) > 14 else "SHORT_DATE_FORMAT"
        labels = [date_format(row.start, label_format) for row in table.rows]
        total = sum(row.total for row in table.rows)
        chart = charts.stacked_columns(
            "chart-weekly",
            table.title,
            _("%(n)d reports in %(p)d periods, stacked by where each report is now.")
            % {"n": total, "p": len(table.rows)},
            labels,
            series,
        )
        return chart, [(STATE_LABELS[state], STATE_COLOURS[state]) for state in states]

    def funnel_chart(self, table: Table) -> charts.BarChart:
        bars = [
            charts.Bar(
                str(table.row_labels.get(stage.stage, stage.stage)),
                stage.reports,
                f"({pct(stage.share_of_submitted)})"
                if stage.share_of_submitted is not None
                else "",
            )
            for stage in table.rows
        ]
        return charts.horizontal_bars(
            "chart-funnel",
            table.title,
            _("Of the reports submitted, how many were confirmed, forwarded and removed."),
            bars,
        )

    def regions_chart(self, table: Table) -> charts.IntervalChart:
        intervals = [
            charts.Interval(
                region.region,
                region.accuracy.rate,
                region.accuracy.low,
                region.accuracy.high,
                region.decided,
            )
            for region in table.rows[:15]
        ]
        return charts.interval_dots(
            "chart-regions",
            table.title,
            _("Accuracy per volunteer country with 95% Wilson intervals."),
            intervals,
        )

    def groups_chart(self, table: Table) -> charts.BarChart:
        bars = [charts.Bar(group.species_group, group.submitted) for group in table.rows]
        return charts.horizontal_bars(
            "chart-groups",
            table.title,
            _("Reports submitted per species group."),
            bars,
        )

    def companies_chart(self, table: Table) -> charts.BarChart:
        bars = [
            charts.Bar(platform.platform, round(platform.median_hours_to_act, 1), "h")
            for platform in table.rows[:15]
            if platform.median_hours_to_act is not None
        ]
        return charts.horizontal_bars(
            "chart-companies",
            _("Median hours from notice to outcome"),
            _("Approximate median hours from forwarding to the platform's outcome."),
            bars,
            colour="#1c5d99",
        )


PROGRAMME_TABLES = (
    "headline",
    "weekly",
    "funnel",
    "regions",
    "groups",
    "companies",
    "languages",
    "agreement",
)
COMPANY_TABLES = ("headline", "weekly", "groups", "companies")


def _csv_number(value):
    if isinstance(value, float):
        return f"{value:.4f}"
    return "" if value is None else value
