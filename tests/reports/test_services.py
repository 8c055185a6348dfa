"""Every allowed and refused report transition, through the service functions."""

import pytest
from django.core import mail

from reports import services
from reports.models import Channel, Delivery, ReportStatus
from spotter.errors import NotAllowed, SpotterError
from spotter.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db


def events(report):
    return list(
        AuditEvent.objects.filter(object_type="report", object_id=str(report.pk)).values_list(
            "action", flat=True
        )
    )


def test_submit_routes_to_member_company_and_records_event(volunteer, company):
    report = factories.make_report(
        volunteer, url="https://WWW.Example-Shop.com:443/item/9?utm_source=x#top"
    )
    assert report.status == ReportStatus.SUBMITTED
    assert report.company == company
    assert report.domain == "example-shop.com"
    assert report.normalized_url == "https://www.example-shop.com/item/9"
    assert report.evidence.count() == 1
    assert events(report) == ["report.submitted"]


def test_submit_on_non_member_platform_is_accepted(volunteer, company):
    report = factories.make_report(volunteer, url="https://unknown-bazaar.net/x")
    assert report.company is None
    assert report.domain == "unknown-bazaar.net"


def test_same_listing_open_is_linked_as_duplicate(volunteer, other_volunteer, company):
    first = factories.make_report(volunteer, url="https://www.example-shop.com/item/5?b=1&a=2")
    second = factories.make_report(
        other_volunteer, url="https://WWW.example-shop.com/item/5?a=2&b=1&fbclid=zz"
    )
    assert second.status == ReportStatus.DUPLICATE
    assert second.duplicate_of == first


def test_closed_listing_can_be_reported_again(volunteer, expert, company):
    first = factories.make_report(volunteer, url="https://www.example-shop.com/item/6")
    services.claim_report(report=first, expert=expert)
    services.reject_report(report=first, expert=expert, reason="insufficient_evidence")
    again = factories.make_report(volunteer, url="https://www.example-shop.com/item/6")
    assert again.status == ReportStatus.SUBMITTED


def test_only_volunteers_submit(expert, company):
    with pytest.raises(NotAllowed):
        factories.make_report(expert)


def test_submit_needs_one_to_five_images(volunteer, company):
    with pytest.raises(SpotterError):
        services.submit_report(volunteer=volunteer, details=factories.details(), images=[])


def test_full_lifecycle_confirm_forward_outcome(
    volunteer, expert, staff, company, mailoutbox, django_capture_on_commit_callbacks
):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.confirm_report(report=report, expert=expert, note="Clear case")
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED
    assert report.verdict == "confirmed"
    assert report.ack_due_at and report.act_due_at
    channels = set(Delivery.objects.filter(report=report).values_list("channel", flat=True))
    assert channels == {Channel.PORTAL, Channel.EMAIL}
    notice = [m for m in mailoutbox if company.enforcement_email in m.to]
    assert len(notice) == 1
    assert report.listing_url in notice[0].body
    assert volunteer.email not in notice[0].body
    assert notice[0].extra_headers["Message-ID"].startswith("<msg_")

    services.acknowledge_report(report=report, staff=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_outcome(report=report, staff=staff, outcome="removed", note="gone")
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    assert report.outcome == "removed"
    assert events(report) == [
        "report.submitted",
        "report.claimed",
        "report.confirmed",
        "report.forwarded",
        "delivery.sent",
        "report.acknowledged",
        "report.outcome",
    ]
    assert any(volunteer.email in m.to and "acted" in m.subject for m in mail.outbox)


def test_confirm_can_correct_species(volunteer, expert, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    tiger = factories.get_species("Panthera tigris")
    report = services.confirm_report(report=report, expert=expert, species=tiger)
    report.refresh_from_db()
    assert report.species == tiger
    assert report.species_reported.scientific_name == "Manis pentadactyla"


def test_non_member_confirmation_waits_for_admin(volunteer, expert, company):
    report = factories.make_report(volunteer, url="https://unknown-bazaar.net/x")
    services.claim_report(report=report, expert=expert)
    report = services.confirm_report(report=report, expert=expert)
    assert report.status == ReportStatus.CONFIRMED
    assert not Delivery.objects.filter(report=report).exists()


def test_two_experts_cannot_hold_the_same_report(volunteer, expert, other_expert, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    services.claim_report(report=report, expert=expert)  # idempotent for the holder
    with pytest.raises(SpotterError):
        services.claim_report(report=report, expert=other_expert)
    with pytest.raises(NotAllowed):
        services.confirm_report(report=report, expert=other_expert)


def test_expert_never_reviews_own_report(company):
    # A user who was a volunteer and became an expert must not review their own flag.
    person = factories.make_user(Role.VOLUNTEER)
    report = factories.make_report(person)
    from spotter.services import change_role

    change_role(user=person, role=Role.EXPERT)
    with pytest.raises(NotAllowed):
        services.claim_report(report=report, expert=person)


def test_decisions_require_a_claim(volunteer, expert, company):
    report = factories.make_report(volunteer)
    with pytest.raises(SpotterError):
        services.confirm_report(report=report, expert=expert)
    with pytest.raises(SpotterError):
        services.reject_report(report=report, expert=expert, reason="other", note="x")
    with pytest.raises(SpotterError):
        services.request_info(report=report, expert=expert, message="?")


def test_reject_needs_valid_reason(volunteer, expert, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    with pytest.raises(SpotterError):
        services.reject_report(report=report, expert=expert, reason="nonsense")
    with pytest.raises(SpotterError):
        services.reject_report(report=report, expert=expert, reason="other", note="  ")
    report = services.reject_report(report=report, expert=expert, reason="not_wildlife")
    assert report.status == ReportStatus.REJECTED
    with pytest.raises(SpotterError):
        services.claim_report(report=report, expert=expert)


def test_needs_info_round_trip(volunteer, other_volunteer, expert, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    report = services.request_info(report=report, expert=expert, message="Close-up please")
    assert report.status == ReportStatus.NEEDS_INFO and report.claimed_by is None
    with pytest.raises(NotAllowed):
        services.resubmit_report(
            report=report, volunteer=other_volunteer, details=factories.details(report.listing_url)
        )
    report = services.resubmit_report(
        report=report,
        volunteer=volunteer,
        details=factories.details(report.listing_url, listing_title="Better title"),
    )
    assert report.status == ReportStatus.SUBMITTED
    assert report.listing_title == "Better title"
    with pytest.raises(SpotterError):
        services.resubmit_report(
            report=report, volunteer=volunteer, details=factories.details(report.listing_url)
        )


def test_withdraw(volunteer, other_volunteer, expert, company):
    report = factories.make_report(volunteer)
    with pytest.raises(NotAllowed):
        services.withdraw_report(report=report, volunteer=other_volunteer)
    services.withdraw_report(report=report, volunteer=volunteer)
    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN
    with pytest.raises(SpotterError):
        services.claim_report(report=report, expert=expert)


def test_release_returns_to_queue(volunteer, expert, other_expert, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    with pytest.raises(NotAllowed):
        services.release_report(report=report, expert=other_expert)
    services.release_report(report=report, expert=expert)
    services.claim_report(report=report, expert=other_expert)


def test_only_own_company_staff_act(volunteer, expert, staff, other_staff, company):
    report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    with pytest.raises(NotAllowed):
        services.acknowledge_report(report=report, staff=other_staff)
    with pytest.raises(NotAllowed):
        services.record_outcome(report=report, staff=other_staff, outcome="removed")
    with pytest.raises(SpotterError):
        services.record_outcome(report=report, staff=staff, outcome="other", note="")
    with pytest.raises(SpotterError):
        services.record_outcome(report=report, staff=staff, outcome="bogus")
    services.record_outcome(report=report, staff=staff, outcome="already_gone")
    with pytest.raises(SpotterError):
        services.record_outcome(report=report, staff=staff, outcome="removed")


def test_outcome_requires_forwarded(volunteer, staff, company):
    report = factories.make_report(volunteer)
    with pytest.raises(SpotterError):
        services.record_outcome(report=report, staff=staff, outcome="removed")
    with pytest.raises(SpotterError):
        services.acknowledge_report(report=report, staff=staff)


def test_failed_transition_leaves_no_trace(volunteer, expert, company):
    report = factories.make_report(volunteer)
    before = AuditEvent.objects.count()
    with pytest.raises(SpotterError):
        services.confirm_report(report=report, expert=expert)
    assert AuditEvent.objects.count() == before
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
