"""Company staff handling notices together: bulk acknowledgement, assigning a notice to a
colleague, and the thread between the company and the programme on one notice.

Assigning and posting are not status changes, so they do not send ``report_changed``: each
records its audit event and sends its own signal (``events.notice_assigned``,
``events.notice_message_posted``) inside the transaction; the notifications app subscribes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spotter.audit import record_event
from spotter.errors import InvalidInput, LimitReached, NotAllowed, SpotterError
from spotter.models import Role, User

from .. import events, limits
from ..models import NoticeMessage, Report, ReportStatus
from ..notice_models import NOTICE_MESSAGE_MAX_LENGTH
from ..permissions import can_post_on_notice, is_company_staff_of, visible_reports
from .company import acknowledge_report
from .submission import _locked

# At most this many notices in one bulk acknowledgement (one page of the portal is 30).
BULK_ACKNOWLEDGE_MAX = 100
ASSIGNABLE_STATES = (ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED)


@dataclass
class BulkResult:
    acknowledged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)


def bulk_acknowledge(*, staff: User, references: list[str]) -> BulkResult:
    """Acknowledge each chosen notice through ``acknowledge_report`` (its own transaction, so
    one refusal does not undo the others). References outside the staff member's company are
    skipped as "not found", never told apart from references that do not exist."""
    if staff.role != Role.COMPANY_STAFF or staff.company_id is None:
        raise NotAllowed(_("Only enforcement staff can acknowledge notices."))
    chosen = list(dict.fromkeys(ref.strip() for ref in references if ref.strip()))
    if not chosen:
        raise InvalidInput(_("Select at least one notice."), field="references")
    if len(chosen) > BULK_ACKNOWLEDGE_MAX:
        raise InvalidInput(
            _("Select at most %(count)d notices at a time.") % {"count": BULK_ACKNOWLEDGE_MAX},
            field="references",
        )
    found = {r.reference: r for r in visible_reports(staff).filter(reference__in=chosen)}
    result = BulkResult()
    for reference in chosen:
        report = found.get(reference)
        if report is None:
            result.skipped.append((reference, _("not found")))
        elif report.status != ReportStatus.FORWARDED:
            result.skipped.append(
                (reference, _("already %(status)s") % {"status": _status_word(report)})
            )
        else:
            try:
                acknowledge_report(report=report, staff=staff)
            except SpotterError as exc:
                result.skipped.append((reference, str(exc)))
            else:
                result.acknowledged.append(reference)
    return result


def _status_word(report: Report) -> str:
    if report.status == ReportStatus.ACKNOWLEDGED:
        return _("acknowledged")
    return _("closed")


def colleagues(company_id: int) -> list[User]:
    """Who a notice of ``company_id`` may be assigned to: its active enforcement staff."""
    return list(
        User.objects.filter(
            role=Role.COMPANY_STAFF, company_id=company_id, is_active=True
        ).order_by("display_name", "email")
    )


def assign_notice(*, report: Report, staff: User, assignee: User | None) -> Report:
    """Give an open notice to a colleague at the same company (or to nobody: ``None``)."""
    with transaction.atomic():
        report = _locked(report)
        if not is_company_staff_of(staff, report):
            raise NotAllowed(_("Only this platform's enforcement staff can do that."))
        if report.status not in ASSIGNABLE_STATES:
            raise InvalidInput(_("A closed notice cannot be assigned."), field="assignee")
        if assignee is not None and not (
            assignee.is_active
            and assignee.role == Role.COMPANY_STAFF
            and assignee.company_id == report.company_id
        ):
            raise InvalidInput(_("Choose an active colleague at your company."), field="assignee")
        previous = report.assignee_id
        new = assignee.pk if assignee is not None else None
        if previous == new:
            return report
        report.assignee = assignee
        report.save(update_fields=["assignee", "updated_at"])
        record_event(
            actor=staff,
            action=events.ASSIGNED,
            target=report,
            data={"assignee": new, "previous": previous},
        )
        events.notice_assigned.send(sender=Report, report=report, assignee=assignee, actor=staff)
    return report


def post_notice_message(*, report: Report, author: User, body: str) -> NoticeMessage:
    """A post on the notice's thread, by the company's staff or by the programme."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Write a message."), field="body")
    if len(body) > NOTICE_MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            _("A message holds at most %(count)d characters.")
            % {"count": NOTICE_MESSAGE_MAX_LENGTH},
            field="body",
        )
    with transaction.atomic():
        report = _locked(report)
        if not can_post_on_notice(author, report):
            raise NotAllowed(_("You cannot post on this notice."))
        _count_post(author)
        message = NoticeMessage.objects.create(report=report, author=author, body=body)
        side = "company" if author.role == Role.COMPANY_STAFF else "programme"
        record_event(
            actor=author,
            action=events.MESSAGE_POSTED,
            target=report,
            data={"message": message.pk, "side": side, "length": len(body)},
        )
        events.notice_message_posted.send(
            sender=Report, report=report, message=message, actor=author
        )
    return message


def _count_post(author: User) -> None:
    """At most ``NOTICE_MESSAGES_PER_HOUR`` posts per person (refused posts are not counted)."""
    limit = settings.NOTICE_MESSAGES_PER_HOUR
    retry_after = limits.hit("notice_messages", author.pk, limit=limit, period=3600)
    if retry_after is not None:
        minutes = -(-retry_after // 60)
        raise LimitReached(
            ngettext(
                "You can post at most %(limit)d messages an hour. Try again in %(minutes)d minute.",
                "You can post at most %(limit)d messages an hour. Try again in %(minutes)d "
                "minutes.",
                minutes,
            )
            % {"limit": limit, "minutes": minutes},
            retry_after=retry_after,
        )
