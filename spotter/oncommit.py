"""Queue a Celery task once the current transaction commits, never failing the change itself.

Receivers of ``report_changed`` in several apps hand slow work to a worker this way (seller
indexing, risk scores): nothing is queued for a change that rolled back, and a broker outage is
logged — the app's periodic job or management command catches up — instead of failing the
volunteer's or expert's request.

A job that changes many reports at once (bulk intake's import) wraps each chunk in
``coalesced()``: the calls are collected and, once the chunk has committed, each task is sent
once — as its registered batch variant with every id (``register_batch``), else once per
distinct arguments — instead of one message (and, in the embedded default, one in-process run
with its own commit) per report. The work done is the same; only the number of runs changes.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

log = logging.getLogger(__name__)

# Task name → the task taking a list of the single task's first argument (report ids).
_batch_variants: dict[str, object] = {}
_collected: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "oncommit_collected", default=None
)
BATCH_SIZE = 500


def register_batch(task, many_task) -> None:
    """``many_task.delay([a1, a2, …])`` does what ``task.delay(a1)``, ``task.delay(a2)``… do."""
    _batch_variants[task.name] = many_task


def _send(task, args: tuple, catch_up: str) -> None:
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 — the broker being down must not fail the change
        log.warning("Could not queue %s%s; %s", task.name, args, catch_up, exc_info=True)


def delay_on_commit(task, *args, catch_up: str) -> None:
    """``task.delay(*args)`` after commit; ``catch_up`` says what repairs a lost message."""
    collected = _collected.get()
    if collected is not None:
        calls = collected.setdefault(task.name, (task, catch_up, {}))[2]
        calls.setdefault(args, None)  # a dict keeps the order and drops repeats
        return
    transaction.on_commit(lambda: _send(task, args, catch_up))


@contextmanager
def coalesced() -> Iterator[None]:
    """Collect ``delay_on_commit`` calls made inside; when the block ends without an error,
    send them grouped — after the enclosing transaction commits, or at once when there is
    none (wrap the transaction whose changes queue them, not a part of it)."""
    collected: dict = {}
    token = _collected.set(collected)
    try:
        yield
    finally:
        _collected.reset(token)
    transaction.on_commit(lambda: _dispatch(collected))


def _dispatch(collected: dict) -> None:
    for task, catch_up, calls in collected.values():
        many = _batch_variants.get(task.name)
        if many is not None and all(len(args) == 1 for args in calls):
            ids = [args[0] for args in calls]
            for start in range(0, len(ids), BATCH_SIZE):
                _send(many, (ids[start : start + BATCH_SIZE],), catch_up)
        else:
            for args in calls:
                _send(task, args, catch_up)
