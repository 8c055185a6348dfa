"""An expert's transitions: claim, release, confirm (which forwards), reject, ask for info."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotter.errors import InvalidState
from spotter.models import User

from .. import actions, events
from ..models import ProductType, RejectionReason, Report, ReportStatus, Species, Verdict
from .company import forward_report
from .submission import _locked, _require_state


def claim_report(*, report: Report, expert: User) -> Report:
    """An expert takes a report from the queue. Two experts can never hold the same one."""
    with transaction.atomic():
        report = _locked(report)
        actions.ensure_may(report, expert, actions.CLAIM)
        if report.status == ReportStatus.IN_REVIEW and report.claimed_by_id == expert.pk:
            return report  # claiming twice is harmless
        _require_state(report, *actions.STATES[actions.CLAIM])
        previous = report.status
        report.status = ReportStatus.IN_REVIEW
        report.claimed_by = expert
        report.claimed_at = timezone.now()
        report.save(update_fields=["status", "claimed_by", "claimed_at", "updated_at"])
        events.report_transition(
            report=report, actor=expert, action=events.CLAIMED, from_state=previous
        )
    return report


def release_report(*, report: Report, expert: User) -> Report:
    """Give a claimed report back to the queue."""
    with transaction.atomic():
        report = _locked(report)
        _require_state(report, *actions.STATES[actions.RELEASE])
        actions.ensure_may(report, expert, actions.RELEASE)
        report.status = ReportStatus.SUBMITTED
        report.claimed_by = None
        report.claimed_at = None
        report.save(update_fields=["status", "claimed_by", "claimed_at", "updated_at"])
        events.report_transition(
            report=report, actor=expert, action=events.RELEASED, from_state=ReportStatus.IN_REVIEW
        )
    return report


def _require_claim(report: Report, expert: User, action: str) -> None:
    _require_state(report, *actions.STATES[action])
    actions.ensure_may(report, expert, action)


def confirm_report(
    *,
    report: Report,
    expert: User,
    species: Species | None = None,
    product_type: ProductType | None = None,
    note: str = "",
) -> Report:
    """Confirm a claimed report (optionally correcting the species and the product type) and
    forward it; the notice is built from the corrected values."""
    with transaction.atomic():
        report = _locked(report)
        _require_claim(report, expert, actions.CONFIRM)
        corrected = species is not None and species.pk != report.species_id
        type_corrected = product_type is not None and product_type.pk != report.product_type_id
        if species is None and report.species_id is None:
            raise InvalidState(_("Choose the species before confirming."))
        now = timezone.now()
        data = {}
        if corrected:
            report.species = species
            data["species_corrected_to"] = species.scientific_name
        if type_corrected:
            data["product_type_corrected_from"] = report.product_type.slug
            data["product_type_corrected_to"] = product_type.slug
            report.product_type = product_type
        report.status = ReportStatus.CONFIRMED
        report.verdict = Verdict.CONFIRMED
        report.decided_by = expert
        report.decided_at = now
        report.expert_note = note
        report.save(
            update_fields=[
                "status",
                "verdict",
                "decided_by",
                "decided_at",
                "expert_note",
                "species",
                "product_type",
                "updated_at",
            ]
        )
        events.report_transition(
            report=report,
            actor=expert,
            action=events.CONFIRMED,
            from_state=ReportStatus.IN_REVIEW,
            reason=note,
            data=data,
        )
        if report.company_id is not None:
            forward_report(report=report, actor=expert)
    return report


def reject_report(*, report: Report, expert: User, reason: str, note: str = "") -> Report:
    if reason not in RejectionReason.values:
        raise InvalidState(_("Choose a reason for rejecting the report."))
    if reason == RejectionReason.OTHER and not note.strip():
        raise InvalidState(_("Explain the reason in the note."))
    with transaction.atomic():
        report = _locked(report)
        _require_claim(report, expert, actions.REJECT)
        report.status = ReportStatus.REJECTED
        report.verdict = Verdict.REJECTED
        report.rejection_reason = reason
        report.expert_note = note
        report.decided_by = expert
        report.decided_at = timezone.now()
        report.save(
            update_fields=[
                "status",
                "verdict",
                "rejection_reason",
                "expert_note",
                "decided_by",
                "decided_at",
                "updated_at",
            ]
        )
        events.report_transition(
            report=report,
            actor=expert,
            action=events.REJECTED,
            from_state=ReportStatus.IN_REVIEW,
            reason=f"{RejectionReason(reason).label}: {note}".strip(": "),
        )
    return report


def request_info(*, report: Report, expert: User, message: str) -> Report:
    """Return the report to its volunteer with a question; it leaves the queue until resubmitted."""
    if not message.strip():
        raise InvalidState(_("Say what information is needed."))
    with transaction.atomic():
        report = _locked(report)
        _require_claim(report, expert, actions.NEEDS_INFO)
        report.status = ReportStatus.NEEDS_INFO
        report.info_request = message
        report.claimed_by = None
        report.claimed_at = None
        report.save(
            update_fields=["status", "info_request", "claimed_by", "claimed_at", "updated_at"]
        )
        events.report_transition(
            report=report,
            actor=expert,
            action=events.NEEDS_INFO,
            from_state=ReportStatus.IN_REVIEW,
            reason=message,
        )
    return report
