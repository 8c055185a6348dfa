"""The rows of the dashboard tables, read by name. Their fields follow the tables' columns (the
CSV headers); a field that is a tuple or a dict spreads over several columns (see
``tables.Table``)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from .stats import AccuracyEstimate


class AccuracyCells(NamedTuple):
    """Columns accuracy, ci_low, ci_high (``sections.ACCURACY_COLUMNS``)."""

    rate: float | None
    low: float | None
    high: float | None

    @classmethod
    def of(cls, estimate: AccuracyEstimate) -> AccuracyCells:
        return cls(estimate.rate, estimate.low, estimate.high)


class Figure(NamedTuple):
    """A named figure (headline and agreement tables)."""

    figure: str
    value: object


class PeriodRow(NamedTuple):
    start: date  # the first day of the week or month
    counts: dict[str, int]  # reports per state (where each one is now), in column order
    total: int


class Stage(NamedTuple):
    stage: str
    reports: int
    share_of_submitted: float | None


class RegionRow(NamedTuple):
    region: str
    submitted: int
    confirmed: int
    rejected: int
    decided: int
    accuracy: AccuracyCells


class GroupRow(NamedTuple):
    species_group: str
    submitted: int
    confirmed: int
    rejected: int
    removed: int
    accuracy: AccuracyCells


class NoticeGroupRow(NamedTuple):
    """A species group as a platform sees it: only the notices it received."""

    species_group: str
    notices: int
    removed: int


class PlatformRow(NamedTuple):
    platform: str
    forwarded: int
    open: int
    removed: int
    other_outcomes: int
    median_hours_to_act: float | None
    acted_late: int
    overdue_now: int
    share_overdue: float | None
    accuracy: AccuracyCells | tuple[()]  # () on a platform's own dashboard: no such columns
    discrepancies: tuple[int] | tuple[()]  # outcome discrepancies (rechecks); () likewise


class LanguageRow(NamedTuple):
    language: str
    confirmed: int
    rejected: int
    accuracy: AccuracyCells


class VolunteerRow(NamedTuple):
    pseudonym: str
    country: str
    submitted: int
    confirmed: int
    rejected: int
    accuracy: AccuracyCells
