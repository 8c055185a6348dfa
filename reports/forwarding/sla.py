"""Service levels: how long companies take to acknowledge and act on forwarded reports.

Deadlines (``ack_due_at``, ``act_due_at``) are fixed when a report is forwarded. A report past
either is overdue; ``escalate_overdue`` (beat task ``check_slas`` / the embedded outbox loop)
emails the company's second contact once per report, through the outbox (an ``escalation``
delivery), so the email is retried like any notice and never sent twice for one report.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Case, DateTimeField, F, Q, QuerySet, When
from django.utils import timezone

from spotter.audit import record_event

from ..models import Channel, Delivery, Report, ReportStatus
from .delivery import enqueue_after_commit
from .outbox import new_key


def overdue_q(now: datetime) -> Q:
    return Q(status=ReportStatus.FORWARDED, ack_due_at__lt=now) | Q(
        status__in=[ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED], act_due_at__lt=now
    )


def overdue_reports(now: datetime | None = None) -> QuerySet[Report]:
    """Forwarded reports past their company's acknowledge or act target."""
    # The status list is implied by overdue_q; said on its own, it lets PostgreSQL walk the
    # small partial index of open notices instead of every forwarded report.
    return Report.objects.filter(
        overdue_q(now or timezone.now()),
        status__in=[ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED],
    )


def is_overdue(report: Report, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if report.status == ReportStatus.FORWARDED and report.ack_due_at and report.ack_due_at < now:
        return True
    return (
        report.status in (ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED)
        and report.act_due_at is not None
        and report.act_due_at < now
    )


def next_deadline(report: Report) -> datetime | None:
    """The deadline the company works to now: acknowledging a new notice, acting on an
    acknowledged one; none once closed."""
    if report.status == ReportStatus.FORWARDED:
        return report.ack_due_at
    if report.status == ReportStatus.ACKNOWLEDGED:
        return report.act_due_at
    return None


def next_deadline_expression() -> Case:
    """``next_deadline`` in SQL, to sort a list by it (NULL for closed reports)."""
    return Case(
        When(status=ReportStatus.FORWARDED, then=F("ack_due_at")),
        When(status=ReportStatus.ACKNOWLEDGED, then=F("act_due_at")),
        default=None,
        output_field=DateTimeField(),
    )


def escalate_overdue(now: datetime | None = None) -> int:
    """Queue one escalation email per overdue report whose company has a second contact."""
    now = now or timezone.now()
    count = 0
    candidate_ids = list(
        overdue_reports(now)
        .filter(escalated_at__isnull=True, company__isnull=False)
        .exclude(company__escalation_email="")
        .values_list("pk", flat=True)
    )
    for report_id in candidate_ids:
        with transaction.atomic():
            report = (
                Report.objects.select_for_update(of=("self",))
                .select_related("company")
                .get(pk=report_id)
            )
            # Re-check under the lock: another run may have escalated it, or the company acted.
            if report.escalated_at is not None or not is_overdue(report, now):
                continue
            report.escalated_at = now
            report.save(update_fields=["escalated_at"])
            delivery, _ = Delivery.objects.get_or_create(
                report=report,
                company=report.company,
                channel=Channel.ESCALATION,
                defaults={"idempotency_key": new_key(), "queued_at": now},
            )
            record_event(
                actor=None,
                action="report.escalated",
                target=report,
                data={"to": report.company.escalation_email, "key": delivery.idempotency_key},
            )
            enqueue_after_commit([delivery])
        count += 1
    return count
