"""Celery tasks: thin shells that take ids and call services.

Long retry schedules live in the database (``Delivery.next_attempt_at``) and are driven by the
``sweep_outbox`` beat task, never by long countdowns that could outlive Redis' visibility timeout.
Embedded mode (no Redis) runs ``.delay()`` in-process: the first attempt happens after commit and
a failure is only rescheduled in the database, for ``manage.py run_outbox --loop`` to retry.

The tasks the outbox itself queues, ``deliver``, ``deliver_company`` and ``send_digest``, are
defined beside the code that queues them (reports/forwarding/delivery.py, digest.py) under their
``reports.tasks.*`` names and re-exported here, so this module stays above the package it wraps.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import before_task_publish
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from spotter.languages import user_language
from spotter.siteurl import absolute_url

from . import forwarding, headline, staging
from .cites import refresh_current_appendices
from .forwarding import alerts
from .forwarding.delivery import deliver, deliver_company
from .forwarding.digest import run_due_digests, send_digest
from .forwarding.sla import escalate_overdue
from .models import Report
from .retention import purge_rejected_originals as purge

__all__ = [
    "beat_heartbeat",
    "check_operations",
    "check_slas",
    "deliver",
    "deliver_company",
    "heartbeat",
    "notify_volunteer",
    "purge_rejected_originals",
    "send_digest",
    "send_digests",
    "sweep_outbox",
]

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def sweep_outbox(limit: int = 500) -> int:
    """Queue every delivery whose next attempt is due (new, retrying, stuck in flight, lost)."""
    return forwarding.queue_due(limit)


@shared_task(ignore_result=True)
def check_slas() -> int:
    """Escalate overdue reports, once each (reports/forwarding/sla.py)."""
    return escalate_overdue()


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Beat schedules this every minute; the worker that runs it is alive (forwarding/alerts.py)."""
    alerts.record_heartbeat(alerts.WORKER)


@shared_task(ignore_result=True)
def check_operations() -> int:
    """Open / resolve operations alerts and email admins the new ones."""
    alerts.record_heartbeat(alerts.WORKER)  # running this proves the worker is alive
    return len(alerts.check_operations().opened)


@before_task_publish.connect(sender="reports.tasks.heartbeat")
@before_task_publish.connect(sender="reports.tasks.check_operations")
def beat_heartbeat(sender=None, **kwargs) -> None:
    """Only beat publishes these tasks: publishing one is beat's own heartbeat (written before
    the broker is touched, so beat counts as alive even while Redis is down)."""
    try:
        alerts.record_heartbeat(alerts.BEAT)
    except Exception:  # noqa: BLE001 — never stop beat from publishing
        log.warning("Could not record beat's heartbeat", exc_info=True)


@shared_task(ignore_result=True)
def refresh_headline_counts() -> None:
    headline.refresh()


@shared_task(ignore_result=True)
def send_digests() -> int:
    """Plan yesterday's digests (once per company and day) and send every due one."""
    return run_due_digests()


@shared_task(acks_late=True, ignore_result=True)
def notify_volunteer(report_id: int, event: str) -> None:
    """Tell the volunteer what happened to their report (verdict, info request, outcome)."""
    report = Report.objects.select_related("volunteer", "species", "product_type").get(pk=report_id)
    volunteer = report.volunteer
    if not volunteer.is_active or not volunteer.email:
        return
    with translation.override(user_language(volunteer)):
        report_url = absolute_url(reverse("reports:detail", args=[report.reference]))
        context = {"report": report, "event": event, "report_url": report_url}
        subject = render_to_string("reports/email/volunteer_subject.txt", context).strip()
        body = render_to_string("reports/email/volunteer_update.txt", context)
    # A lost courtesy email must not fail the task (and, embedded, the company's request).
    if not send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, [volunteer.email], fail_silently=True
    ):
        log.warning("Could not email volunteer about report %s (%s)", report.reference, event)


@shared_task(ignore_result=True)
def purge_rejected_originals() -> int:
    """Retention: delete originals of long-rejected reports (see reports/retention.py) and the
    screenshots kept from failed submits past their day (reports/staging.py)."""
    staging.purge_expired()
    return purge()


@shared_task(ignore_result=True)
def refresh_cites_appendices() -> int:
    """Daily: a listing change announced with a future date comes into force on its day."""
    return len(refresh_current_appendices())
