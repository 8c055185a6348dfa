"""Deliveries attempted one at a time (email, webhook, escalation): one attempt, its Celery
task, and queueing that task after commit or from the sweep.

The ``deliver`` task is defined here, beside the function it runs and the code that queues it,
under its public name ``reports.tasks.deliver`` (reports/tasks.py re-exports it): the outbox
queues it, so defining it in reports/tasks.py — which sits above this package — would make the
package import upwards. A task is safe to run twice: the attempt claims the row under a lock and
a lease.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from spotter.audit import record_event, record_events

from ..models import Delivery, DeliveryStatus
from .channels import send
from .outbox import (
    INDIVIDUAL_CHANNELS,
    claim_batch,
    due_deliveries,
    due_delivery_ids,
    lease,
    mark_failed,
    mark_sent_many,
    queue_due_rows,
    release_claims,
    send_safely,
)

log = logging.getLogger(__name__)

NOTICE_RELATED = (
    "company",
    "report__company",
    "report__species__group",
    "report__product_type",
)


# Rows of one company and channel sent by one task (see attempt_batch); a deployment sets it.
BATCH_SIZE = getattr(settings, "OUTBOX_BATCH_SIZE", 50)


def _audit(delivery: Delivery) -> dict:
    return {
        "channel": delivery.channel,
        "company": delivery.company.slug,
        "key": delivery.idempotency_key,
        "attempt": delivery.attempts,
    }


def attempt_delivery(delivery_id: int) -> str | None:
    """Make one attempt at one row. Returns the resulting status, or None if nothing was done."""
    return attempt_batch(delivery_id, limit=1).get(delivery_id)


def attempt_batch(delivery_id: int, limit: int | None = None) -> dict[int, str]:
    """Attempt row ``delivery_id`` and up to ``limit - 1`` other due rows for the same company
    and channel: one claiming transaction and one transaction recording the successes for the
    whole batch, instead of two per row (bench/forwarding_bench.py: the commits were most of an
    attempt's time). Returns {row id: resulting status} for the rows attempted.

    The batch stops at the first failure (the receiver is likely down or slow: the rest should
    not each wait for its timeout) and when a third of the lease is spent, and gives back the
    rows it did not attempt, so they are due again at once — their own tasks or the sweep take
    them."""
    limit = BATCH_SIZE if limit is None else limit
    rows = claim_batch(
        Delivery,
        delivery_id,
        limit=limit,
        same=("company_id", "channel"),
        # Everything the notice reads about the report, in the claiming query: one round trip
        # instead of four lazy lookups per attempt (found by bench/forwarding_bench.py).
        related=NOTICE_RELATED,
        channel__in=INDIVIDUAL_CHANNELS,
    )
    # The notices list each report's screenshots: one query for the batch, not one per notice.
    prefetch_related_objects([delivery.report for delivery in rows], "evidence")
    budget = lease().total_seconds() / 3
    started = time.monotonic()
    results: dict[int, str] = {}
    sent: list[Delivery] = []
    for index, delivery in enumerate(rows):
        if index and time.monotonic() - started > budget:
            release_claims(Delivery, rows[index:])
            break
        failure = send_safely(send, delivery)
        if failure is None:
            sent.append(delivery)
            continue
        with transaction.atomic():
            status = mark_failed(Delivery, delivery, failure)
            if status == DeliveryStatus.DEAD:
                record_event(
                    actor=None,
                    action="delivery.dead",
                    target=delivery.report,
                    reason=str(failure)[:500],
                    data=_audit(delivery),
                )
        results[delivery.pk] = status
        release_claims(Delivery, rows[index + 1 :])
        break
    with transaction.atomic():
        record_events(
            [
                {"actor": None, "action": "delivery.sent", "target": d.report, "data": _audit(d)}
                for d in mark_sent_many(Delivery, sent)
            ]
        )
    results.update({delivery.pk: DeliveryStatus.SENT for delivery in sent})
    return results


@shared_task(
    name="reports.tasks.deliver", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def deliver(delivery_id: int) -> str | None:
    return attempt_batch(delivery_id).get(delivery_id)


# --- Queueing -------------------------------------------------------------------------------


def enqueue_after_commit(deliveries: list[Delivery]) -> None:
    for delivery in deliveries:
        if delivery.status == DeliveryStatus.PENDING and delivery.channel in INDIVIDUAL_CHANNELS:
            transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))


def _enqueue(delivery_id: int) -> None:
    try:
        deliver.delay(delivery_id)
    except Exception:  # noqa: BLE001 — the broker being down must not fail the user's request
        log.warning(
            "Could not queue delivery %s; the sweep will pick it up.", delivery_id, exc_info=True
        )
        Delivery.objects.filter(pk=delivery_id).update(queued_at=None)


def queue_due(limit: int = 500) -> int:
    """The sweep: queue a task for every due delivery not already waiting on the broker."""
    return queue_due_rows(Delivery, due_deliveries(timezone.now()), deliver, limit)


def drain_due(limit: int = 500) -> int:
    """Attempt every due delivery in this process (embedded mode's loop)."""
    count = 0
    for delivery_id in due_delivery_ids(limit):
        count += len(attempt_batch(delivery_id))  # 0 for a row an earlier batch took
    return count
