"""Sending one delivery over its channel. Raise DeliveryFailed to ask for a retry.

Portal rows need no sending: the portal reads the database, so planning.py writes them sent.
Digest rows ride on their company's DigestRun (digest.py)."""

from __future__ import annotations

from ..models import Channel, Delivery
from .mail import send_email_notice, send_escalation
from .outbox import DeliveryFailed
from .webhooks import send_webhook


def send(delivery: Delivery) -> None:
    if delivery.channel == Channel.EMAIL:
        send_email_notice(delivery)
    elif delivery.channel == Channel.WEBHOOK:
        send_webhook(delivery)
    elif delivery.channel == Channel.ESCALATION:
        send_escalation(delivery)
    else:  # portal rows are sent on commit; digest rows go with their DigestRun
        raise DeliveryFailed(f"Channel {delivery.channel} is not sent on its own", permanent=True)
