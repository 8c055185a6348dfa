"""Daily digest: one email per company per day listing the day's notices, instead of one each.

While a company has ``daily_digest`` on, forwarding writes a ``digest`` delivery per report
(pending, never attempted on its own). After midnight (UTC) ``plan_digests`` creates one
``DigestRun`` per company — unique per (company, day) — and attaches to it every unattached
digest row of reports forwarded before midnight (so rows left over from days the task did not
run are carried too). ``attempt_digest`` sends the run's email with the outbox's claim, lease
and backoff (Message-ID = the run's key) and then marks its rows sent. Running the task twice,
or in two workers at once, finds the run already planned, claimed or sent: one email.

The ``send_digest`` task (public name ``reports.tasks.send_digest``, re-exported by
reports/tasks.py) lives here because a retried digest queues it: see delivery.py.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from spotter.audit import record_event
from spotter.models import User

from ..models import Channel, Delivery, DeliveryStatus, DigestRun, Report
from ..notices import notice_context, notice_language
from .mail import send_mail_message
from .outbox import (
    DeliveryFailed,
    claim_attempt,
    mark_failed,
    mark_sent,
    new_key,
    send_safely,
)

log = logging.getLogger(__name__)


def digest_day(now: datetime) -> tuple[date, datetime]:
    """The day a digest planned at ``now`` covers (yesterday, UTC) and its end (midnight)."""
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - timedelta(days=1)).date(), midnight


def waiting_rows(cutoff: datetime):
    return Delivery.objects.filter(
        channel=Channel.DIGEST,
        status=DeliveryStatus.PENDING,
        digest__isnull=True,
        report__forwarded_at__lt=cutoff,
    )


def plan_digests(now: datetime | None = None) -> list[int]:
    """Create (once) yesterday's digest run of every company with notices waiting."""
    now = now or timezone.now()
    day, cutoff = digest_day(now)
    company_ids = list(
        waiting_rows(cutoff).order_by().values_list("company_id", flat=True).distinct()
    )
    planned = []
    for company_id in company_ids:
        with transaction.atomic():
            run, created = DigestRun.objects.get_or_create(
                company_id=company_id,
                date=day,
                defaults={"idempotency_key": new_key(), "next_attempt_at": now},
            )
            run = DigestRun.objects.select_for_update().get(pk=run.pk)
            if run.status != DeliveryStatus.PENDING or run.attempts:
                continue  # already sent or being sent: late rows go in the next day's digest
            attached = waiting_rows(cutoff).filter(company_id=company_id).update(digest=run)
            record_event(
                actor=None,
                action="digest.planned",
                target=run.company,
                data={"date": day.isoformat(), "key": run.idempotency_key, "added": attached},
            )
            planned.append(run.pk)
    return planned


def due_digest_ids(now: datetime | None = None) -> list[int]:
    return list(
        DigestRun.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now or timezone.now()
        ).values_list("pk", flat=True)
    )


def run_due_digests(now: datetime | None = None) -> int:
    """Plan, then attempt every due digest run in this process. Returns the number sent."""
    plan_digests(now)
    return sum(attempt_digest(run_id) == DeliveryStatus.SENT for run_id in due_digest_ids(now))


def send_digest_email(run: DigestRun, reports: list[Report]) -> None:
    company = run.company
    if not company.enforcement_email:
        raise DeliveryFailed("The company has no enforcement email address.", permanent=True)
    with translation.override(notice_language(company)):
        notices = [notice_context(report) for report in reports]
        context = {
            "company": company,
            "date": run.date,
            "notices": notices,
            "notifier_name": settings.PROGRAMME_NAME,
            "notifier_email": settings.PROGRAMME_CONTACT_EMAIL,
            "good_faith": notices[0]["good_faith"],
            "evidence_link_days": settings.EVIDENCE_URL_MAX_AGE // 86400,
        }
        subject = ngettext(
            "[Cyber Spotter] Daily digest %(date)s: %(n)d notice",
            "[Cyber Spotter] Daily digest %(date)s: %(n)d notices",
            len(reports),
        ) % {
            "date": date_format(run.date, "DATE_FORMAT"),
            "n": len(reports),
        }
        text = render_to_string("reports/email/digest.txt", context)
        html = render_to_string("reports/email/digest.html", context)
    send_mail_message(
        key=run.idempotency_key,
        subject=subject,
        text=text,
        html=html,
        to=[company.enforcement_email],
        headers={"X-Cyber-Spotter-Digest": run.date.isoformat()},
    )


def attempt_digest(run_id: int) -> str | None:
    """One attempt at one digest run; the outbox's rules (claim, lease, backoff, dead)."""
    run = claim_attempt(DigestRun, run_id, related=("company",))
    if run is None:
        return None
    rows = list(
        Delivery.objects.filter(digest=run)
        .select_related("report__species__group", "report__product_type", "report__company")
        .order_by("report__forwarded_at", "id")
    )
    if not rows:
        DigestRun.objects.filter(pk=run.pk).update(status=DeliveryStatus.CANCELLED)
        return DeliveryStatus.CANCELLED
    failure = send_safely(lambda r: send_digest_email(r, [row.report for row in rows]), run)
    now = timezone.now()
    with transaction.atomic():
        if failure is None:
            if mark_sent(DigestRun, run):
                Delivery.objects.filter(digest=run).exclude(status=DeliveryStatus.SENT).update(
                    status=DeliveryStatus.SENT, sent_at=now, attempts=run.attempts, last_error=""
                )
                for row in rows:
                    record_event(
                        actor=None,
                        action="delivery.sent",
                        target=row.report,
                        data={
                            "channel": Channel.DIGEST,
                            "company": run.company.slug,
                            "key": run.idempotency_key,
                            "attempt": run.attempts,
                        },
                    )
            return DeliveryStatus.SENT
        status = mark_failed(DigestRun, run, failure)
        if status is not None:
            # The rows mirror their run, so a dead digest shows up with the dead deliveries.
            Delivery.objects.filter(digest=run, status=DeliveryStatus.PENDING).update(
                status=status, attempts=run.attempts, last_error=str(failure)[:2000]
            )
        if status == DeliveryStatus.DEAD:
            record_event(
                actor=None,
                action="digest.dead",
                target=run.company,
                reason=str(failure)[:500],
                data={"date": run.date.isoformat(), "key": run.idempotency_key},
            )
    return status


@shared_task(
    name="reports.tasks.send_digest",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def send_digest(run_id: int) -> str | None:
    return attempt_digest(run_id)


def retry_dead_digest(*, run_id: int, actor: User | None) -> DigestRun:
    """Admin retry of a dead digest: the run and its rows go back to pending, due now."""
    with transaction.atomic():
        run = DigestRun.objects.select_for_update().select_related("company").get(pk=run_id)
        if run.status != DeliveryStatus.DEAD:
            return run
        run.status = DeliveryStatus.PENDING
        run.attempts = 0
        run.next_attempt_at = timezone.now()
        run.save(update_fields=["status", "attempts", "next_attempt_at"])
        Delivery.objects.filter(digest=run, status=DeliveryStatus.DEAD).update(
            status=DeliveryStatus.PENDING, attempts=0
        )
        record_event(
            actor=actor,
            action="digest.retried",
            target=run.company,
            data={"date": run.date.isoformat(), "key": run.idempotency_key},
        )
        transaction.on_commit(lambda: _enqueue_digest(run.pk))
    return run


def _enqueue_digest(run_id: int) -> None:
    try:
        send_digest.delay(run_id)
    except Exception:  # noqa: BLE001 — the digest task retries due runs on its next run
        log.warning("Could not queue digest %s; the next digest run sends it.", run_id)
