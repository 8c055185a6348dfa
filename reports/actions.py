"""Who may do what to a report, and in which states: the one source of the workflow buttons.

``allowed_actions(report, user)`` is what the pages show as buttons (reports/detail.html,
review.html, company_detail.html), what the views check before a form, and what the services
enforce: each service calls ``ensure_may`` (who; ``NotAllowed`` with the reason) and checks the
state in ``STATES`` (``InvalidState``), in the order its messages need. An action is allowed
exactly when both pass, so a button is never shown for a refusal, nor hidden for an action the
service would accept.

Seeing the report at all is spotter.permissions' business (``access_report``, 404); these rules
are about acting on a report the user can see.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from spotter.errors import NotAllowed
from spotter.models import Role, User

from .models import Report, ReportStatus

WITHDRAW = "withdraw"
RESUBMIT = "resubmit"
CLAIM = "claim"
RELEASE = "release"
CONFIRM = "confirm"
REJECT = "reject"
NEEDS_INFO = "needs_info"
ACKNOWLEDGE = "acknowledge"
OUTCOME = "outcome"
CORRECT_OUTCOME = "correct_outcome"
MERGE = "merge"

# How long after recording it company staff may still correct an outcome (a typo or a
# wrong choice); after that the closed report stays as it is.
OUTCOME_CORRECTION_WINDOW = timedelta(days=30)

# The states each action starts from (the services' state checks use these).
STATES: dict[str, tuple[str, ...]] = {
    WITHDRAW: (ReportStatus.SUBMITTED, ReportStatus.NEEDS_INFO),
    RESUBMIT: (ReportStatus.NEEDS_INFO,),
    CLAIM: (ReportStatus.SUBMITTED,),
    RELEASE: (ReportStatus.IN_REVIEW,),
    CONFIRM: (ReportStatus.IN_REVIEW,),
    REJECT: (ReportStatus.IN_REVIEW,),
    NEEDS_INFO: (ReportStatus.IN_REVIEW,),
    ACKNOWLEDGE: (ReportStatus.FORWARDED,),
    OUTCOME: (ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED),
    CORRECT_OUTCOME: (ReportStatus.CLOSED,),
    # Marking two reports as the same listing (reports/services/merge.py): the report kept may
    # be in any of these states; the one merged into it also must not have been forwarded
    # (MERGE_ABSORB_STATES), so a listing is forwarded once.
    MERGE: (
        ReportStatus.SUBMITTED,
        ReportStatus.IN_REVIEW,
        ReportStatus.NEEDS_INFO,
        ReportStatus.CONFIRMED,
        ReportStatus.FORWARDED,
        ReportStatus.ACKNOWLEDGED,
        ReportStatus.CLOSED,
    ),
}
MERGE_ABSORB_STATES = (
    ReportStatus.SUBMITTED,
    ReportStatus.IN_REVIEW,
    ReportStatus.NEEDS_INFO,
    ReportStatus.CONFIRMED,
)
ACTIONS = tuple(STATES)


def _owner(report: Report, user: User) -> str | None:
    if report.volunteer_id != user.pk:
        return _("This is not your report.")
    return None


def _reviewer(report: Report, user: User) -> str | None:
    if user.role != Role.EXPERT:
        return _("Only experts review reports.")
    if report.volunteer_id == user.pk:
        return _("You cannot review a report you submitted.")
    return None


def _claimant_or_admin(report: Report, user: User) -> str | None:
    if report.claimed_by_id != user.pk and not user.is_programme_admin:
        return _("Another expert is reviewing this report.")
    return None


def _claimant(report: Report, user: User) -> str | None:
    if report.claimed_by_id != user.pk:
        return _("Claim the report before deciding it.")
    return None


def _expert_or_admin(report: Report, user: User) -> str | None:
    if user.is_programme_admin:
        return None
    return _reviewer(report, user)


def _company_staff(report: Report, user: User) -> str | None:
    if user.role != Role.COMPANY_STAFF or user.company_id != report.company_id:
        return _("Only this platform's enforcement staff can do that.")
    return None


def _company_staff_in_window(report: Report, user: User) -> str | None:
    refused = _company_staff(report, user)
    if refused is not None:
        return refused
    # No outcome yet: the state rule (closed) is the one that refuses.
    if report.outcome_at and timezone.now() - report.outcome_at > OUTCOME_CORRECTION_WINDOW:
        return _("The outcome can only be corrected within %(days)d days of recording it.") % {
            "days": OUTCOME_CORRECTION_WINDOW.days
        }
    return None


# Who may take each action: a function returning the refusal (None when the user may).
_WHO = {
    WITHDRAW: _owner,
    RESUBMIT: _owner,
    CLAIM: _reviewer,
    RELEASE: _claimant_or_admin,
    CONFIRM: _claimant,
    REJECT: _claimant,
    NEEDS_INFO: _claimant,
    ACKNOWLEDGE: _company_staff,
    OUTCOME: _company_staff,
    CORRECT_OUTCOME: _company_staff_in_window,
    MERGE: _expert_or_admin,
}


def refusal(report: Report, user: User, action: str) -> str | None:
    """Why ``user`` may not take ``action`` on ``report`` whatever its state, or None."""
    return _WHO[action](report, user)


def ensure_may(report: Report, user: User, action: str) -> None:
    reason = refusal(report, user, action)
    if reason is not None:
        raise NotAllowed(reason)


def allowed_actions(report: Report, user: User) -> frozenset[str]:
    """The actions ``user`` may take on ``report`` now (who and state)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(
        action
        for action in ACTIONS
        if report.status in STATES[action] and refusal(report, user, action) is None
    )
