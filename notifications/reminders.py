"""Reminders the daily beat job sends: each one at most once (``dedupe_key``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from quality.selectors import lead_spotter_offer
from reports.forwarding.sla import overdue_reports
from reports.models import Report, ReportStatus, Verdict
from spotter.models import Role, User
from training.models import Certificate

from .models import Kind
from .services import notify

CERTIFICATE_REMINDER_DAYS = 30
QUEUE_WAITING_HOURS = 48


def remind_expiring_certificates(now=None) -> int:
    now = now or timezone.now()
    soon = now + timedelta(days=CERTIFICATE_REMINDER_DAYS)
    renewed = Certificate.objects.filter(revoked=False, expires_at__gt=soon).values("user_id")
    expiring = (
        Certificate.objects.filter(revoked=False, expires_at__gt=now, expires_at__lte=soon)
        .exclude(user_id__in=renewed)
        .select_related("user")
    )
    told = 0
    for certificate in expiring:
        told += bool(
            notify(
                user=certificate.user,
                kind=Kind.CERTIFICATE_EXPIRING,
                data={"expires_at": certificate.expires_at.isoformat()},
                dedupe_key=f"certificate-{certificate.pk}",
            )
        )
    return told


def remind_waiting_queue(now=None) -> int:
    now = now or timezone.now()
    waiting = Report.objects.filter(
        status=ReportStatus.SUBMITTED,
        submitted_at__lt=now - timedelta(hours=QUEUE_WAITING_HOURS),
    ).count()
    if not waiting:
        return 0
    told = 0
    for user in User.objects.filter(role__in=[Role.EXPERT, Role.ADMIN], is_active=True):
        told += bool(
            notify(
                user=user,
                kind=Kind.QUEUE_WAITING,
                data={"count": waiting, "hours": QUEUE_WAITING_HOURS},
                dedupe_key=now.date().isoformat(),
            )
        )
    return told


def remind_overdue_notices(now=None) -> int:
    told = 0
    reports = list(overdue_reports(now).only("pk", "reference", "company_id"))
    staff = User.objects.filter(
        company_id__in={r.company_id for r in reports}, is_active=True, role=Role.COMPANY_STAFF
    )
    by_company: dict[int, list[User]] = {}
    for user in staff:
        by_company.setdefault(user.company_id, []).append(user)
    for report in reports:
        for user in by_company.get(report.company_id, []):
            told += bool(
                notify(
                    user=user,
                    kind=Kind.NOTICE_OVERDUE,
                    report=report,
                    dedupe_key=report.reference,
                )
            )
    return told


def invite_lead_spotters() -> int:
    """Volunteers newly eligible to become lead spotters (measured accuracy, quality app)."""
    candidates = User.objects.filter(
        role=Role.VOLUNTEER, is_active=True, is_lead_spotter=False
    ).annotate(
        decided=Count(
            "reports", filter=Q(reports__verdict__in=[Verdict.CONFIRMED, Verdict.REJECTED])
        )
    )
    told = 0
    for volunteer in candidates.filter(decided__gte=settings.LEAD_SPOTTER_MIN_DECIDED):
        if lead_spotter_offer(volunteer).eligible:
            told += bool(notify(user=volunteer, kind=Kind.LEAD_SPOTTER, dedupe_key="invitation"))
    return told


def send_reminders(now=None) -> dict[str, int]:
    return {
        "certificates": remind_expiring_certificates(now),
        "queue": remind_waiting_queue(now),
        "overdue": remind_overdue_notices(now),
        "lead_spotters": invite_lead_spotters(),
    }
