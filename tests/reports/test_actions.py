"""One source of "who may do what": reports.actions.allowed_actions.

For every role and every report status: the workflow buttons a page shows are exactly the
allowed actions that page offers, no action is allowed on a report the user cannot see, and the
services accept exactly the allowed actions and refuse the others: NotAllowed when the user
may not take it, InvalidState when only the state is wrong.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import actions, services
from reports.actions import allowed_actions
from reports.models import Outcome, RejectionReason, Report, ReportStatus
from spotter.errors import InvalidState, NotAllowed
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

# The URL each button posts to (or links to), by action.
BUTTON_URLS = {
    actions.WITHDRAW: "reports:withdraw",
    actions.RESUBMIT: "reports:resubmit",
    actions.CLAIM: "reports:claim",
    actions.RELEASE: "reports:release",
    actions.CONFIRM: "reports:confirm",
    actions.REJECT: "reports:reject",
    actions.NEEDS_INFO: "reports:needs_info",
    actions.ACKNOWLEDGE: "reports:acknowledge",
    actions.OUTCOME: "reports:outcome",
    actions.CORRECT_OUTCOME: "reports:correct_outcome",
    actions.MERGE: "reports:merge",
}
# The actions each role's report page offers (volunteers and admins: detail; experts: review;
# company staff: the notice page).
PAGE_ACTIONS = {
    Role.VOLUNTEER: {actions.WITHDRAW, actions.RESUBMIT},
    Role.ADMIN: {actions.WITHDRAW, actions.RESUBMIT, actions.MERGE},
    Role.EXPERT: {
        actions.CLAIM,
        actions.RELEASE,
        actions.CONFIRM,
        actions.REJECT,
        actions.NEEDS_INFO,
        actions.MERGE,
    },
    Role.COMPANY_STAFF: {actions.ACKNOWLEDGE, actions.OUTCOME, actions.CORRECT_OUTCOME},
}


def harmless_repeat(action: str, report: Report, user) -> bool:
    """Claiming one's own claim again, acknowledging again: the service returns the report
    unchanged (no button offers it, but a double click or a retried API call must not fail)."""
    if action == actions.CLAIM:
        return report.status == ReportStatus.IN_REVIEW and report.claimed_by_id == user.pk
    if action == actions.ACKNOWLEDGE:
        return report.status == ReportStatus.ACKNOWLEDGED and not actions.refusal(
            report, user, action
        )
    return False


@pytest.fixture
def cast(company, other_company):
    owner = factories.make_user(Role.VOLUNTEER)
    claimant = factories.make_user(Role.EXPERT)
    return {
        "owner": owner,
        "other volunteer": factories.make_user(Role.VOLUNTEER),
        "claimant": claimant,
        "other expert": factories.make_user(Role.EXPERT),
        "staff": factories.make_user(Role.COMPANY_STAFF, company=company),
        "other staff": factories.make_user(Role.COMPANY_STAFF, company=other_company),
        "admin": factories.make_user(Role.ADMIN),
        "report": factories.make_report(owner),
    }


def put_in(report: Report, status: str, claimant) -> Report:
    """Set the report's state directly (as the transitions would have left it)."""
    Report.objects.filter(pk=report.pk).update(
        status=status,
        claimed_by=claimant if status == ReportStatus.IN_REVIEW else None,
        # A closed report's outcome was just recorded (so it is still correctable).
        outcome_at=timezone.now() if status == ReportStatus.CLOSED else None,
    )
    report.refresh_from_db()
    return report


def buttons(content: str, report: Report) -> set[str]:
    shown = set()
    for action, url_name in BUTTON_URLS.items():
        url = reverse(url_name, args=[report.reference])
        if re.search(rf'(action|href)="{re.escape(url)}"', content):
            shown.add(action)
    return shown


@pytest.mark.parametrize("status", ReportStatus.values)
def test_pages_show_exactly_the_allowed_actions(client_for, cast, status):
    report = put_in(cast["report"], status, cast["claimant"])
    for name, user in cast.items():
        if name == "report":
            continue
        allowed = allowed_actions(report, user)
        response = client_for(user).get(
            reverse("reports:detail", args=[report.reference]), follow=True
        )
        if response.status_code == 404:
            # A report the user cannot see offers nothing on any page.
            assert not allowed & PAGE_ACTIONS[user.role], (name, status, allowed)
            continue
        assert response.status_code == 200, (name, status)
        shown = buttons(response.content.decode(), report)
        assert shown == allowed & PAGE_ACTIONS[user.role], (name, status, shown, allowed)


def call(action: str, report: Report, user):
    match action:
        case actions.WITHDRAW:
            return services.withdraw_report(report=report, volunteer=user)
        case actions.RESUBMIT:
            return services.resubmit_report(
                report=report, volunteer=user, details=factories.details(report.listing_url)
            )
        case actions.CLAIM:
            return services.claim_report(report=report, expert=user)
        case actions.RELEASE:
            return services.release_report(report=report, expert=user)
        case actions.CONFIRM:
            return services.confirm_report(report=report, expert=user)
        case actions.REJECT:
            return services.reject_report(
                report=report, expert=user, reason=RejectionReason.OTHER, note="Resin."
            )
        case actions.NEEDS_INFO:
            return services.request_info(report=report, expert=user, message="The price?")
        case actions.ACKNOWLEDGE:
            return services.acknowledge_report(report=report, staff=user)
        case actions.OUTCOME:
            return services.record_outcome(
                report=report, staff=user, outcome=Outcome.OTHER, note="Seller warned."
            )
        case actions.CORRECT_OUTCOME:
            return services.correct_outcome(
                report=report, staff=user, outcome=Outcome.NO_VIOLATION, note="Seller warned."
            )
        case actions.MERGE:
            # Another report of the listing, as merge_order would keep ``report``.
            partner = factories.make_report()
            return services.merge_reports(keep=report, absorb=partner, actor=user)
    raise AssertionError(action)


@pytest.mark.parametrize("status", ReportStatus.values)
def test_services_accept_exactly_the_allowed_actions(cast, status):
    report = cast["report"]
    for name, user in cast.items():
        if name == "report":
            continue
        for action in actions.ACTIONS:
            report = put_in(report, status, cast["claimant"])
            allowed = action in allowed_actions(report, user)
            if allowed or harmless_repeat(action, report, user):
                call(action, report, user)  # accepted
                continue
            refused = actions.refusal(report, user, action) is not None
            in_state = report.status in actions.STATES[action]
            if refused and in_state:
                expected = NotAllowed
            elif not refused:
                expected = InvalidState
            else:
                # Both wrong: the service says whichever it checks first (a claimant rule is
                # checked after the state, since "claimed by" means nothing outside review).
                expected = (NotAllowed, InvalidState)
            with pytest.raises(expected):
                call(action, report, user)


def test_the_who_rules_name_the_reason(cast):
    report = put_in(cast["report"], ReportStatus.SUBMITTED, cast["claimant"])
    with pytest.raises(NotAllowed, match="not your report"):
        services.withdraw_report(report=report, volunteer=cast["other volunteer"])
    with pytest.raises(NotAllowed, match="Only experts"):
        services.claim_report(report=report, expert=cast["admin"])
    report = put_in(report, ReportStatus.IN_REVIEW, cast["claimant"])
    with pytest.raises(NotAllowed, match="Claim the report"):
        services.confirm_report(report=report, expert=cast["other expert"])
    assert actions.RELEASE in allowed_actions(report, cast["admin"])  # admins free stuck claims


def test_the_buttons_are_found_on_each_page(client_for, cast):
    """The page test above is not vacuous: each page's buttons are recognised."""
    report = put_in(cast["report"], ReportStatus.NEEDS_INFO, cast["claimant"])
    page = client_for(cast["owner"]).get(reverse("reports:detail", args=[report.reference]))
    assert buttons(page.content.decode(), report) == {actions.WITHDRAW, actions.RESUBMIT}
    report = put_in(report, ReportStatus.IN_REVIEW, cast["claimant"])
    page = client_for(cast["claimant"]).get(reverse("reports:review", args=[report.reference]))
    assert buttons(page.content.decode(), report) == {
        actions.RELEASE,
        actions.CONFIRM,
        actions.REJECT,
        actions.NEEDS_INFO,
        actions.MERGE,
    }
    report = put_in(report, ReportStatus.FORWARDED, cast["claimant"])
    page = client_for(cast["staff"]).get(reverse("reports:company_detail", args=[report.reference]))
    assert buttons(page.content.decode(), report) == {actions.ACKNOWLEDGE, actions.OUTCOME}
    report = put_in(report, ReportStatus.CLOSED, cast["claimant"])
    page = client_for(cast["staff"]).get(reverse("reports:company_detail", args=[report.reference]))
    assert buttons(page.content.decode(), report) == {actions.CORRECT_OUTCOME}
