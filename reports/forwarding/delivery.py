"""Deliveries attempted one at a time (email, webhook, escalation): one attempt or a batch of
one company's rows, their Celery tasks, and queueing after commit or from the sweep.

A confirmation wakes its company's channel once (``deliver_company``, deduplicated in the
cache), and that task drains every due row of the company and channel in batches; the sweep
queues ``deliver`` for a single due row, which takes a batch of its company's rows with it.

The tasks are defined here, beside the function it runs and the code that queues it,
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
from django.core.cache import cache
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from spotter.audit import record_events

from .. import conf
from ..models import Delivery, DeliveryStatus
from .channels import send
from .outbox import (
    INDIVIDUAL_CHANNELS,
    claim_batch,
    due_deliveries,
    due_delivery_ids,
    lease,
    mark_sent_many,
    queue_due_rows,
    record_failure,
    release_claims,
    send_safely,
)
from .webhooks import keep_alive

log = logging.getLogger(__name__)

NOTICE_RELATED = (
    "company",
    "report__company",
    "report__species__group",
    "report__product_type",
)


# Rows of one company and channel sent by one claim (see attempt_batch); env OUTBOX_BATCH_SIZE.
BATCH_SIZE = conf.OUTBOX_BATCH_SIZE


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
    attempt's time). Returns {row id: resulting status} for the rows attempted."""
    return _attempt(_claim(delivery_id, BATCH_SIZE if limit is None else limit))


def _claim(delivery_id: int | None, limit: int, **match) -> list[Delivery]:
    rows = claim_batch(
        Delivery,
        delivery_id,
        limit=limit,
        same=("company_id", "channel"),
        # Everything the notice reads about the report, in the claiming query: one round trip
        # instead of four lazy lookups per attempt (found by bench/forwarding_bench.py).
        related=NOTICE_RELATED,
        channel__in=INDIVIDUAL_CHANNELS,
        **match,
    )
    # The notices list each report's screenshots and state its species' CITES listing history:
    # one query each for the batch, not one per notice (bench/forwarding_bench.py).
    prefetch_related_objects(
        [delivery.report for delivery in rows], "evidence", "species__cites_listings"
    )
    return rows


def _attempt(rows: list[Delivery]) -> dict[int, str]:
    """Send claimed rows in order over kept-alive connections, then record the successes.

    The batch stops at the first failure (the receiver is likely down or slow: the rest should
    not each wait for its timeout) and when a third of the lease is spent, and gives back the
    rows it did not attempt, so they are due again at once — their own tasks or the sweep take
    them."""
    budget = lease().total_seconds() / 3
    started = time.monotonic()
    results: dict[int, str] = {}
    sent: list[Delivery] = []
    with keep_alive():
        for index, delivery in enumerate(rows):
            if index and time.monotonic() - started > budget:
                release_claims(Delivery, rows[index:])
                break
            failure = send_safely(send, delivery)
            if failure is None:
                sent.append(delivery)
                continue
            results[delivery.pk] = record_failure(
                Delivery,
                delivery,
                failure,
                dead_action="delivery.dead",
                target=delivery.report,
                data=_audit(delivery),
            )
            release_claims(Delivery, rows[index + 1 :])
            break
    if sent:
        with transaction.atomic():
            record_events(
                [
                    {
                        "actor": None,
                        "action": "delivery.sent",
                        "target": d.report,
                        "data": _audit(d),
                    }
                    for d in mark_sent_many(Delivery, sent)
                ]
            )
    results.update({delivery.pk: DeliveryStatus.SENT for delivery in sent})
    return results


def drain_company(company_id: int, channel: str) -> int:
    """Attempt every due row of one company and channel, a batch at a time, until none is due,
    a batch fails (the receiver is down: backoff decides when to try again) or a third of the
    lease is spent (then the company is woken again, so one company cannot hold a worker).

    The first full batch leaves one more wake-up, so an idle worker joins in on a backlog (the
    claims skip each other's rows); there is never more than one wake-up waiting per company and
    channel, and a task that finds nothing due ends at once. Returns how many rows were
    attempted.

    Embedded mode (no broker: tasks run inside the confirming request) sends one batch and
    leaves the rest to the outbox loop (``manage.py run_outbox --loop``), so a request never
    drains a backlog and a wake-up never runs nested inside another."""
    embedded = settings.CELERY_TASK_ALWAYS_EAGER
    started = time.monotonic()
    count = 0
    helped = embedded
    while True:
        rows = _claim(None, BATCH_SIZE, company_id=company_id, channel=channel)
        if len(rows) == BATCH_SIZE and not helped:
            wake(company_id, channel)
            helped = True
        results = _attempt(rows)
        count += len(results)
        if not results or any(status != DeliveryStatus.SENT for status in results.values()):
            return count
        if embedded:
            return count
        if time.monotonic() - started > lease().total_seconds() / 3:
            wake(company_id, channel)
            return count


@shared_task(
    name="reports.tasks.deliver", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def deliver(delivery_id: int) -> str | None:
    return attempt_batch(delivery_id).get(delivery_id)


@shared_task(
    name="reports.tasks.deliver_company",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def deliver_company(company_id: int, channel: str) -> int:
    # Forget the wake-up *before* claiming: a row committed from now on wakes the company again
    # (and a new task is queued), a row committed before is seen by the claims below.
    _forget_wake(company_id, channel)
    return drain_company(company_id, channel)


# --- Queueing -------------------------------------------------------------------------------


def enqueue_after_commit(deliveries: list[Delivery]) -> None:
    """After the commit, wake each company and channel that got a row to send (one message per
    company and channel, not per row: a backlog of confirmations is one task's batches)."""
    wanted = {
        (delivery.company_id, delivery.channel)
        for delivery in deliveries
        if delivery.status == DeliveryStatus.PENDING and delivery.channel in INDIVIDUAL_CHANNELS
    }
    for company_id, channel in sorted(wanted):
        transaction.on_commit(lambda c=company_id, ch=channel: wake(c, ch))


def wake_key(company_id: int, channel: str) -> str:
    return f"outbox:wake:{company_id}:{channel}"


def wake(company_id: int, channel: str) -> None:
    """Queue ``deliver_company`` unless a wake-up of this company and channel is already waiting
    on the broker (``cache.add`` is atomic in Redis). A wake-up whose message is lost expires
    after OUTBOX_REQUEUE_SECONDS; its rows are then queued again by the sweep like any row whose
    message was lost."""
    key = wake_key(company_id, channel)
    try:
        if not cache.add(key, 1, timeout=settings.OUTBOX_REQUEUE_SECONDS):
            return
        deliver_company.delay(company_id, channel)
    except Exception:  # noqa: BLE001 — the broker being down must not fail the user's request
        log.warning(
            "Could not queue deliveries of company %s (%s); the sweep will pick them up.",
            company_id,
            channel,
            exc_info=True,
        )
        _forget_wake(company_id, channel)
        Delivery.objects.filter(
            company_id=company_id, channel=channel, status=DeliveryStatus.PENDING
        ).update(queued_at=None)


def _forget_wake(company_id: int, channel: str) -> None:
    try:
        cache.delete(wake_key(company_id, channel))
    except Exception:  # noqa: BLE001 — an unreachable cache only delays the next wake-up
        log.warning("Could not clear the wake-up of company %s", company_id, exc_info=True)


def queue_due(limit: int = 500) -> int:
    """The sweep: queue a task for every due delivery not already waiting on the broker."""
    return queue_due_rows(Delivery, due_deliveries(timezone.now()), deliver, limit)


def drain_due(limit: int = 500) -> int:
    """Attempt every due delivery in this process (embedded mode's loop)."""
    count = 0
    for delivery_id in due_delivery_ids(limit):
        count += len(attempt_batch(delivery_id))  # 0 for a row an earlier batch took
    return count
