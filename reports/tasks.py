"""Celery tasks: thin shells that take ids and call services.

Long retry schedules live in the database (``Delivery.next_attempt_at``) and are driven by the
``sweep_outbox`` beat task, never by long countdowns that could outlive Redis' visibility timeout.
Embedded mode (no Redis) runs ``.delay()`` in-process: the first attempt happens after commit and
a failure is only rescheduled in the database, for ``manage.py run_outbox --loop`` to retry.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import before_task_publish
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from . import alerts, forwarding

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver(delivery_id: int) -> str | None:
    # Safe to run twice: the attempt claims the row under a lock and a lease.
    return forwarding.attempt_delivery(delivery_id)


@shared_task(ignore_result=True)
def sweep_outbox(limit: int = 500) -> int:
    """Queue every delivery whose next attempt is due (new, retrying, stuck in flight, lost)."""
    return forwarding.queue_due(limit)


@shared_task(ignore_result=True)
def check_slas() -> int:
    from .sla import escalate_overdue

    return escalate_overdue()


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Beat schedules this every minute; the worker that runs it is alive (reports/alerts.py)."""
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
def send_digests() -> int:
    """Plan yesterday's digests (once per company and day) and send every due one."""
    from .digest import run_due_digests

    return run_due_digests()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_digest(run_id: int) -> str | None:
    from .digest import attempt_digest

    return attempt_digest(run_id)


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
    # A lost courtesy email must not fail the task (and, embedded, the company's request).
    if not send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, [volunteer.email], fail_silently=True
    ):
        log.warning("Could not email volunteer about report %s (%s)", report.reference, event)


@shared_task(ignore_result=True)
def purge_rejected_originals() -> int:
    """Retention: delete originals of long-rejected reports (see reports/retention.py)."""
    from .retention import purge_rejected_originals as purge

    return purge()
