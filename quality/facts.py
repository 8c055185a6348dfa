"""What one report contributes to the counters: a pure function of the report's current row.

Both the incremental path (``quality.rollups.sync``) and the rebuild (``rebuild_rollups``)
derive a report's facts with :func:`facts_from_row` and count them with ``quality.cube``, so
they cannot disagree about what a report counts as; they can only disagree if a report
changed without being synced.

Every counter is keyed by the report's **submission** day (its cohort) and shows where the
report is now, except the ``notice:*`` counters of the transparency report, which are keyed by
the day the notice was sent to the platform.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from .stats import hours_bucket

# Dimensions of the data cube, as bits of PeriodCount.cell.
CELL_COUNTRY = 1
CELL_GROUP = 2
CELL_COMPANY = 4
CELL_PRODUCT = 8
CELL_LANGUAGE = 16
FILTER_CELLS = tuple(range(8))  # every subset of region / species group / company

# Which cells each family of metrics keeps. Month rows exist for every subset of the filters;
# week and day rows (weekly charts, rolling windows) only for cells of at most one dimension:
# finer combinations would make the cube as big as the data itself.
DAY_CELLS = (0, CELL_COUNTRY, CELL_GROUP, CELL_COMPANY)
STATE_MONTH_CELLS = (*FILTER_CELLS, CELL_LANGUAGE)
MEASURE_CELLS = FILTER_CELLS
NOTICE_CELLS = (0, CELL_COMPANY, CELL_PRODUCT)

# Where a report is now ("cohort state"). Duplicates are kept apart and never counted as
# submitted; withdrawn reports are not submitted either; needs-info counts as pending.
PENDING, WITHDRAWN, DUPLICATE = "pending", "withdrawn", "duplicate"
REJECTED, CONFIRMED, FORWARDED = "rejected", "confirmed", "forwarded"
CLOSED_STATES = ("removed", "already_gone", "no_violation", "other")
STATES = (PENDING, REJECTED, CONFIRMED, FORWARDED, *CLOSED_STATES, WITHDRAWN, DUPLICATE)
SUBMITTED_STATES = (PENDING, REJECTED, CONFIRMED, FORWARDED, *CLOSED_STATES)
CONFIRMED_STATES = (CONFIRMED, FORWARDED, *CLOSED_STATES)
FORWARDED_STATES = (FORWARDED, *CLOSED_STATES)
NOTICE_STATES = ("open", *CLOSED_STATES)

STATUS_TO_STATE = {
    "submitted": PENDING,
    "in_review": PENDING,
    "needs_info": PENDING,
    "withdrawn": WITHDRAWN,
    "duplicate": DUPLICATE,
    "rejected": REJECTED,
    "confirmed": CONFIRMED,
    "forwarded": FORWARDED,
    "acknowledged": FORWARDED,
}

# The columns read from a report (with its volunteer, species and second review).
ROW_FIELDS = (
    "id",
    "volunteer_id",
    "volunteer__country",
    "species__group_id",
    "company_id",
    "product_type_id",
    "listing_language",
    "status",
    "outcome",
    "submitted_at",
    "decided_at",
    "forwarded_at",
    "acknowledged_at",
    "outcome_at",
    "ack_due_at",
    "act_due_at",
    "second_review__first_verdict",
    "second_review__second_verdict",
    "second_review__senior_verdict",
)


class Facts(NamedTuple):
    volunteer_id: int
    day: date
    country: str
    species_group_id: int
    company_id: int
    product_type_id: int
    language: str
    state: str
    decide_bucket: int  # -1: not decided
    act_bucket: int  # -1: no outcome yet
    late: bool
    forwarded_day: date | None
    second_pair: str  # "" or first+second verdict initials: "cc", "cr", "rc", "rr"
    senior_result: str  # "", "upheld" or "overturned"


FACT_FIELDS = Facts._fields


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _hours(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 3600)


def facts_from_row(row: dict[str, Any]) -> Facts:
    state = STATUS_TO_STATE.get(row["status"])
    if row["status"] == "closed":
        state = row["outcome"] if row["outcome"] in CLOSED_STATES else "other"
    decided_at, outcome_at = row["decided_at"], row["outcome_at"]
    late = bool(
        outcome_at
        and (
            (row["act_due_at"] and outcome_at > row["act_due_at"])
            or (
                row["ack_due_at"]
                and row["acknowledged_at"]
                and row["acknowledged_at"] > row["ack_due_at"]
            )
        )
    )
    first, second = row["second_review__first_verdict"], row["second_review__second_verdict"]
    senior = row["second_review__senior_verdict"]
    return Facts(
        volunteer_id=row["volunteer_id"],
        day=utc_day(row["submitted_at"]),
        country=(row["volunteer__country"] or "")[:2],
        species_group_id=row["species__group_id"] or 0,
        company_id=row["company_id"] or 0,
        product_type_id=row["product_type_id"] or 0,
        language=(row["listing_language"] or "").lower()[:10],
        state=state or PENDING,
        decide_bucket=hours_bucket(_hours(row["submitted_at"], decided_at))
        if decided_at and state in (REJECTED, *CONFIRMED_STATES)
        else -1,
        act_bucket=hours_bucket(_hours(row["forwarded_at"], outcome_at))
        if outcome_at and row["forwarded_at"]
        else -1,
        late=late,
        forwarded_day=utc_day(row["forwarded_at"]) if row["forwarded_at"] else None,
        second_pair=(first[0] + second[0]) if first and second else "",
        senior_result=("upheld" if senior == first else "overturned") if senior else "",
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
