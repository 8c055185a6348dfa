"""Keeping the counters in step with the reports, and rebuilding them from scratch.

``sync(report)`` reads the report's current row, derives its facts (``quality.facts``),
compares them with the facts stored when it was last counted, and applies the difference as
increments/decrements. It is idempotent, so calling it twice (or for a change that does not
matter to the counters) is harmless. It runs inside the caller's transaction: the transition
services call it through ``reports.rollups``; ``quality.signals`` covers the two transitions
that have no hook (resubmit and withdraw).

Increments are single ``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`` statements,
which both SQLite (≥ 3.24) and PostgreSQL run atomically, so two transactions that create the
same counter row at once cannot lose an update or fail on the unique key. Rows are written in
sorted key order so concurrent PostgreSQL transactions lock them in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction

from reports.models import Report

from .cube import TALLY_FIELDS, VOLUNTEER_PERIOD_FIELDS, Base, Rows, count, expand
from .facts import FACT_FIELDS, ROW_FIELDS, Facts, facts_from_row
from .models import PERIOD_KEY, PeriodCount, ReportFacts, VolunteerPeriod, VolunteerTally

VOLUNTEER_PERIOD_KEY = ["volunteer", "kind", "start"]
TALLY_KEY = ["volunteer", "dimension", "value"]


def _columns(model, names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def _write(model, keys: Sequence[str], values: Sequence[str], rows: list[tuple], *, add: bool):
    """Insert rows; with ``add`` an existing row gets the values added to its own."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_cols = [quote(c) for c in _columns(model, keys)]
    value_cols = [quote(c) for c in _columns(model, values)]
    # Identifiers come from model metadata, values are parameters: no user input in the SQL.
    columns = ", ".join(key_cols + value_cols)
    placeholders = ", ".join(["%s"] * (len(key_cols) + len(value_cols)))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    if add:
        sql += f" ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET " + ", ".join(
            f"{c} = {table}.{c} + excluded.{c}" for c in value_cols
        )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def apply(rows: Rows, *, add: bool = True) -> None:
    """Write counter rows; with ``add`` they are increments (possibly negative)."""

    def ordered(items):
        # Key order: concurrent PostgreSQL transactions lock rows in the same order, and a
        # rebuild writes each cell's rows next to each other on disk, so a dashboard query
        # reads a few contiguous pages instead of one page per row.
        return sorted(items)

    _write(
        PeriodCount,
        PERIOD_KEY,
        ["n"],
        [(*k, n) for k, n in ordered(rows.periods.items())],
        add=add,
    )
    _write(
        VolunteerPeriod,
        VOLUNTEER_PERIOD_KEY,
        list(VOLUNTEER_PERIOD_FIELDS),
        [(*k, *v) for k, v in ordered(rows.volunteer_periods.items())],
        add=add,
    )
    _write(
        VolunteerTally,
        TALLY_KEY,
        list(TALLY_FIELDS),
        [(*k, *v) for k, v in ordered(rows.tallies.items())],
        add=add,
    )


def current_facts(report_id: int) -> Facts | None:
    row = Report.objects.filter(pk=report_id).order_by().values(*ROW_FIELDS).first()
    return facts_from_row(row) if row else None


def sync(report: Report | int) -> None:
    """Bring the counters in line with the report's current state (inside a transaction)."""
    report_id = report if isinstance(report, int) else report.pk
    with transaction.atomic():
        new = current_facts(report_id)
        stored = (
            ReportFacts.objects.select_for_update()
            .filter(report_id=report_id)
            .values(*FACT_FIELDS)
            .first()
        )
        old = Facts(**stored) if stored else None
        if new == old or new is None:
            return
        apply(expand(count(new).subtract(count(old))))
        ReportFacts.objects.update_or_create(report_id=report_id, defaults=new._asdict())


DATETIME_FIELDS = [
    name for name in ROW_FIELDS if name.endswith("_at") and not name.startswith("second_")
]


def _utc(value):
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)  # SQLite: naive UTC text


def _all_rows(chunk_size: int) -> Iterator[dict]:
    """Every report's row, streamed with a plain cursor: the ORM's per-value converters cost
    more than the whole fact derivation when there are a million rows."""
    sql, params = Report.objects.order_by().values_list(*ROW_FIELDS).query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk_size):
            for values in batch:
                row = dict(zip(ROW_FIELDS, values, strict=True))
                for name in DATETIME_FIELDS:
                    row[name] = _utc(row[name])
                yield row


@dataclass
class RebuildResult:
    reports: int
    period_rows: int
    volunteer_rows: int


def _lock_for_rebuild() -> None:
    # PostgreSQL: transitions wait (at their ReportFacts SELECT … FOR UPDATE) until the rebuild
    # commits, so none can slip between the rebuild's read of the reports and its writes.
    # SQLite: write transactions are IMMEDIATE (see settings), so writers are already serial.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = ", ".join(
                connection.ops.quote_name(m._meta.db_table)
                for m in (ReportFacts, PeriodCount, VolunteerPeriod, VolunteerTally)
            )
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def rebuild(*, chunk_size: int = 20_000) -> RebuildResult:
    """Recompute every counter and every report's stored facts from the reports table."""
    with transaction.atomic():
        _lock_for_rebuild()
        for model in (PeriodCount, VolunteerPeriod, VolunteerTally, ReportFacts):
            model.objects.all().delete()  # a single DELETE: nothing cascades
        base = Base()
        batch: list[tuple] = []
        reports = 0
        fact_columns = ["report", *FACT_FIELDS]
        for row in _all_rows(chunk_size):
            facts = facts_from_row(row)
            count(facts, base)
            batch.append((row["id"], *facts))
            reports += 1
            if len(batch) >= chunk_size:
                _write(ReportFacts, fact_columns, [], batch, add=False)
                batch = []
        _write(ReportFacts, fact_columns, [], batch, add=False)
        apply(expand(base), add=False)
    return RebuildResult(
        reports=reports,
        period_rows=PeriodCount.objects.count(),
        volunteer_rows=VolunteerPeriod.objects.count() + VolunteerTally.objects.count(),
    )
