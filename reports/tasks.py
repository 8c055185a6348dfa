"""Celery tasks: thin shells that take ids and call services.

Long retry schedules live in the database (``Delivery.next_attempt_at``) and are driven by the
``sweep_outbox`` beat task, never by long countdowns that could outlive Redis' visibility timeout.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from . import forwarding

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver(delivery_id: int) -> str | None:
    return forwarding.attempt_delivery(delivery_id)


@shared_task(ignore_result=True)
def sweep_outbox(limit: int = 500) -> int:
    """Queue every delivery whose next attempt is due (new, retrying, or stuck in flight)."""
    ids = forwarding.due_delivery_ids(limit)
    for delivery_id in ids:
        deliver.delay(delivery_id)
    return len(ids)


@shared_task(ignore_result=True)
def check_slas() -> int:
    from .sla import escalate_overdue

    return escalate_overdue()


@shared_task(acks_late=True, ignore_result=True)
def notify_volunteer(report_id: int, event: str) -> None:
    """Tell the volunteer what happened to their report (verdict, info request, outcome)."""
    from .models import Report

    report = Report.objects.select_related("volunteer", "species", "product_type").get(pk=report_id)
    volunteer = report.volunteer
    if not volunteer.is_active or not volunteer.email:
        return
    with translation.override("en"):
        context = {"report": report, "event": event, "site_url": settings.SITE_URL}
        subject = render_to_string("reports/email/volunteer_subject.txt", context).strip()
        body = render_to_string("reports/email/volunteer_update.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [volunteer.email], fail_silently=True)
