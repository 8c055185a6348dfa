"""Every transition ends with one ``report_changed`` signal, sent with its audit event."""

import pytest

from reports import events, services
from reports.models import ReportStatus
from spotter.errors import SpotterError
from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    events.report_changed.connect(receiver, dispatch_uid="tests.sent")
    yield received
    events.report_changed.disconnect(dispatch_uid="tests.sent")


def actions(sent):
    return [(s["action"], s["from_state"], s["to_state"]) for s in sent]


def test_one_event_per_transition_with_its_audit_entry(sent, volunteer, expert, staff, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    services.claim_report(report=report, expert=expert)  # claiming twice changes nothing
    services.release_report(report=report, expert=expert)
    services.claim_report(report=report, expert=expert)
    services.request_info(report=report, expert=expert, message="Which species?")
    services.resubmit_report(
        report=report, volunteer=volunteer, details=factories.details(report.listing_url)
    )
    services.claim_report(report=report, expert=expert)
    services.confirm_report(report=report, expert=expert)  # forwards to the member company
    services.acknowledge_report(report=report, staff=staff)
    services.record_outcome(report=report, staff=staff, outcome="removed")
    assert actions(sent) == [
        (events.SUBMITTED, "", "submitted"),
        (events.CLAIMED, "submitted", "in_review"),
        (events.RELEASED, "in_review", "submitted"),
        (events.CLAIMED, "submitted", "in_review"),
        (events.NEEDS_INFO, "in_review", "needs_info"),
        (events.RESUBMITTED, "needs_info", "submitted"),
        (events.CLAIMED, "submitted", "in_review"),
        (events.CONFIRMED, "in_review", "confirmed"),
        (events.FORWARDED, "confirmed", "forwarded"),
        (events.ACKNOWLEDGED, "forwarded", "acknowledged"),
        (events.OUTCOME, "acknowledged", "closed"),
    ]
    audit = AuditEvent.objects.filter(object_type="report", object_id=str(report.pk))
    assert list(audit.order_by("id").values_list("action", flat=True)) == [
        action for action, _f, _t in actions(sent)
    ]
    assert {s["report"].pk for s in sent} == {report.pk}
    assert sent[-1]["actor"] == staff and sent[-1]["data"] == {"outcome": "removed", "note": ""}


def test_rejects_withdrawals_and_duplicates_send_their_event(
    sent, volunteer, other_volunteer, expert, company
):
    rejected = factories.make_report(volunteer)
    services.claim_report(report=rejected, expert=expert)
    services.reject_report(report=rejected, expert=expert, reason="not_wildlife")
    withdrawn = factories.make_report(volunteer)
    services.withdraw_report(report=withdrawn, volunteer=volunteer)
    duplicate = factories.make_report(other_volunteer, url=withdrawn.listing_url)
    assert duplicate.status == ReportStatus.SUBMITTED  # the withdrawn one is not open
    again = factories.make_report(volunteer, url=withdrawn.listing_url)
    assert again.status == ReportStatus.DUPLICATE
    assert actions(sent)[2:4] == [
        (events.REJECTED, "in_review", "rejected"),
        (events.SUBMITTED, "", "submitted"),
    ]
    assert actions(sent)[-2:] == [
        (events.SUBMITTED, "", "submitted"),
        (events.SUBMITTED, "", "duplicate"),
    ]
    assert sent[-1]["data"] == {"duplicate_of": duplicate.reference}


def test_a_refused_transition_sends_nothing(sent, volunteer, expert, company):
    report = factories.make_report(volunteer)
    with pytest.raises(SpotterError):
        services.confirm_report(report=report, expert=expert)  # not claimed
    assert actions(sent) == [(events.SUBMITTED, "", "submitted")]
