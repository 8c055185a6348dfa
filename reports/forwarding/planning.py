"""Planning a forwarded report's deliveries: what confirm / forward calls.

``create_deliveries`` writes one outbox row per channel (portal, email or digest, webhook) in
the forwarding transaction and ``enqueue_after_commit`` (delivery.py) wakes a worker for each
once it commits. ``retry_dead_delivery`` is the admin's one-click retry of a dead letter.
This is the top of the package: it may use every module below it (docs/forwarding.md).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from spotter.audit import record_event
from spotter.models import User

from ..models import Channel, Delivery, DeliveryStatus, Report
from .delivery import enqueue_after_commit
from .digest import retry_dead_digest
from .outbox import INDIVIDUAL_CHANNELS, new_key, revive


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


def retry_dead_delivery(*, delivery: Delivery, actor: User | None) -> Delivery:
    """An admin's one-click retry: back to pending, due now, attempts counted afresh.

    A dead digest row is retried with its whole digest (one email carries them all)."""
    if delivery.channel == Channel.DIGEST and delivery.digest_id:
        retry_dead_digest(run_id=delivery.digest_id, actor=actor)
        delivery.refresh_from_db()
        return delivery
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status != DeliveryStatus.DEAD:
            return delivery
        revive(delivery)
        record_event(
            actor=actor,
            action="delivery.retried",
            target=delivery.report,
            data={"channel": delivery.channel, "company": delivery.company.slug},
        )
        enqueue_after_commit([delivery])
    return delivery
