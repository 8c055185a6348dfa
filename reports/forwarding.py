"""The outbox: deliveries of forwarded reports to member companies.

A delivery row is written in the confirming transaction; a Celery task (queued after commit)
makes one attempt; failures are rescheduled *in the database* with exponential backoff and
jitter, and the periodic sweep re-queues whatever is due, including rows whose worker died
mid-send. The idempotency key travels with every attempt, so a receiver can drop repeats.
"""

from __future__ import annotations

import logging
import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from spotter.audit import record_event

from .models import Channel, Delivery, DeliveryStatus, Report

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BASE_DELAY_SECONDS = 60
MAX_DELAY_SECONDS = 24 * 3600
# While an attempt is in flight its row is pushed this far into the future; if the worker dies,
# the sweep finds it due again after the lease and retries with the same key.
IN_FLIGHT_LEASE = timedelta(minutes=5)


def channels_for(report: Report) -> list[str]:
    company = report.company
    channels = [Channel.PORTAL]
    if company.notify_by_email and company.enforcement_email and not company.daily_digest:
        channels.append(Channel.EMAIL)
    if company.webhook_enabled and company.webhook_url:
        channels.append(Channel.WEBHOOK)
    return channels


def create_deliveries(report: Report) -> list[Delivery]:
    now = timezone.now()
    deliveries = []
    for channel in channels_for(report):
        delivery, _ = Delivery.objects.get_or_create(
            report=report,
            company=report.company,
            channel=channel,
            defaults={"idempotency_key": f"msg_{uuid.uuid4().hex}", "next_attempt_at": now},
        )
        if channel == Channel.PORTAL and delivery.status == DeliveryStatus.PENDING:
            # The portal reads the database: the report is there the moment it commits.
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = now
            delivery.attempts = 1
            delivery.save(update_fields=["status", "sent_at", "attempts"])
        deliveries.append(delivery)
    return deliveries


def enqueue_after_commit(deliveries: list[Delivery]) -> None:
    for delivery in deliveries:
        if delivery.status == DeliveryStatus.PENDING:
            transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))


def _enqueue(delivery_id: int) -> None:
    from .tasks import deliver

    try:
        deliver.delay(delivery_id)
    except Exception:  # noqa: BLE001 — the broker being down must not fail the user's request
        log.warning(
            "Could not queue delivery %s; the sweep will pick it up.", delivery_id, exc_info=True
        )


def backoff_delay(attempts: int) -> timedelta:
    """Exponential backoff with full jitter: 1 min, 2, 4 … capped at a day."""
    ceiling = min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


class DeliveryFailed(Exception):
    def __init__(self, message: str, retry_after: timedelta | None = None, permanent: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


def _claim_attempt(delivery_id: int) -> Delivery | None:
    """Reserve the next attempt, or return None if it is not due / already done."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("report", "company")
            .filter(pk=delivery_id)
            .first()
        )
        now = timezone.now()
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return None
        if delivery.next_attempt_at > now:
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + IN_FLIGHT_LEASE
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
        return delivery


def attempt_delivery(delivery_id: int) -> str | None:
    """Make one attempt. Returns the resulting status, or None if nothing was due."""
    from .channels import send

    delivery = _claim_attempt(delivery_id)
    if delivery is None:
        return None
    try:
        send(delivery)
    except DeliveryFailed as exc:
        return _record_failure(delivery, str(exc), exc.retry_after, exc.permanent)
    except Exception as exc:  # noqa: BLE001 — any send error is a failed attempt, not a crash
        log.exception("Delivery %s failed", delivery.pk)
        return _record_failure(delivery, f"{type(exc).__name__}: {exc}", None, False)
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
        )
        record_event(
            actor=None,
            action="delivery.sent",
            target=delivery.report,
            data={
                "channel": delivery.channel,
                "company": delivery.company.slug,
                "key": delivery.idempotency_key,
                "attempt": delivery.attempts,
            },
        )
    return DeliveryStatus.SENT


def _record_failure(delivery: Delivery, error: str, retry_after, permanent: bool) -> str:
    with transaction.atomic():
        dead = permanent or delivery.attempts >= MAX_ATTEMPTS
        delay = retry_after if retry_after is not None else backoff_delay(delivery.attempts)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.DEAD if dead else DeliveryStatus.PENDING,
            last_error=error[:2000],
            next_attempt_at=timezone.now() + delay,
        )
        if dead:
            record_event(
                actor=None,
                action="delivery.dead",
                target=delivery.report,
                reason=error[:500],
                data={
                    "channel": delivery.channel,
                    "company": delivery.company.slug,
                    "attempts": delivery.attempts,
                },
            )
    return DeliveryStatus.DEAD if dead else DeliveryStatus.PENDING


def retry_dead_delivery(*, delivery: Delivery, actor) -> Delivery:
    """An admin's one-click retry: back to pending, due now, attempts counted afresh."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status != DeliveryStatus.DEAD:
            return delivery
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        record_event(
            actor=actor,
            action="delivery.retried",
            target=delivery.report,
            data={"channel": delivery.channel, "company": delivery.company.slug},
        )
        enqueue_after_commit([delivery])
    return delivery


def due_delivery_ids(limit: int = 500) -> list[int]:
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def drain_due(limit: int = 500) -> int:
    """Attempt every due delivery in this process (embedded mode's loop and the tests)."""
    count = 0
    for delivery_id in due_delivery_ids(limit):
        if attempt_delivery(delivery_id) is not None:
            count += 1
    return count


def evidence_link_max_age() -> int:
    return settings.EVIDENCE_URL_MAX_AGE
