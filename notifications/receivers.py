"""Who is told what when a report changes: receivers of ``reports.events.report_changed``."""

from __future__ import annotations

from django.db.models import Q

from rechecks.models import FlagKind
from rechecks.signals import takedown_flagged
from reports import events
from reports.models import ReportStatus
from spotter.models import AuditEvent, Role, User

from .models import Kind
from .services import notify


def _expert_who_asked(report) -> User | None:
    event = (
        AuditEvent.objects.filter(
            object_type="report", object_id=str(report.pk), action=events.NEEDS_INFO
        )
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    return event.actor if event else None


def on_report_changed(sender, *, report, action, to_state="", data=None, **kwargs) -> None:
    volunteer = report.volunteer
    if action == events.CONFIRMED:
        notify(
            user=volunteer,
            kind=Kind.REPORT_CONFIRMED,
            report=report,
            data={"note": report.expert_note},
        )
    elif action == events.REJECTED:
        notify(
            user=volunteer,
            kind=Kind.REPORT_REJECTED,
            report=report,
            data={"reason": report.rejection_reason, "note": report.expert_note},
        )
    elif action == events.NEEDS_INFO:
        notify(
            user=volunteer,
            kind=Kind.REPORT_NEEDS_INFO,
            report=report,
            data={"message": report.info_request},
        )
    elif action == events.SUBMITTED and to_state == ReportStatus.DUPLICATE:
        original = report.duplicate_of.reference if report.duplicate_of_id else ""
        notify(
            user=volunteer, kind=Kind.REPORT_DUPLICATE, report=report, data={"original": original}
        )
    elif action == events.OUTCOME:
        notify(
            user=volunteer,
            kind=Kind.REPORT_OUTCOME,
            report=report,
            data={"outcome": report.outcome},
        )
    elif action == events.RESUBMITTED:
        notify(
            user=_expert_who_asked(report),
            kind=Kind.REPORT_RESUBMITTED,
            report=report,
            data={
                "changed": list((data or {}).get("changed", [])),
                "screenshots_added": (data or {}).get("screenshots_added", 0),
            },
        )
    elif action == events.FORWARDED and report.company_id:
        for staff in User.objects.filter(company_id=report.company_id, is_active=True):
            notify(user=staff, kind=Kind.NEW_NOTICE, report=report, dedupe_key=report.reference)


def on_notice_assigned(sender, *, report, assignee, actor=None, **kwargs) -> None:
    """The colleague a notice was given to (not someone who took it themself)."""
    if assignee is not None and (actor is None or assignee.pk != actor.pk):
        notify(user=assignee, kind=Kind.NOTICE_ASSIGNED, report=report)


def on_notice_message_posted(sender, *, report, message, actor=None, **kwargs) -> None:
    """A post tells the other side: the company's staff, or the expert who decided the
    report. The text keeps no author name (companies never see who of the programme wrote)."""
    excerpt = message.body[:200]
    if message.author.role == Role.COMPANY_STAFF:
        expert = report.decided_by
        if expert is not None and expert.role == Role.EXPERT and expert.pk != message.author_id:
            notify(
                user=expert,
                kind=Kind.NOTICE_REPLY,
                report=report,
                data={"to": "programme", "excerpt": excerpt},
            )
        return
    staff = User.objects.filter(
        company_id=report.company_id, role=Role.COMPANY_STAFF, is_active=True
    )
    for person in staff:
        notify(
            user=person,
            kind=Kind.NOTICE_REPLY,
            report=report,
            data={"to": "company", "excerpt": excerpt},
        )


def on_takedown_flagged(sender, *, flag, **kwargs) -> None:
    """An outcome discrepancy: the platform's staff (to look again) and the admins."""
    if flag.kind != FlagKind.DISCREPANCY:
        return
    report = flag.report
    stage = flag.listing_check.stage_hours if flag.listing_check_id else 72
    audience = Q(role=Role.ADMIN) | Q(is_superuser=True)
    if report.company_id:
        audience |= Q(company_id=report.company_id, role=Role.COMPANY_STAFF)
    people = User.objects.filter(audience, is_active=True)
    for person in people:
        notify(
            user=person,
            kind=Kind.OUTCOME_DISCREPANCY,
            report=report,
            data={"stage_hours": stage},
            dedupe_key=f"discrepancy:{report.reference}",
        )


def connect() -> None:
    events.report_changed.connect(on_report_changed, dispatch_uid="notifications.report_changed")
    events.notice_assigned.connect(on_notice_assigned, dispatch_uid="notifications.assigned")
    events.notice_message_posted.connect(
        on_notice_message_posted, dispatch_uid="notifications.notice_message"
    )
    takedown_flagged.connect(on_takedown_flagged, dispatch_uid="notifications.takedown_flagged")
