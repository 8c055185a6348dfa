"""The email channel: notices, escalations and the daily digest go out through one sender,
each written in the company's notice language (``notices.notice_language``).

Every message carries its row's key as Message-ID; a refused send raises DeliveryFailed so the
outbox retries it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from spotter.siteurl import absolute_url

from ..models import Delivery
from ..notices import notice_context, notice_language
from .outbox import DeliveryFailed

MESSAGE_ID_DOMAIN = "cyberspotter.notices"


def message_id(key: str) -> str:
    """The same Message-ID on every retry: mail systems and people can spot repeats."""
    return f"<{key}@{MESSAGE_ID_DOMAIN}>"


def send_mail_message(
    *, key: str, subject: str, text: str, html: str | None, to: list[str], headers: dict
) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[settings.PROGRAMME_CONTACT_EMAIL],
        headers={"Message-ID": message_id(key), **headers},
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 — SMTP errors vary; all are retryable
        raise DeliveryFailed(f"SMTP: {type(exc).__name__}: {exc}") from exc


def send_email_notice(delivery: Delivery) -> None:
    company = delivery.company
    if not company.enforcement_email:
        raise DeliveryFailed("The company has no enforcement email address.", permanent=True)
    report = delivery.report
    with translation.override(notice_language(company)):
        context = notice_context(report)
        subject = _("[Cyber Spotter] Notice %(reference)s: %(species)s") % {
            "reference": report.reference,
            "species": report.species_label,
        }
        subject = subject[:200]
        text = render_to_string("reports/notice/notice.txt", context)
        html = render_to_string("reports/notice/notice.html", context)
    send_mail_message(
        key=delivery.idempotency_key,
        subject=subject,
        text=text,
        html=html,
        to=[company.enforcement_email],
        headers={"X-Cyber-Spotter-Reference": report.reference},
    )


def send_escalation(delivery: Delivery) -> None:
    """The one email to the company's second contact about an overdue notice."""
    company = delivery.company
    if not company.escalation_email:
        raise DeliveryFailed("The company has no escalation contact.", permanent=True)
    report = delivery.report
    with translation.override(notice_language(company)):
        context = {
            "report": report,
            "company": company,
            "portal_url": absolute_url(reverse("reports:company_detail", args=[report.reference])),
            "notifier_email": settings.PROGRAMME_CONTACT_EMAIL,
        }
        subject = _("[Cyber Spotter] Overdue notice %(reference)s") % {
            "reference": report.reference
        }
        text = render_to_string("reports/email/escalation.txt", context)
    send_mail_message(
        key=delivery.idempotency_key,
        subject=subject,
        text=text,
        html=None,
        to=[company.escalation_email],
        headers={"X-Cyber-Spotter-Reference": report.reference},
    )
