"""Dashboard sections as tables: the page, its SVG charts and its CSV files use the same rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import charts
from .dashboard import Dashboard, Group
from .facts import CLOSED_STATES, STATES
from .stats import AccuracyEstimate
from .tables import Column, Table

STATE_LABELS = {
    "pending": "Awaiting decision",
    "rejected": "Rejected",
    "confirmed": "Confirmed (not forwarded)",
    "forwarded": "Forwarded, awaiting action",
    "removed": "Removed",
    "already_gone": "Already gone",
    "no_violation": "No violation found",
    "other": "Other outcome",
    "withdrawn": "Withdrawn",
    "duplicate": "Duplicate",
}
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


def accuracy_cells(a: AccuracyEstimate) -> list:
    return [a.rate, a.low, a.high]


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
        self.d = dashboard
        self.labels = labels
        self.company_view = company_view

    # --- tables ---------------------------------------------------------------------------
    def headline(self) -> Table:
        t = self.d.totals
        c = t.counts
        acc = c.accuracy
        rows = [
            ["reports_submitted", c.submitted],
            ["reports_confirmed", c.confirmed],
            ["reports_rejected", c.rejected],
            ["reports_forwarded", c.forwarded],
            ["reports_removed", c.removed],
            ["reports_awaiting_decision", c.state("pending")],
            ["accuracy", acc.rate],
            ["accuracy_ci_low", acc.low],
            ["accuracy_ci_high", acc.high],
            ["median_hours_submit_to_decision", t.median("decide_h").hours],
            ["median_hours_forward_to_takedown", t.median("takedown_h").hours],
            ["median_hours_forward_to_outcome", t.median("act_h").hours],
        ]
        if self.company_view:
            # Platforms see their notices, not what experts rejected or still hold.
            rows = [
                ["notices_received", c.forwarded],
                ["notices_open", c.state("forwarded")],
                ["listings_removed", c.removed],
                ["other_outcomes", c.closed - c.removed],
                ["open_notices_overdue_now", sum(self.d.overdue_now.values())],
                ["median_hours_forward_to_takedown", t.median("takedown_h").hours],
                ["median_hours_forward_to_outcome", t.median("act_h").hours],
            ]
        else:
            rows.insert(0, ["volunteers_active", self.d.volunteers_active])
        table = Table(
            "headline", _("Headline figures"), [Column("figure", "text"), Column("value", "text")]
        )
        table.rows = [[name, _csv_number(value)] for name, value in rows]
        return table

    def weekly(self) -> Table:
        kind, periods = self.d.periods
        states = COMPANY_STATES if self.company_view else CHART_STATES
        table = Table(
            "weekly",
            _("Reports per week by where they are now")
            if kind == "week"
            else _("Reports per month by where they are now"),
            [Column(f"{kind}_start", "text"), *[Column(s) for s in states], Column("total")],
        )
        for start, counts in periods:
            values = [counts.state(s) for s in states]
            table.rows.append([start.isoformat(), *values, sum(values)])
        if kind == "month":
            table.note = _(
                "Monthly: per-day counters are kept for one filter at a time, and weeks are shown "
                "for ranges of up to two years (see docs/quality.md)."
            )
        return table

    def funnel(self) -> Table:
        c = self.d.totals.counts
        stages = [
            ("submitted", c.submitted),
            ("confirmed", c.confirmed),
            ("forwarded", c.forwarded),
            ("removed", c.removed),
        ]
        table = Table(
            "funnel",
            _("Funnel"),
            [Column("stage", "text"), Column("reports"), Column("share_of_submitted", "pct")],
        )
        for name, n in stages:
            table.rows.append([name, n, n / c.submitted if c.submitted else None])
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
        rows = sorted(self.d.regions.values(), key=lambda g: (-g.counts.accuracy.decided, g.key))
        for g in rows:
            a = g.counts.accuracy
            table.rows.append(
                [
                    g.key or "??",
                    g.counts.submitted,
                    a.confirmed,
                    a.rejected,
                    a.decided,
                    *accuracy_cells(a),
                ]
            )
        return table

    def region_sentences(self) -> list[str]:
        return [
            g.counts.accuracy.sentence(_("%(region)s volunteers") % {"region": g.key or "??"})
            for g in sorted(self.d.regions.values(), key=lambda g: -g.counts.accuracy.decided)
            if g.counts.accuracy.decided
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
        rows = sorted(self.d.groups.values(), key=lambda g: (-g.counts.submitted, str(g.key)))
        for g in rows[:10]:
            c = g.counts
            table.rows.append(
                [
                    self.labels.group(g.key),
                    c.submitted,
                    c.confirmed,
                    c.rejected,
                    c.removed,
                    *accuracy_cells(c.accuracy),
                ]
            )
        return table

    def _company_groups(self) -> Table:
        """A platform sees the species groups of the notices it received, nothing more."""
        table = Table(
            "groups",
            _("Species groups of the notices"),
            [Column("species_group", "text"), Column("notices"), Column("removed")],
        )
        rows = sorted(self.d.groups.values(), key=lambda g: (-g.counts.forwarded, str(g.key)))
        for g in rows[:10]:
            if g.counts.forwarded:
                table.rows.append([self.labels.group(g.key), g.counts.forwarded, g.counts.removed])
        return table

    def companies(self) -> Table:
        accuracy_columns = [] if self.company_view else ACCURACY_COLUMNS
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
            ],
        )
        overdue = self.d.overdue_now
        groups: list[Group] = sorted(
            self.d.companies.values(), key=lambda g: (-g.counts.forwarded, str(g.key))
        )
        for g in groups:
            c = g.counts
            if not c.forwarded and (self.company_view or not c.submitted):
                continue
            late = c.get("late", 0) + overdue.get(g.key, 0)
            table.rows.append(
                [
                    self.labels.company(g.key),
                    c.forwarded,
                    c.state("forwarded"),
                    c.removed,
                    c.closed - c.removed,
                    g.median("act_h").hours,
                    c.get("late", 0),
                    overdue.get(g.key, 0),
                    late / c.forwarded if c.forwarded else None,
                    *([] if self.company_view else accuracy_cells(c.accuracy)),
                ]
            )
        table.note = _(
            "Overdue share = (outcomes recorded after a deadline + open notices past one now) "
            "÷ reports forwarded. Median time to act runs from forwarding to the outcome."
        )
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
        if self.d.filters.cell:
            table.note = _("Shown without filters only (counters per language are programme-wide).")
        rows = sorted(self.d.languages.values(), key=lambda g: -g.counts.accuracy.decided)
        for g in rows:
            a = g.counts.accuracy
            if a.decided:
                table.rows.append(
                    [g.key or "unspecified", a.confirmed, a.rejected, *accuracy_cells(a)]
                )
        return table

    def agreement(self) -> Table:
        a = self.d.agreement
        c = self.d.totals.counts
        table = Table(
            "agreement",
            _("Expert agreement (blind second reviews)"),
            [Column("figure", "text"), Column("value", "text")],
        )
        table.rows = [
            ["both_confirmed", a.cc],
            ["first_confirmed_second_rejected", a.cr],
            ["first_rejected_second_confirmed", a.rc],
            ["both_rejected", a.rr],
            ["cases", a.n],
            ["agreement_rate", _csv_number(a.rate)],
            ["cohens_kappa", _csv_number(a.kappa)],
            ["senior_upheld_first_verdict", c.get("sr:upheld", 0)],
            ["senior_overturned_first_verdict", c.get("sr:overturned", 0)],
        ]
        return table

    def table(self, name: str) -> Table:
        allowed = COMPANY_TABLES if self.company_view else PROGRAMME_TABLES
        if name not in allowed:
            raise KeyError(name)
        return getattr(self, name)()

    # --- charts ---------------------------------------------------------------------------
    def weekly_chart(self, table: Table):
        states = [c.label for c in table.columns[1:-1]]
        series = [
            charts.Series(STATE_LABELS[s], STATE_COLOURS[s], [row[1 + i] for row in table.rows])
            for i, s in enumerate(states)
        ]
        labels = [row[0][5:] if len(table.rows) > 14 else row[0] for row in table.rows]
        total = sum(row[-1] for row in table.rows)
        return charts.stacked_columns(
            "chart-weekly",
            table.title,
            _("%(n)d reports in %(p)d periods, stacked by where each report is now.")
            % {"n": total, "p": len(table.rows)},
            labels,
            series,
        ), [(STATE_LABELS[s], STATE_COLOURS[s]) for s in states]

    def funnel_chart(self, table: Table):
        bars = [
            charts.Bar(
                row[0].capitalize(), row[1], f"({row[2] * 100:.0f}%)" if row[2] is not None else ""
            )
            for row in table.rows
        ]
        return charts.horizontal_bars(
            "chart-funnel",
            table.title,
            _("Of the reports submitted, how many were confirmed, forwarded and removed."),
            bars,
        )

    def regions_chart(self, table: Table):
        rows = [charts.Interval(r[0], r[5], r[6], r[7], r[4]) for r in table.rows[:15]]
        return charts.interval_dots(
            "chart-regions",
            table.title,
            _("Accuracy per volunteer country with 95% Wilson intervals."),
            rows,
        )

    def groups_chart(self, table: Table):
        bars = [charts.Bar(r[0], r[1]) for r in table.rows]
        return charts.horizontal_bars(
            "chart-groups",
            table.title,
            _("Reports submitted per species group."),
            bars,
        )

    def companies_chart(self, table: Table):
        bars = [charts.Bar(r[0], round(r[5], 1), "h") for r in table.rows[:15] if r[5] is not None]
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
