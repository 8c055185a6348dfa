"""The outbox's primitives: one attempt at one row, whatever the row and the channel.

A delivery row (and a daily digest run) is written in the confirming transaction; a Celery task
(queued after commit) makes one attempt; failures are rescheduled *in the database* with
exponential backoff and jitter, and the periodic sweep re-queues whatever is due, including rows
whose worker died mid-send and rows whose queued task was lost with Redis. The idempotency key
travels with every attempt, so a receiver can drop repeats. Guarantee: at-least-once per row, one
key per row, and one row per (report, company, channel).

This module is the bottom of the package (docs/forwarding.md, "Module layout"): claim → send
outside any transaction → record the result only if this attempt still owns the row. It knows
no channel and no task; deliveries (delivery.py) and daily digests (digest.py) build on it.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from spotter.audit import record_event

from ..models import Channel, Delivery, DeliveryStatus

log = logging.getLogger(__name__)

# Channels attempted one row at a time. Portal rows are "sent" on commit; digest rows ride on
# their company's DigestRun.
INDIVIDUAL_CHANNELS = (Channel.EMAIL, Channel.WEBHOOK, Channel.ESCALATION)

Row = TypeVar("Row", bound=models.Model)


class DeliveryFailed(Exception):
    def __init__(self, message: str, retry_after: timedelta | None = None, permanent: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


def new_key() -> str:
    return f"msg_{uuid.uuid4().hex}"


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


def lease() -> timedelta:
    """How long an attempt holds its row; must exceed the slowest send (webhook/SMTP timeout)."""
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def backoff_delay(attempts: int) -> timedelta:
    """Delay after the ``attempts``-th failure: exponential (base, 2×base, 4×base … capped),
    with "equal jitter" — uniform between half the ceiling and the ceiling — so receivers
    coming back up are not hit by every retry at once, yet the schedule keeps growing."""
    base = settings.OUTBOX_BASE_DELAY_SECONDS
    exponent = min(max(attempts - 1, 0), 40)
    ceiling = min(settings.OUTBOX_MAX_DELAY_SECONDS, base * 2**exponent)
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def due_deliveries(now) -> models.QuerySet[Delivery]:
    """Pending rows attempted one at a time whose next attempt is due (new, retrying, or whose
    lease ran out because the worker died)."""
    return Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        channel__in=INDIVIDUAL_CHANNELS,
        next_attempt_at__lte=now,
    )


def due_delivery_ids(limit: int = 500) -> list[int]:
    return list(
        due_deliveries(timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def queue_due_rows(model: type[Row], due: models.QuerySet, task, limit: int = 500) -> int:
    """The sweep for one kind of row: queue ``task`` for every due row of ``due`` not already
    waiting on the broker; returns how many were queued.

    A row counts as waiting if it was queued less than OUTBOX_REQUEUE_SECONDS ago; after that
    its message is presumed lost (Redis restarted, worker killed holding it) and it is queued
    again. A message that was merely slow is harmless: the attempt's claim lets one through."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_REQUEUE_SECONDS)
    with transaction.atomic():
        ids = list(
            due.filter(models.Q(queued_at__isnull=True) | models.Q(queued_at__lte=stale))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        model.objects.filter(pk__in=ids).update(queued_at=now)
    for index, row_id in enumerate(ids):
        try:
            task.delay(row_id)
        except Exception:  # noqa: BLE001 — broker down: leave the rest for the next sweep
            log.warning(
                "Broker unavailable; %d %s rows left for the next sweep.",
                len(ids) - index,
                model.__name__,
            )
            model.objects.filter(pk__in=ids[index:]).update(queued_at=None)
            return index
    return len(ids)


# --- One attempt ----------------------------------------------------------------------------


def claim_attempt(
    model: type[Row], pk: int, *, related: tuple[str, ...] = (), **match
) -> Row | None:
    """Reserve the next attempt of a due, pending row, or return None (not due, done, gone).

    The row is pushed a lease into the future, so a second task for it finds nothing to do; if
    the worker dies mid-send, the row is due again when the lease ends."""
    with transaction.atomic():
        row = (
            model.objects.select_for_update(of=("self",))
            .select_related(*related)
            .filter(pk=pk, **match)
            .first()
        )
        now = timezone.now()
        if row is None or row.status != DeliveryStatus.PENDING or row.next_attempt_at > now:
            return None
        row.attempts += 1
        row.last_attempt_at = now
        row.next_attempt_at = now + lease()
        fields = ["attempts", "last_attempt_at", "next_attempt_at"]
        if hasattr(row, "queued_at"):
            row.queued_at = None
            fields.append("queued_at")
        row.save(update_fields=fields)
        return row


def claim_batch(
    model: type[Row],
    pk: int | None,
    *,
    limit: int,
    same: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    **match,
) -> list[Row]:
    """Reserve row ``pk`` (as :func:`claim_attempt`) and up to ``limit - 1`` other due rows with
    the same values of the ``same`` fields, in one transaction; rows another worker holds are
    skipped, not waited for. Nothing is claimed when ``pk`` itself is not due: the batch rides on
    a row's own task, so a task for a row already handled costs one indexed read. With ``pk``
    None, up to ``limit`` due rows matching ``match`` are claimed, the longest-due first (a
    company's wake-up task: delivery.deliver_company).

    On PostgreSQL the claim commits without waiting for the WAL flush: a claim lost in a database
    crash only leaves its rows due, which the at-least-once design already covers (the same keys
    are sent again)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        now = timezone.now()
        due = (
            model.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related(*related)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now, **match)
        )
        if pk is None:
            rows = list(due.order_by("next_attempt_at")[:limit])
        else:
            first = due.filter(pk=pk).first()
            if first is None:
                return []
            rows = [first]
            if limit > 1:
                alike = {field: getattr(first, field) for field in same}
                rows += list(
                    due.filter(**alike).exclude(pk=pk).order_by("next_attempt_at")[: limit - 1]
                )
        if not rows:
            return []
        until = now + lease()
        changes = {
            "attempts": models.F("attempts") + 1,
            "last_attempt_at": now,
            "next_attempt_at": until,
        }
        if hasattr(rows[0], "queued_at"):
            changes["queued_at"] = None
        model.objects.filter(pk__in=[row.pk for row in rows]).update(**changes)
        for row in rows:
            row.attempts += 1
            row.last_attempt_at = now
            row.next_attempt_at = until
            if hasattr(row, "queued_at"):
                row.queued_at = None
        return rows


def revive(row: Row) -> None:
    """A dead row back to pending, due now, its attempts counted afresh and marked queued (the
    caller queues it after commit): an admin's retry of a dead letter, in the caller's
    transaction with the row locked."""
    now = timezone.now()
    row.status = DeliveryStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = now
    row.queued_at = now
    row.save(update_fields=["status", "attempts", "next_attempt_at", "queued_at"])


def release_claims(model: type[Row], rows: list[Row]) -> None:
    """Give back claimed rows that were not attempted (the batch stopped early): due again now,
    with the attempt they did not make taken back — only if no newer attempt owns them."""
    for row in rows:
        model.objects.filter(
            pk=row.pk, status=DeliveryStatus.PENDING, attempts=row.attempts
        ).update(attempts=row.attempts - 1, next_attempt_at=timezone.now())


def mark_sent_many(model: type[Row], rows: list[Row]) -> list[Row]:
    """:func:`mark_sent` for several rows in the caller's transaction; returns the rows whose
    success was recorded now (not those already marked sent)."""
    if not rows:
        return []
    by_pk = {row.pk: row for row in rows}
    fresh = list(
        model.objects.select_for_update()
        .filter(pk__in=by_pk, status__in=[DeliveryStatus.PENDING, DeliveryStatus.DEAD])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    model.objects.filter(pk__in=fresh).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return [by_pk[pk] for pk in fresh]


def send_safely(send: Callable[[Row], None], row: Row) -> DeliveryFailed | None:
    """Run one send; any exception is a failed attempt (returned), never a crashed task."""
    try:
        send(row)
    except DeliveryFailed as exc:
        return exc
    except Exception as exc:  # noqa: BLE001
        log.exception("%s %s failed", type(row).__name__, row.pk)
        return DeliveryFailed(f"{type(exc).__name__}: {exc}")
    return None


def mark_sent(model: type[Row], row: Row) -> bool:
    """Record a successful attempt. Success always wins, even over a newer attempt's failure:
    the receiver has it. Returns False if the row was already sent (nothing to record)."""
    return bool(
        model.objects.filter(
            pk=row.pk, status__in=[DeliveryStatus.PENDING, DeliveryStatus.DEAD]
        ).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="")
    )


def mark_failed(model: type[Row], row: Row, failure: DeliveryFailed) -> str | None:
    """Reschedule (or give up on) a failed attempt — only if no newer attempt owns the row."""
    dead = failure.permanent or row.attempts >= max_attempts()
    delay = failure.retry_after if failure.retry_after is not None else backoff_delay(row.attempts)
    status = DeliveryStatus.DEAD if dead else DeliveryStatus.PENDING
    updated = model.objects.filter(
        pk=row.pk, status=DeliveryStatus.PENDING, attempts=row.attempts
    ).update(status=status, last_error=str(failure)[:2000], next_attempt_at=timezone.now() + delay)
    return status if updated else None


def record_failure(
    model: type[Row], row: Row, failure: DeliveryFailed, *, dead_action: str, target, data: dict
) -> str | None:
    """:func:`mark_failed` in its own transaction, with the audit event ``dead_action`` on
    ``target`` when the row has given up (the dead letter an admin will retry)."""
    with transaction.atomic():
        status = mark_failed(model, row, failure)
        if status == DeliveryStatus.DEAD:
            record_event(
                actor=None,
                action=dead_action,
                target=target,
                reason=str(failure)[:500],
                data=data,
            )
    return status
