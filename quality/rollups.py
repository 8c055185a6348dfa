"""Keeping the counters in step with the reports, and rebuilding them from scratch.

Transitions do not touch the counters: every report change appends a marker to
``RollupBacklog`` (``mark_dirty``, a plain INSERT in the transition's transaction; see
``quality.receivers``). The counter rows are shared by every report of a day, region, group or
platform, so updating them inside each transition would make every write wait for every other.
Instead ``refresh`` drains the backlog in short transactions, one writer at a time: Celery beat
every ROLLUP_REFRESH_SECONDS, the embedded worker loop on every pass, and each dashboard read
before it reads (bounded). See docs/quality.md, "How fresh the counters are".

``sync(report)`` reads the report's current row, derives its facts (``quality.facts``),
compares them with the facts stored when it was last counted, and applies the difference as
increments/decrements. It is idempotent, so calling it twice (or for a change that does not
matter to the counters) is harmless.

Increments are single ``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`` statements,
which both SQLite (≥ 3.24) and PostgreSQL run atomically. Rows are written in sorted key order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from django.core.cache import cache
from django.db import connection, transaction

from reports.models import Report

from .cube import TALLY_FIELDS, VOLUNTEER_PERIOD_FIELDS, Base, Rows, count, expand
from .facts import FACT_FIELDS, ROW_FIELDS, Facts, facts_from_row
from .models import (
    PERIOD_KEY,
    PeriodCount,
    ReportFacts,
    RollupBacklog,
    VolunteerPeriod,
    VolunteerTally,
)

VOLUNTEER_PERIOD_KEY = ["volunteer", "kind", "start"]
TALLY_KEY = ["volunteer", "dimension", "value"]
# PostgreSQL advisory lock held by the one transaction that may write the counters.
WRITER_LOCK = 0x5155_414C  # "QUAL"
# Markers synced per refresh transaction: short transactions, readers never wait long.
BATCH = 100
# A dashboard read syncs at most this many pending reports before it reads (see read_fresh).
READ_LIMIT = 500
# Changes whenever the counters change (cache key part of the dashboard's rendered fragment).
VERSION_KEY = "quality:counters:version"


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


def _one_writer(*, wait: bool = True) -> bool:
    """Become the only counter writer until the transaction ends (False: another one is).

    Two syncs of one new report at once would both count it; one writer at a time also means
    no two transactions ever wait for each other on counter rows (no deadlocks). SQLite: write
    transactions are IMMEDIATE (see settings), so writers are already serial."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [WRITER_LOCK])
        return bool(cursor.fetchone()[0])


def counters_version() -> str:
    """A token that changes after every committed change of the counters. Read it before
    reading the counters: a page then never stores new figures under a newer token, only old
    ones under an older token, which is no longer asked for."""
    version = cache.get(VERSION_KEY)
    if version is None:  # a cold cache: start a version (any value not used before will do)
        version = uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def _bump_version() -> None:
    """Now, for readers inside the caller's transaction (if any), and again once it commits, so a
    page that read the counters before the commit cannot leave them under the new token (outside
    a transaction on_commit runs at once)."""
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid4().hex, timeout=None))


def mark_dirty(report_id: int) -> None:
    """The report changed: its counters are due a sync (call inside the change's transaction,
    so the marker commits or rolls back with it)."""
    RollupBacklog.objects.create(report_id=report_id)


def refresh(limit: int | None = None, *, wait: bool = True) -> int:
    """Sync the reports in the backlog, oldest markers first, ``BATCH`` markers per transaction;
    return how many markers were drained (at most ``limit``). With ``wait=False`` it gives up
    at once if another process is refreshing.

    Each transaction deletes exactly the markers it read: a report changed by a transaction
    that commits after the sync read it has a newer marker, which the next pass picks up."""
    if not RollupBacklog.objects.exists():  # the common case: one cheap query
        return 0
    drained = 0
    while limit is None or drained < limit:
        size = BATCH if limit is None else min(BATCH, limit - drained)
        with transaction.atomic():
            if not _one_writer(wait=wait):
                break
            markers = list(
                RollupBacklog.objects.order_by("id").values_list("id", "report_id")[:size]
            )
            sync_many(sorted({report_id for _id, report_id in markers}))
            RollupBacklog.objects.filter(id__in=[pk for pk, _r in markers]).delete()
        drained += len(markers)
        if len(markers) < size:
            break
    if drained:
        _bump_version()
    return drained


def read_fresh() -> None:
    """Called by every read of the counters first: sync what is pending (bounded), so a page
    shows the changes made before it was requested. If another process is refreshing right now
    the page reads what is committed (seconds old) instead of waiting."""
    refresh(limit=READ_LIMIT, wait=False)


def sync(report: Report | int) -> None:
    """Bring the counters in line with the report's current state (inside a transaction)."""
    report_id = report if isinstance(report, int) else report.pk
    with transaction.atomic():
        _one_writer()
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


def sync_many(report_ids: Sequence[int]) -> None:
    """:func:`sync` for many reports at once (a refresh's batch, a bulk import's chunk): one read
    of the reports, one of their stored facts, the differences summed and applied in one write
    per counter table, the stored facts replaced in bulk."""
    if not report_ids:
        return
    with transaction.atomic():
        _one_writer()
        current = {
            row["id"]: facts_from_row(row)
            for row in Report.objects.filter(pk__in=report_ids).order_by().values(*ROW_FIELDS)
        }
        stored = {
            row.pop("report_id"): Facts(**row)
            for row in ReportFacts.objects.select_for_update()
            .filter(report_id__in=report_ids)
            .values("report_id", *FACT_FIELDS)
        }
        new_base, old_base = Base(), Base()
        created, changed = [], []
        for report_id, new in current.items():
            old = stored.get(report_id)
            if new is None or new == old:
                continue
            count(new, new_base)
            count(old, old_base)
            (changed if old else created).append(ReportFacts(report_id=report_id, **new._asdict()))
        if not created and not changed:
            return
        apply(expand(new_base.subtract(old_base)))
        ReportFacts.objects.bulk_create(created)
        if changed:
            ReportFacts.objects.bulk_update(changed, list(FACT_FIELDS), batch_size=500)


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


def rebuild(*, chunk_size: int = 20_000) -> RebuildResult:
    """Recompute every counter and every report's stored facts from the reports table.

    It leaves the backlog alone: a report that changes while the rebuild reads keeps its
    marker, and the next refresh syncs it (a report counted already syncs to no change)."""
    with transaction.atomic():
        _one_writer()  # refreshes wait until the rebuild commits
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
    _bump_version()
    return RebuildResult(
        reports=reports,
        period_rows=PeriodCount.objects.count(),
        volunteer_rows=VolunteerPeriod.objects.count() + VolunteerTally.objects.count(),
    )
