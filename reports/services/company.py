"""The company side: forwarding a confirmed report, acknowledging it, recording the outcome."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotter.errors import InvalidState
from spotter.models import User

from .. import actions, events, forwarding
from ..models import Outcome, Report, ReportStatus
from .submission import _locked, _require_state


def forward_report(*, report: Report, actor: User | None = None) -> Report:
    """Send a confirmed report to its company: outbox rows now, delivery after commit."""
    with transaction.atomic():
        report = _locked(report)
        _require_state(report, ReportStatus.CONFIRMED)
        if report.company_id is None:
            raise InvalidState(_("This platform is not a coalition member."))
        now = timezone.now()
        report.status = ReportStatus.FORWARDED
        report.forwarded_at = now
        report.ack_due_at = now + timedelta(hours=report.company.ack_sla_hours)
        report.act_due_at = now + timedelta(hours=report.company.act_sla_hours)
        report.save(
            update_fields=["status", "forwarded_at", "ack_due_at", "act_due_at", "updated_at"]
        )
        deliveries = forwarding.create_deliveries(report)
        events.report_transition(
            report=report,
            actor=actor,
            action=events.FORWARDED,
            from_state=ReportStatus.CONFIRMED,
            data={
                "company": report.company.slug,
                "channels": sorted(d.channel for d in deliveries),
            },
        )
        forwarding.enqueue_after_commit(deliveries)
    return report


def acknowledge_report(*, report: Report, staff: User) -> Report:
    with transaction.atomic():
        report = _locked(report)
        actions.ensure_may(report, staff, actions.ACKNOWLEDGE)
        if report.status == ReportStatus.ACKNOWLEDGED:
            return report
        _require_state(report, *actions.STATES[actions.ACKNOWLEDGE])
        report.status = ReportStatus.ACKNOWLEDGED
        report.acknowledged_at = timezone.now()
        report.save(update_fields=["status", "acknowledged_at", "updated_at"])
        events.report_transition(
            report=report,
            actor=staff,
            action=events.ACKNOWLEDGED,
            from_state=ReportStatus.FORWARDED,
        )
    return report


def _check_outcome(outcome: str, note: str) -> None:
    """One rule for recording and correcting an outcome."""
    if outcome not in Outcome.values:
        raise InvalidState(_("Choose an outcome."))
    if outcome == Outcome.OTHER and not note.strip():
        raise InvalidState(_("Describe the outcome in the note."))


def record_outcome(*, report: Report, staff: User, outcome: str, note: str = "") -> Report:
    """The company says what it did; that closes the report and the volunteer is told."""
    _check_outcome(outcome, note)
    with transaction.atomic():
        report = _locked(report)
        actions.ensure_may(report, staff, actions.OUTCOME)
        _require_state(report, *actions.STATES[actions.OUTCOME])
        previous = report.status
        now = timezone.now()
        report.status = ReportStatus.CLOSED
        report.outcome = outcome
        report.outcome_note = note
        report.outcome_at = now
        report.closed_at = now
        if report.acknowledged_at is None:
            report.acknowledged_at = now
        report.save(
            update_fields=[
                "status",
                "outcome",
                "outcome_note",
                "outcome_at",
                "closed_at",
                "acknowledged_at",
                "updated_at",
            ]
        )
        events.report_transition(
            report=report,
            actor=staff,
            action=events.OUTCOME,
            from_state=previous,
            reason=f"{Outcome(outcome).label}. {note}".strip(),
            data={"outcome": outcome, "note": note},
        )
    return report


def correct_outcome(*, report: Report, staff: User, outcome: str, note: str = "") -> Report:
    """Company staff correct the outcome of a closed report (within the correction window);
    the report stays closed and the previous outcome is kept in the audit event."""
    _check_outcome(outcome, note)
    with transaction.atomic():
        report = _locked(report)
        actions.ensure_may(report, staff, actions.CORRECT_OUTCOME)
        _require_state(report, *actions.STATES[actions.CORRECT_OUTCOME])
        previous = {"outcome": report.outcome, "note": report.outcome_note}
        report.outcome = outcome
        report.outcome_note = note
        report.save(update_fields=["outcome", "outcome_note", "updated_at"])
        events.report_transition(
            report=report,
            actor=staff,
            action=events.OUTCOME_CORRECTED,
            from_state=ReportStatus.CLOSED,
            reason=f"{Outcome(outcome).label}. {note}".strip(),
            data={
                "outcome": outcome,
                "note": note,
                "previous_outcome": previous["outcome"],
                "previous_note": previous["note"],
            },
        )
    return report
