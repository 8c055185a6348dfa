"""Merging two reports of one listing: state checks, who may, one notice per listing, the
timeline, and the page (enter the reference → both side by side → confirm)."""

import pytest
from django.core import mail
from django.urls import reverse

from reports import forwarding, services
from reports.models import Delivery, ReportStatus
from reports.timeline import timeline_for
from spotter.errors import InvalidInput, InvalidState, NotAllowed
from spotter.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db

ITEM = "https://www.ebay.com/itm/256123456789"
SHORT = "https://ebay.us/m/AbCdEf"  # the same listing; no rule can tell offline


@pytest.fixture
def ebay(db):
    return factories.make_company(slug="ebay", domains=("ebay.com", "ebay.us"), name="eBay")


@pytest.fixture
def pair(volunteer, other_volunteer, ebay):
    first = factories.make_report(volunteer, url=ITEM)
    second = factories.make_report(other_volunteer, url=SHORT)
    assert second.status == ReportStatus.SUBMITTED  # not recognised as a duplicate
    return first, second


def report_events(report):
    return list(
        AuditEvent.objects.filter(object_type="report", object_id=str(report.pk)).values_list(
            "action", "from_state", "to_state"
        )
    )


def test_merge_links_the_duplicate_and_audits_both(pair, expert):
    first, second = pair
    keep, absorb = services.merge_order(second, first)
    assert (keep, absorb) == (first, second)  # the earlier one is kept
    services.merge_reports(keep=keep, absorb=absorb, actor=expert)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == ReportStatus.DUPLICATE and second.duplicate_of == first
    assert first.status == ReportStatus.SUBMITTED
    assert report_events(second)[-1] == ("report.merged", "submitted", "duplicate")
    assert report_events(first)[-1] == ("report.merge_kept", "submitted", "submitted")
    kept_event = AuditEvent.objects.filter(action="report.merge_kept").get()
    assert kept_event.data["merged"] == second.reference
    assert kept_event.data["evidence_sha256"] == [second.evidence.get().image_sha256]


def test_one_report_changed_signal_per_changed_report(pair, expert):
    from reports.events import report_changed

    seen = []

    def receiver(sender, *, report, action, **kwargs):
        seen.append((report.reference, action))

    report_changed.connect(receiver)
    try:
        services.merge_reports(keep=pair[0], absorb=pair[1], actor=expert)
    finally:
        report_changed.disconnect(receiver)
    assert sorted(seen) == sorted(
        [(pair[1].reference, "report.merged"), (pair[0].reference, "report.merge_kept")]
    )


def test_the_merged_report_leaves_the_queue_and_can_never_be_forwarded(pair, expert):
    first, second = pair
    services.merge_reports(keep=first, absorb=second, actor=expert)
    second.refresh_from_db()
    with pytest.raises(InvalidState):
        services.claim_report(report=second, expert=expert)
    with pytest.raises(InvalidState):
        services.forward_report(report=second, actor=expert)
    from reports import selectors

    assert second not in selectors.expert_queue(expert=expert)


def test_a_listing_is_forwarded_once_even_when_merged_after_forwarding(
    pair, expert, other_expert, django_capture_on_commit_callbacks
):
    first, second = pair
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_report(report=first, expert=expert)
        services.confirm_report(report=first, expert=expert)
    forwarding.drain_due()
    notices = len(mail.outbox)
    deliveries = Delivery.objects.count()
    assert notices >= 1 and deliveries >= 1
    first.refresh_from_db()
    assert first.status == ReportStatus.FORWARDED

    # Forwarded first: it is kept whichever page the merge starts from.
    keep, absorb = services.merge_order(second, first)
    assert keep == first
    with django_capture_on_commit_callbacks(execute=True):
        services.merge_reports(keep=keep, absorb=absorb, actor=other_expert)
    forwarding.drain_due()
    assert Delivery.objects.count() == deliveries
    assert not Delivery.objects.filter(report=second).exists()
    assert len(mail.outbox) == notices
    first.refresh_from_db()
    assert first.status == ReportStatus.FORWARDED


def test_merged_before_forwarding_only_the_kept_report_is_forwarded(
    pair, expert, django_capture_on_commit_callbacks
):
    first, second = pair
    services.merge_reports(keep=first, absorb=second, actor=expert)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_report(report=first, expert=expert)
        services.confirm_report(report=first, expert=expert)
    forwarding.drain_due()
    assert set(Delivery.objects.values_list("report", flat=True)) == {first.pk}


def test_a_forwarded_report_is_never_the_one_merged_in(pair, expert):
    first, second = pair
    services.claim_report(report=first, expert=expert)
    services.confirm_report(report=first, expert=expert)
    with pytest.raises(InvalidState, match="forwarded once"):
        services.merge_reports(keep=second, absorb=first, actor=expert)


def test_two_forwarded_reports_cannot_be_merged(volunteer, other_volunteer, ebay, expert):
    first = factories.make_confirmed_report(volunteer=volunteer, url=ITEM, expert=expert)
    second = factories.make_confirmed_report(volunteer=other_volunteer, url=SHORT, expert=expert)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == ReportStatus.FORWARDED
    for keep, absorb in [(first, second), (second, first)]:
        with pytest.raises(InvalidState):
            services.merge_reports(keep=keep, absorb=absorb, actor=expert)


@pytest.mark.parametrize("state", ["withdrawn", "rejected", "merged"])
def test_finished_reports_cannot_be_merged_in(pair, expert, other_volunteer, state):
    first, second = pair
    if state == "withdrawn":
        services.withdraw_report(report=second, volunteer=other_volunteer)
    elif state == "rejected":
        services.claim_report(report=second, expert=expert)
        services.reject_report(report=second, expert=expert, reason="not_wildlife")
    else:
        third = factories.make_report(url="https://www.ebay.com/itm/256000000009")
        services.merge_reports(keep=third, absorb=second, actor=expert)
    second.refresh_from_db()
    with pytest.raises(InvalidState):
        services.merge_reports(keep=first, absorb=second, actor=expert)
    with pytest.raises(InvalidState):
        services.merge_reports(keep=second, absorb=first, actor=expert)


def test_a_report_cannot_be_merged_with_itself(pair, expert):
    with pytest.raises(InvalidInput):
        services.merge_reports(keep=pair[0], absorb=pair[0], actor=expert)


def test_another_experts_claim_is_respected(pair, expert, other_expert, admin_user):
    first, second = pair
    services.claim_report(report=second, expert=other_expert)
    with pytest.raises(InvalidState, match="Another expert"):
        services.merge_reports(keep=first, absorb=second, actor=expert)
    services.merge_reports(keep=first, absorb=second, actor=admin_user)  # admins may
    second.refresh_from_db()
    assert second.status == ReportStatus.DUPLICATE and second.claimed_by is None


def test_only_experts_and_admins_merge(pair, volunteer, staff, ebay):
    first, second = pair
    ebay_staff = factories.make_user(Role.COMPANY_STAFF, company=ebay)
    for user in (volunteer, staff, ebay_staff):
        with pytest.raises(NotAllowed):
            services.merge_reports(keep=first, absorb=second, actor=user)
    # An expert never merges a report they submitted themself.
    expert_volunteer = first.volunteer
    expert_volunteer.role = Role.EXPERT
    expert_volunteer.save(update_fields=["role"])
    with pytest.raises(NotAllowed):
        services.merge_reports(keep=first, absorb=second, actor=expert_volunteer)
    assert all(r.status == ReportStatus.SUBMITTED for r in (first, second))


def test_timeline_says_what_was_merged_into_what(pair, expert, volunteer, other_volunteer):
    first, second = pair
    services.merge_reports(keep=first, absorb=second, actor=expert)
    assert f"Merged into {first.reference}." in [
        e.sentence for e in timeline_for(second, other_volunteer)
    ]
    assert f"{second.reference} was merged into this report." in [
        e.sentence for e in timeline_for(first, expert)
    ]
    assert f"{second.reference} was merged into this report." in [
        e.sentence for e in timeline_for(first, volunteer)
    ]


def test_timeline_sentence_is_translated(pair, expert, other_volunteer):
    from django.utils import translation

    services.merge_reports(keep=pair[0], absorb=pair[1], actor=expert)
    with translation.override("fr"):
        sentences = [e.sentence for e in timeline_for(pair[1], other_volunteer)]
    assert any(pair[0].reference in s for s in sentences)


# --- the page ---------------------------------------------------------------------------


def test_enter_compare_confirm(client_for, pair, expert):
    first, second = pair
    client = client_for(expert)
    review = client.get(reverse("reports:review", args=[second.reference])).content.decode()
    assert reverse("reports:merge", args=[second.reference]) in review
    url = reverse("reports:merge", args=[second.reference])
    preview = client.get(url, {"other": first.reference.lower()})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "data-merge-keep" in body and first.reference in body and second.reference in body
    assert first.volunteer.email not in body and second.volunteer.email not in body
    second.refresh_from_db()
    assert second.status == ReportStatus.SUBMITTED  # nothing happens before confirming
    response = client.post(url, {"other": first.reference, "confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:review", args=[first.reference])
    second.refresh_from_db()
    assert second.duplicate_of == first
    kept_page = client.get(response["Location"]).content.decode()
    assert second.reference in kept_page  # listed as a duplicate, and in the timeline


def test_page_errors_are_form_errors(client_for, pair, expert, other_expert):
    first, second = pair
    client = client_for(expert)
    url = reverse("reports:merge", args=[first.reference])
    for other, message in [
        ("CS-NOSUCHREF", "no report with this reference"),
        (first.reference, "another report"),
        ("bad ref!", "Enter a report reference"),
    ]:
        response = client.get(url, {"other": other})
        assert response.status_code == 200
        assert message in response.content.decode()
    services.claim_report(report=second, expert=other_expert)
    response = client.post(url, {"other": second.reference, "confirm": "yes"})
    assert response.status_code == 200
    assert "Another expert is reviewing" in response.content.decode()


def test_page_is_for_experts_and_admins(client, client_for, pair, volunteer, staff, admin_user):
    first, second = pair
    url = reverse("reports:merge", args=[first.reference])
    assert client.get(url).status_code == 302  # login
    for user in (volunteer, staff):
        assert client_for(user).post(
            url, {"other": second.reference, "confirm": "yes"}
        ).status_code in (403, 404)
    second.refresh_from_db()
    assert second.status == ReportStatus.SUBMITTED
    response = client_for(admin_user).post(url, {"other": second.reference, "confirm": "yes"})
    assert response["Location"] == reverse("reports:detail", args=[first.reference])
