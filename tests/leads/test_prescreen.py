"""Pre-screens: never a decision, once per lead and report, in scope only; the queue; and the
agreement bookkeeping when the expert decides."""

from __future__ import annotations

import pytest

from leads import permissions, selectors, services
from leads.models import PreScreen, PreScreenOutcome, PreScreenVerdict
from reports import services as report_services
from reports.models import Report, ReportStatus
from spotter.errors import InvalidInput, InvalidState, NotAllowed
from spotter.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db


def _snapshot(report):
    row = Report.objects.get(pk=report.pk)
    return (row.status, row.verdict, row.claimed_by_id, row.decided_by_id, row.updated_at)


@pytest.mark.parametrize("verdict", PreScreenVerdict.values)
def test_prescreen_never_changes_the_report(lead, waiting_report, verdict):
    before = _snapshot(waiting_report)
    item = services.prescreen(lead=lead, report=waiting_report, verdict=verdict, note=" Blurry ")
    assert _snapshot(waiting_report) == before
    assert item.note == "Blurry" and item.outcome == PreScreenOutcome.PENDING
    event = AuditEvent.objects.get(action="lead.prescreened")
    assert event.actor == lead and event.data["report"] == waiting_report.reference


def test_prescreen_also_while_an_expert_holds_it(lead, waiting_report, expert):
    report_services.claim_report(report=waiting_report, expert=expert)
    services.prescreen(lead=lead, report=waiting_report, verdict=PreScreenVerdict.LOOKS_GOOD)
    assert Report.objects.get(pk=waiting_report.pk).status == ReportStatus.IN_REVIEW


def test_only_once_per_lead(lead, waiting_report):
    services.prescreen(lead=lead, report=waiting_report, verdict=PreScreenVerdict.LOOKS_GOOD)
    with pytest.raises(InvalidState):
        services.prescreen(lead=lead, report=waiting_report, verdict="needs_evidence")
    assert PreScreen.objects.count() == 1


def test_refused_outside_scope_and_for_non_leads(lead, newer, waiting_report, company):
    stranger_report = factories.make_report(factories.make_user(Role.VOLUNTEER))
    with pytest.raises(InvalidState):
        services.prescreen(lead=lead, report=stranger_report, verdict="looks_good")
    with pytest.raises(NotAllowed):
        services.prescreen(lead=newer, report=waiting_report, verdict="looks_good")
    assert not PreScreen.objects.exists()


def test_refused_once_decided(lead, waiting_report, expert):
    report_services.claim_report(report=waiting_report, expert=expert)
    report_services.confirm_report(report=waiting_report, expert=expert)
    with pytest.raises(InvalidState):
        services.prescreen(lead=lead, report=waiting_report, verdict="looks_good")


def test_bad_input_names_the_field(lead, waiting_report):
    with pytest.raises(InvalidInput) as error:
        services.prescreen(lead=lead, report=waiting_report, verdict="maybe")
    assert error.value.field == "verdict"
    with pytest.raises(InvalidInput) as error:
        services.prescreen(lead=lead, report=waiting_report, verdict="looks_good", note="x" * 5000)
    assert error.value.field == "note"


def test_queue_is_oldest_first_and_drops_what_the_lead_did(lead, newer, company):
    first = factories.make_report(newer)
    second = factories.make_report(newer)
    assert list(permissions.prescreen_queue(lead)) == [first, second]
    services.prescreen(lead=lead, report=first, verdict="looks_good")
    assert list(permissions.prescreen_queue(lead)) == [second]


def _decide(report, expert, how):
    report_services.claim_report(report=report, expert=expert)
    if how == "confirm":
        report_services.confirm_report(report=report, expert=expert)
    elif how == "reject":
        report_services.reject_report(report=report, expert=expert, reason="not_wildlife")
    else:
        report_services.request_info(report=report, expert=expert, message="A close-up?")


@pytest.mark.parametrize(
    ("verdict", "how", "outcome"),
    [
        ("looks_good", "confirm", "agreed"),
        ("looks_good", "reject", "disagreed"),
        ("looks_good", "needs_info", "disagreed"),
        ("needs_evidence", "confirm", "disagreed"),
        ("needs_evidence", "reject", "agreed"),
        ("needs_evidence", "needs_info", "agreed"),
    ],
)
def test_outcome_follows_the_experts_decision(lead, waiting_report, expert, verdict, how, outcome):
    services.prescreen(lead=lead, report=waiting_report, verdict=verdict)
    _decide(waiting_report, expert, how)
    item = PreScreen.objects.get()
    assert item.outcome == outcome
    assert item.expert_action.startswith("report.")


def test_only_the_first_decision_counts(lead, waiting_report, expert):
    services.prescreen(lead=lead, report=waiting_report, verdict="needs_evidence")
    _decide(waiting_report, expert, "needs_info")
    assert PreScreen.objects.get().outcome == "agreed"
    report_services.resubmit_report(
        report=Report.objects.get(pk=waiting_report.pk),
        volunteer=waiting_report.volunteer,
        details=factories.details(waiting_report.listing_url, listing_title="Scales, close-up"),
    )
    _decide(Report.objects.get(pk=waiting_report.pk), expert, "confirm")
    assert PreScreen.objects.get().outcome == "agreed"


def test_accuracy_with_wilson_interval(lead, newer, expert, company):
    for verdict, how in [
        ("looks_good", "confirm"),
        ("looks_good", "confirm"),
        ("needs_evidence", "confirm"),
    ]:
        report = factories.make_report(newer)
        services.prescreen(lead=lead, report=report, verdict=verdict)
        _decide(report, expert, how)
    services.prescreen(lead=lead, report=factories.make_report(newer), verdict="looks_good")
    accuracy = selectors.prescreen_accuracy(lead)
    assert (accuracy.agreed, accuracy.disagreed, accuracy.pending) == (2, 1, 1)
    low, high = accuracy.estimate.interval
    assert accuracy.estimate.rate == pytest.approx(2 / 3)
    assert 0.0 < low < 2 / 3 < high < 1.0
