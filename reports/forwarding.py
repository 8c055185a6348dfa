"""The outbox: deliveries of forwarded reports to member companies.

A delivery row is written in the confirming transaction; a Celery task (queued after commit)
makes one attempt; failures are rescheduled *in the database* with exponential backoff and
jitter, and the periodic sweep re-queues whatever is due, including rows whose worker died
mid-send and rows whose queued task was lost with Redis. The idempotency key travels with every
attempt, so a receiver can drop repeats. Guarantee: at-least-once per row, one key per row, and
one row per (report, company, channel).

The attempt machinery (claim → send outside any transaction → record the result only if this
attempt still owns the row) is shared with the daily digests (``DigestRun``, reports/digest.py).
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from spotter.audit import record_event
from spotter.models import User

from .models import Channel, Delivery, DeliveryStatus, Report

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


# --- Creating and queueing ------------------------------------------------------------------


def channels_for(report: Report) -> list[str]:
    company = report.company
    channels = [Channel.PORTAL]
    if company.enforcement_email:
        if company.daily_digest:
            channels.append(Channel.DIGEST)
        elif company.notify_by_email:
            channels.append(Channel.EMAIL)
    if company.webhook_enabled and company.webhook_url:
        channels.append(Channel.WEBHOOK)
    return channels


def create_deliveries(report: Report) -> list[Delivery]:
    """Outbox rows for a report being forwarded; call inside the forwarding transaction."""
    now = timezone.now()
    deliveries = []
    for channel in channels_for(report):
        defaults = {"idempotency_key": new_key(), "next_attempt_at": now}
        if channel in INDIVIDUAL_CHANNELS:
            defaults["queued_at"] = now  # enqueue_after_commit queues it
        if channel == Channel.PORTAL:
            # The portal reads the database: the report is there the moment it commits.
            defaults.update(status=DeliveryStatus.SENT, sent_at=now, attempts=1)
        delivery, _ = Delivery.objects.get_or_create(
            report=report, company=report.company, channel=channel, defaults=defaults
        )
        deliveries.append(delivery)
    return deliveries


def enqueue_after_commit(deliveries: list[Delivery]) -> None:
    for delivery in deliveries:
        if delivery.status == DeliveryStatus.PENDING and delivery.channel in INDIVIDUAL_CHANNELS:
            transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))


def _enqueue(delivery_id: int) -> None:
    from .tasks import deliver

    try:
        deliver.delay(delivery_id)
    except Exception:  # noqa: BLE001 — the broker being down must not fail the user's request
        log.warning(
            "Could not queue delivery %s; the sweep will pick it up.", delivery_id, exc_info=True
        )
        Delivery.objects.filter(pk=delivery_id).update(queued_at=None)


def _due(now) -> models.QuerySet[Delivery]:
    return Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        channel__in=INDIVIDUAL_CHANNELS,
        next_attempt_at__lte=now,
    )


def due_delivery_ids(limit: int = 500) -> list[int]:
    return list(
        _due(timezone.now()).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )


def queue_due(limit: int = 500) -> int:
    """The sweep: queue a task for every due row not already waiting on the broker.

    A row counts as waiting if it was queued less than OUTBOX_REQUEUE_SECONDS ago; after that
    its message is presumed lost (Redis restarted, worker killed holding it) and it is queued
    again. A message that was merely slow is harmless: the attempt's claim lets one through.
    """
    from .tasks import deliver

    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_REQUEUE_SECONDS)
    with transaction.atomic():
        ids = list(
            _due(now)
            .filter(models.Q(queued_at__isnull=True) | models.Q(queued_at__lte=stale))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        Delivery.objects.filter(pk__in=ids).update(queued_at=now)
    for index, delivery_id in enumerate(ids):
        try:
            deliver.delay(delivery_id)
        except Exception:  # noqa: BLE001 — broker down: leave the rest for the next sweep
            log.warning("Broker unavailable; %d deliveries left for the next sweep.", len(ids))
            Delivery.objects.filter(pk__in=ids[index:]).update(queued_at=None)
            return index
    return len(ids)


def drain_due(limit: int = 500) -> int:
    """Attempt every due delivery in this process (embedded mode's loop)."""
    count = 0
    for delivery_id in due_delivery_ids(limit):
        if attempt_delivery(delivery_id) is not None:
            count += 1
    return count


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


def attempt_delivery(delivery_id: int) -> str | None:
    """Make one attempt. Returns the resulting status, or None if nothing was done."""
    from .channels import send

    delivery = claim_attempt(
        Delivery, delivery_id, related=("report", "company"), channel__in=INDIVIDUAL_CHANNELS
    )
    if delivery is None:
        return None
    failure = send_safely(send, delivery)
    audit = {
        "channel": delivery.channel,
        "company": delivery.company.slug,
        "key": delivery.idempotency_key,
        "attempt": delivery.attempts,
    }
    if failure is None:
        with transaction.atomic():
            if mark_sent(Delivery, delivery):
                record_event(actor=None, action="delivery.sent", target=delivery.report, data=audit)
        return DeliveryStatus.SENT
    with transaction.atomic():
        status = mark_failed(Delivery, delivery, failure)
        if status == DeliveryStatus.DEAD:
            record_event(
                actor=None,
                action="delivery.dead",
                target=delivery.report,
                reason=str(failure)[:500],
                data=audit,
            )
    return status


def retry_dead_delivery(*, delivery: Delivery, actor: User | None) -> Delivery:
    """An admin's one-click retry: back to pending, due now, attempts counted afresh.

    A dead digest row is retried with its whole digest (one email carries them all)."""
    if delivery.channel == Channel.DIGEST and delivery.digest_id:
        from .digest import retry_dead_digest

        retry_dead_digest(run_id=delivery.digest_id, actor=actor)
        delivery.refresh_from_db()
        return delivery
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status != DeliveryStatus.DEAD:
            return delivery
        now = timezone.now()
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = now
        delivery.queued_at = now
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "queued_at"])
        record_event(
            actor=actor,
            action="delivery.retried",
            target=delivery.report,
            data={"channel": delivery.channel, "company": delivery.company.slug},
        )
        enqueue_after_commit([delivery])
    return delivery
