"""Referral deliveries through the member notices' outbox primitives and channel senders.

Same rules as reports/forwarding (docs/forwarding.md): a row per (referral, channel) written in
the routing transaction, its key reused on every attempt (email ``Message-ID``, webhook
``webhook-id``), ``claim_attempt`` with a lease, backoff and dead letters from ``mark_failed``,
``mark_sent`` where success always wins. Only the senders' inputs differ: the partner's address,
secret and language.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import models, transaction
from django.utils import timezone

from reports.forwarding.mail import send_mail_message
from reports.forwarding.outbox import (
    DeliveryFailed,
    claim_attempt,
    mark_sent,
    queue_due_rows,
    record_failure,
    send_safely,
)
from reports.forwarding.webhooks import send_signed
from reports.models import DeliveryStatus
from spotter.audit import record_event

from . import notices
from .models import ReferralChannel, ReferralDelivery, ReferralPartner

log = logging.getLogger(__name__)

RELATED = (
    "referral__partner",
    "referral__report__company",
    "referral__report__species__group",
    "referral__report__product_type",
)


def _disable_webhook(partner: ReferralPartner) -> None:
    with transaction.atomic():
        ReferralPartner.objects.filter(pk=partner.pk).update(webhook_enabled=False)
        record_event(
            actor=None,
            action="referral_partner.webhook_disabled",
            target=partner,
            reason="Endpoint answered 410 Gone",
        )


def send(delivery: ReferralDelivery) -> None:
    partner = delivery.referral.partner
    if delivery.channel == ReferralChannel.WEBHOOK:
        if not partner.webhook_enabled or not partner.webhook_url:
            raise DeliveryFailed("The partner's webhook is disabled.", permanent=True)
        if not partner.webhook_secret:
            raise DeliveryFailed("The partner has no webhook secret.", permanent=True)
        send_signed(
            url=partner.webhook_url,
            secret=partner.webhook_secret,
            key=delivery.idempotency_key,
            body=notices.webhook_body(delivery),
            on_gone=lambda: _disable_webhook(partner),
        )
        return
    if not partner.email:
        raise DeliveryFailed("The partner has no contact email.", permanent=True)
    subject, text, html = notices.email_message(delivery)
    send_mail_message(
        key=delivery.idempotency_key,
        subject=subject,
        text=text,
        html=html,
        to=[partner.email],
        headers={"X-Cyber-Spotter-Reference": delivery.referral.report.reference},
    )


def attempt(delivery_id: int) -> str | None:
    """One attempt at one referral delivery; the resulting status, None if nothing was done."""
    delivery = claim_attempt(ReferralDelivery, delivery_id, related=RELATED)
    if delivery is None:
        return None
    failure = send_safely(send, delivery)
    referral = delivery.referral
    audit = {
        "channel": delivery.channel,
        "partner": referral.partner.name,
        "key": delivery.idempotency_key,
        "attempt": delivery.attempts,
    }
    if failure is None:
        with transaction.atomic():
            if mark_sent(ReferralDelivery, delivery):
                record_event(actor=None, action="referral.sent", target=referral.report, data=audit)
        return DeliveryStatus.SENT
    return record_failure(
        ReferralDelivery,
        delivery,
        failure,
        dead_action="referral.dead",
        target=referral.report,
        data=audit,
    )


@shared_task(
    name="referrals.tasks.deliver_referral",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def deliver_referral(delivery_id: int) -> str | None:
    return attempt(delivery_id)


def enqueue_after_commit(deliveries: list[ReferralDelivery]) -> None:
    for delivery in deliveries:
        if delivery.status == DeliveryStatus.PENDING:
            transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))


def _enqueue(delivery_id: int) -> None:
    try:
        deliver_referral.delay(delivery_id)
    except Exception:  # noqa: BLE001 — a broker outage must not fail the request
        log.warning("Could not queue referral delivery %s; the sweep will.", delivery_id)
        ReferralDelivery.objects.filter(pk=delivery_id).update(queued_at=None)


def _due(now) -> models.QuerySet[ReferralDelivery]:
    return ReferralDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)


def queue_due(limit: int = 500) -> int:
    """The sweep: queue every due row not already waiting on the broker (reports' own sweep)."""
    return queue_due_rows(ReferralDelivery, _due(timezone.now()), deliver_referral, limit)


def drain_due(limit: int = 200) -> int:
    """Attempt every due row in this process (the embedded loop, no broker)."""
    ids = list(
        _due(timezone.now()).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
    return sum(1 for delivery_id in ids if attempt(delivery_id) is not None)
