"""Turning report facts into counter rows, for one report (a diff) or a million (a rebuild).

Each report is first counted once at the finest level it is kept at (``Base``); the cube's
coarser cells are then rolled up from finer ones (country × group × platform → country ×
group → country → all). Rolling up is linear, so the same code serves an incremental diff
(new facts minus old facts, with negative counts) and a full rebuild, and costs a few passes
over the distinct keys instead of ~50 dictionary updates per report.

Period row keys, in the column order of PeriodCount's unique index:
(grain, cell, metric, country, species_group_id, company_id, day, bucket, product_type_id,
language).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .facts import (
    CELL_COMPANY,
    CELL_COUNTRY,
    CELL_GROUP,
    CELL_LANGUAGE,
    CELL_PRODUCT,
    CLOSED_STATES,
    CONFIRMED_STATES,
    DUPLICATE,
    FORWARDED_STATES,
    REJECTED,
    WITHDRAWN,
    Facts,
)

# Which finer cell each month cell is rolled up from (the finest, 7, comes from the base).
MONTH_ROLLUPS = ((3, 7), (5, 7), (6, 7), (1, 3), (2, 3), (4, 5), (0, 1))
DAY_CELLS_FROM_BASE = (CELL_COUNTRY, CELL_GROUP, CELL_COMPANY)
VOLUNTEER_PERIOD_FIELDS = ("submitted", "confirmed", "rejected")
TALLY_FIELDS = ("submitted", "confirmed", "rejected", "forwarded", "removed")


def _counter() -> defaultdict:
    return defaultdict(int)


@dataclass
class Base:
    """Counts at the finest level kept; every counter row is a roll-up of one of these."""

    # (metric, bucket, month, country, group, company): states and measures, month rows
    month: defaultdict = field(default_factory=_counter)
    # (metric, day, country, group, company): states, day and week rows
    day: defaultdict = field(default_factory=_counter)
    # (metric, month, language): states per listing language
    language: defaultdict = field(default_factory=_counter)
    # (metric, bucket, month sent, company, product): notices for the transparency report
    notice: defaultdict = field(default_factory=_counter)
    # (volunteer, kind, start, field) and (volunteer, dimension, value, field)
    volunteer_period: defaultdict = field(default_factory=_counter)
    tally: defaultdict = field(default_factory=_counter)

    def parts(self) -> tuple[defaultdict, ...]:
        return (
            self.month,
            self.day,
            self.language,
            self.notice,
            self.volunteer_period,
            self.tally,
        )

    def subtract(self, other: Base) -> Base:
        for mine, theirs in zip(self.parts(), other.parts(), strict=True):
            for key, n in theirs.items():
                mine[key] -= n
        return self


def count(f: Facts | None, base: Base | None = None) -> Base:
    """Add one report's facts to ``base`` (a new one if not given)."""
    base = base if base is not None else Base()
    if f is None:
        return base
    month = f.day.replace(day=1)
    dims = (f.country, f.species_group_id, f.company_id)
    state = "s:" + f.state
    base.month[(state, 0, month, *dims)] += 1
    base.day[(state, f.day, *dims)] += 1
    base.language[(state, month, f.language)] += 1
    if f.state == DUPLICATE:
        return base
    if f.decide_bucket >= 0:
        base.month[("decide_h", f.decide_bucket, month, *dims)] += 1
    if f.act_bucket >= 0:
        base.month[("act_h", f.act_bucket, month, *dims)] += 1
        if f.state == "removed":
            base.month[("takedown_h", f.act_bucket, month, *dims)] += 1
    if f.late:
        base.month[("late", 0, month, *dims)] += 1
    if f.second_pair:
        base.month[("sr:" + f.second_pair, 0, month, *dims)] += 1
    if f.senior_result:
        base.month[("sr:" + f.senior_result, 0, month, *dims)] += 1
    if f.forwarded_day is not None:
        sent = f.forwarded_day.replace(day=1)
        notice = f.state if f.state in CLOSED_STATES else "open"
        base.notice[("notice:" + notice, 0, sent, f.company_id, f.product_type_id)] += 1
        if f.act_bucket >= 0:
            base.notice[("notice_h", f.act_bucket, sent, f.company_id, f.product_type_id)] += 1
    _count_volunteer(f, month, base)
    return base


def _count_volunteer(f: Facts, month: date, base: Base) -> None:
    if f.state == WITHDRAWN:
        return
    verdict = (
        "confirmed" if f.state in CONFIRMED_STATES else "rejected" if f.state == REJECTED else ""
    )
    week = f.day - timedelta(days=f.day.weekday())
    volunteer = f.volunteer_id
    for kind, start in (("d", f.day), ("w", week), ("m", month)):
        base.volunteer_period[(volunteer, kind, start, "submitted")] += 1
        if verdict:
            base.volunteer_period[(volunteer, kind, start, verdict)] += 1
    base.tally[(volunteer, "all", "", "submitted")] += 1
    if verdict:
        base.tally[(volunteer, "all", "", verdict)] += 1
        for dimension, value in (
            ("group", str(f.species_group_id)),
            ("company", str(f.company_id)),
            ("language", f.language),
        ):
            base.tally[(volunteer, dimension, value, verdict)] += 1
    if f.state in FORWARDED_STATES:
        base.tally[(volunteer, "all", "", "forwarded")] += 1
    if f.state == "removed":
        base.tally[(volunteer, "all", "", "removed")] += 1


@dataclass
class Rows:
    """Counter rows to write: key tuple → count (or list of counts)."""

    periods: dict[tuple, int]
    volunteer_periods: dict[tuple, list[int]]
    tallies: dict[tuple, list[int]]


def _roll_month(parent: dict, cell: int) -> defaultdict:
    out = _counter()
    keep_country, keep_group, keep_company = (
        cell & CELL_COUNTRY,
        cell & CELL_GROUP,
        cell & CELL_COMPANY,
    )
    for (metric, bucket, month, country, group, company), n in parent.items():
        if n:
            out[
                (
                    metric,
                    bucket,
                    month,
                    country if keep_country else "",
                    group if keep_group else 0,
                    company if keep_company else 0,
                )
            ] += n
    return out


def expand(base: Base) -> Rows:
    """Every counter row implied by ``base``; rows whose count sums to zero are dropped."""
    periods: dict[tuple, int] = {}
    month_cells = {7: base.month}
    for cell, parent in MONTH_ROLLUPS:
        month_cells[cell] = _roll_month(month_cells[parent], cell)
    for cell, counts in month_cells.items():
        for (metric, bucket, month, country, group, company), n in counts.items():
            if n:
                periods[("m", cell, metric, country, group, company, month, bucket, 0, "")] = n

    day_cells: dict[int, defaultdict] = {}
    for cell in DAY_CELLS_FROM_BASE:
        out = day_cells[cell] = _counter()
        for (metric, day, country, group, company), n in base.day.items():
            if n:
                out[
                    (
                        metric,
                        day,
                        country if cell == CELL_COUNTRY else "",
                        group if cell == CELL_GROUP else 0,
                        company if cell == CELL_COMPANY else 0,
                    )
                ] += n
    total = day_cells[0] = _counter()
    for (metric, day, _c, _g, _k), n in day_cells[CELL_COUNTRY].items():
        total[(metric, day, "", 0, 0)] += n
    weeks: dict[date, date] = {}
    for cell, counts in day_cells.items():
        week_counts = _counter()
        for (metric, day, country, group, company), n in counts.items():
            if n:
                periods[("d", cell, metric, country, group, company, day, 0, 0, "")] = n
                week = weeks.get(day) or weeks.setdefault(day, day - timedelta(days=day.weekday()))
                week_counts[(metric, week, country, group, company)] += n
        for (metric, week, country, group, company), n in week_counts.items():
            if n:
                periods[("w", cell, metric, country, group, company, week, 0, 0, "")] = n

    for (metric, month, language), n in base.language.items():
        if n:
            periods[("m", CELL_LANGUAGE, metric, "", 0, 0, month, 0, 0, language)] = n

    notices = _counter()
    for (metric, bucket, month, company, product), n in base.notice.items():
        if n:
            notices[("m", 0, metric, "", 0, 0, month, bucket, 0, "")] += n
            notices[("m", CELL_COMPANY, metric, "", 0, company, month, bucket, 0, "")] += n
            notices[("m", CELL_PRODUCT, metric, "", 0, 0, month, bucket, product, "")] += n
    periods.update((key, n) for key, n in notices.items() if n)

    return Rows(
        periods=periods,
        volunteer_periods=_gather(base.volunteer_period, VOLUNTEER_PERIOD_FIELDS),
        tallies=_gather(base.tally, TALLY_FIELDS),
    )


def _gather(counts: dict, fields: tuple[str, ...]) -> dict[tuple, list[int]]:
    rows: dict[tuple, list[int]] = {}
    for (*key, name), n in counts.items():
        if n:
            rows.setdefault(tuple(key), [0] * len(fields))[fields.index(name)] += n
    return {key: values for key, values in rows.items() if any(values)}
