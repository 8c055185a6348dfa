"""Sending one delivery over its channel. Raise DeliveryFailed to ask for a retry."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .forwarding import DeliveryFailed
from .models import Channel, Delivery
from .notices import notice_context


def send(delivery: Delivery) -> None:
    if delivery.channel == Channel.EMAIL:
        send_email_notice(delivery)
    elif delivery.channel == Channel.WEBHOOK:
        from .webhooks import send_webhook

        send_webhook(delivery)
    elif delivery.channel == Channel.PORTAL:
        return
    else:  # pragma: no cover - guarded by the model's choices
        raise DeliveryFailed(f"Unknown channel {delivery.channel}", permanent=True)


def send_email_notice(delivery: Delivery) -> None:
    company = delivery.company
    if not company.enforcement_email:
        raise DeliveryFailed("The company has no enforcement email address.", permanent=True)
    report = delivery.report
    with translation.override("en"):
        context = notice_context(report)
        subject = f"[Cyber Spotter] Notice {report.reference}: {report.species_label}"[:200]
        text = render_to_string("reports/notice/notice.txt", context)
        html = render_to_string("reports/notice/notice.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[company.enforcement_email],
        reply_to=[settings.PROGRAMME_CONTACT_EMAIL],
        headers={
            # Same Message-ID on every retry: mail systems and people can spot repeats.
            "Message-ID": f"<{delivery.idempotency_key}@cyberspotter.notices>",
            "X-Cyber-Spotter-Reference": report.reference,
        },
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 — SMTP errors vary; all are retryable
        raise DeliveryFailed(f"SMTP: {exc}") from exc
