"""Service levels: how long companies take to acknowledge and act on forwarded reports."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from spotter.audit import record_event

from .models import Report, ReportStatus


def overdue_q(now):
    return Q(status=ReportStatus.FORWARDED, ack_due_at__lt=now) | Q(
        status__in=[ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED], act_due_at__lt=now
    )


def overdue_reports(now=None):
    """Forwarded reports past their company's acknowledge or act target."""
    return Report.objects.filter(overdue_q(now or timezone.now()))


def is_overdue(report: Report, now=None) -> bool:
    now = now or timezone.now()
    if report.status == ReportStatus.FORWARDED and report.ack_due_at and report.ack_due_at < now:
        return True
    return (
        report.status in (ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED)
        and report.act_due_at is not None
        and report.act_due_at < now
    )


def escalate_overdue(now=None) -> int:
    """Email the company's second contact once per overdue report."""
    now = now or timezone.now()
    count = 0
    candidates = (
        overdue_reports(now)
        .filter(escalated_at__isnull=True)
        .exclude(company__escalation_email="")
        .select_related("company")
    )
    for report in candidates:
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if locked.escalated_at is not None:
                continue
            locked.escalated_at = now
            locked.save(update_fields=["escalated_at"])
            record_event(
                actor=None,
                action="report.escalated",
                target=locked,
                data={"to": report.company.escalation_email},
            )
            transaction.on_commit(lambda r=report: _send_escalation(r))
        count += 1
    return count


def _send_escalation(report: Report) -> None:
    send_mail(
        f"[Cyber Spotter] Overdue notice {report.reference}",
        (
            f"Notice {report.reference} was forwarded to {report.company.name} on "
            f"{report.forwarded_at:%Y-%m-%d %H:%M} UTC and is past its service level "
            f"({report.company.ack_sla_hours} h to acknowledge, {report.company.act_sla_hours} h "
            f"to act).\n\nOpen it in the company portal: {settings.SITE_URL}/company/reports/"
            f"{report.reference}/\n"
        ),
        settings.DEFAULT_FROM_EMAIL,
        [report.company.escalation_email],
        fail_silently=False,
    )
