"""The company portal's list: time left before the SLA deadline and sorting by it, search and
date filters, bulk acknowledgement, and assigning a notice to a colleague."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from reports import services
from reports.deadlines import time_left_label
from reports.models import Report, ReportStatus
from spotter.errors import InvalidInput, NotAllowed
from spotter.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db

PORTAL = "/company/reports/"


def forwarded(expert, **kwargs) -> Report:
    return factories.make_confirmed_report(expert=expert, **kwargs)


def set_due(report, *, hours: float) -> Report:
    """Move the report's current deadline to ``hours`` from now (negative: overdue)."""
    due = timezone.now() + timedelta(hours=hours)
    Report.objects.filter(pk=report.pk).update(ack_due_at=due, act_due_at=due + timedelta(days=3))
    report.refresh_from_db()
    return report


# --- time left ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "label", "overdue"),
    [
        (5 * 3600 + 60, "due in 5 h", False),
        (30 * 60 + 5, "due in 30 min", False),
        (3 * 86400 + 10, "due in 3 d", False),
        (-2 * 86400 - 10, "overdue by 2 d", True),
        (-90 * 60, "overdue by 1 h", True),
    ],
)
def test_time_left_is_said_the_way_people_say_it(seconds, label, overdue):
    now = timezone.now()
    left = time_left_label(now + timedelta(seconds=seconds), now)
    assert left.label == label and left.overdue is overdue


def test_closed_notice_has_no_deadline():
    assert time_left_label(None, timezone.now()) is None


def test_portal_shows_time_left_and_puts_the_most_urgent_first(client_for, staff, expert):
    later = set_due(forwarded(expert, listing_title="Later one"), hours=20)
    late = set_due(forwarded(expert, listing_title="Late one"), hours=-49)
    soon = set_due(forwarded(expert, listing_title="Soon one"), hours=2.5)
    closed = forwarded(expert, listing_title="Closed one")
    services.record_outcome(report=closed, staff=staff, outcome="removed")
    page = client_for(staff).get(PORTAL)
    assert page.status_code == 200
    order = [r.reference for r in page.context["page"]]
    assert order == [late.reference, soon.reference, later.reference, closed.reference]
    html = page.content.decode()
    assert "overdue by 2 d" in html and "due in 2 h" in html and "due in 19 h" in html
    newest = client_for(staff).get(PORTAL, {"sort": "newest"})
    assert [r.reference for r in newest.context["page"]][0] == closed.reference
    assert 'href="?sort=-due"' in html  # the column header flips the order
    least = client_for(staff).get(PORTAL, {"sort": "-due"})
    assert [r.reference for r in least.context["page"]][:3] == [
        later.reference,
        soon.reference,
        late.reference,
    ]


def test_acknowledged_notice_counts_down_to_acting(client_for, staff, expert):
    report = forwarded(expert)
    services.acknowledge_report(report=report, staff=staff)
    Report.objects.filter(pk=report.pk).update(
        ack_due_at=timezone.now() - timedelta(days=5),
        act_due_at=timezone.now() + timedelta(hours=30, minutes=5),
    )
    html = client_for(staff).get(PORTAL).content.decode()
    assert "due in 30 h" in html and "overdue by" not in html


def _count(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PORTAL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_portal_with_filters_and_assignees_runs_a_fixed_number_of_queries(
    client_for, company, staff, expert
):
    colleague = factories.make_user(Role.COMPANY_STAFF, company=company)
    client = client_for(staff)
    params = {"q": "pangolin", "sort": "due", "forwarded_from": "2000-01-01"}
    for _ in range(2):
        services.assign_notice(report=forwarded(expert), staff=staff, assignee=colleague)
    small = _count(client, params)
    for _ in range(8):
        report = forwarded(expert)
        services.assign_notice(report=report, staff=staff, assignee=staff)
    large = _count(client, params)
    assert large == small


# --- search and filters ------------------------------------------------------------------


def test_search_matches_reference_title_and_url(client_for, staff, expert):
    tiger = forwarded(expert, listing_title="Tiger bone wine", url="https://example-shop.com/i/77")
    ivory = forwarded(expert, listing_title="Carved ivory", url="https://example-shop.com/i/zz9")
    client = client_for(staff)

    def refs(**params):
        response = client.get(PORTAL, params)
        assert response.status_code == 200
        return {r.reference for r in response.context["page"]}

    assert refs(q="tiger BONE") == {tiger.reference}
    assert refs(q="zz9") == {ivory.reference}
    assert refs(q=ivory.reference.lower()) == {ivory.reference}
    assert refs(q="nothing like this") == set()


def test_date_range_and_status_filters(client_for, staff, expert):
    old = forwarded(expert)
    Report.objects.filter(pk=old.pk).update(forwarded_at=timezone.now() - timedelta(days=40))
    new = forwarded(expert)
    services.acknowledge_report(report=new, staff=staff)
    client = client_for(staff)
    since = (timezone.now() - timedelta(days=10)).date().isoformat()
    until = (timezone.now() - timedelta(days=30)).date().isoformat()
    got = client.get(PORTAL, {"forwarded_from": since}).context["page"]
    assert [r.reference for r in got] == [new.reference]
    got = client.get(PORTAL, {"forwarded_to": until}).context["page"]
    assert [r.reference for r in got] == [old.reference]
    got = client.get(PORTAL, {"status": "acknowledged"}).context["page"]
    assert [r.reference for r in got] == [new.reference]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"forwarded_from": "2024-13-45"}, "forwarded_from"),
        ({"forwarded_to": "yesterday'; DROP"}, "forwarded_to"),
        ({"forwarded_from": "2025-05-02", "forwarded_to": "2025-05-01"}, "forwarded_to"),
        ({"status": "deleted"}, "status"),
        ({"sort": "volunteer__email"}, "sort"),
        ({"q": "x" * 300}, "q"),
    ],
)
def test_bad_filters_are_form_errors_not_server_errors(client_for, staff, expert, params, field):
    forwarded(expert)
    response = client_for(staff).get(PORTAL, params)
    assert response.status_code == 400
    assert field in response.context["filter_form"].errors
    assert 'class="error"' in response.content.decode()


# --- bulk acknowledgement ----------------------------------------------------------------


def test_bulk_acknowledge_acknowledges_each_and_says_what_was_skipped(
    client_for, staff, other_staff, expert, other_company
):
    first, second, already = forwarded(expert), forwarded(expert), forwarded(expert)
    services.acknowledge_report(report=already, staff=staff)
    foreign = forwarded(expert, url="https://other-market.com/item/5")
    assert foreign.company == other_company
    response = client_for(staff).post(
        reverse("reports:bulk_acknowledge"),
        {
            "references": [first.reference, second.reference, already.reference, foreign.reference],
            "return_query": "status=forwarded&q=scales",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{PORTAL}?status=forwarded&q=scales"
    for report in (first, second):
        report.refresh_from_db()
        assert report.status == ReportStatus.ACKNOWLEDGED
    foreign.refresh_from_db()
    assert foreign.status == ReportStatus.FORWARDED
    text = [str(m) for m in response.context["messages"]]
    assert "2 notices acknowledged." in text
    skipped = next(m for m in text if "skipped" in m)
    assert f"{already.reference}: already acknowledged" in skipped
    assert f"{foreign.reference}: not found" in skipped  # never "another company's"
    acks = AuditEvent.objects.filter(action="report.acknowledged", actor=staff)
    assert acks.count() == 3  # two now, one before: one service call per report


def test_bulk_acknowledge_needs_a_selection_and_csrf(staff, expert):
    from django.test import Client

    report = forwarded(expert)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    refused = strict.post(reverse("reports:bulk_acknowledge"), {"references": [report.reference]})
    assert refused.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED
    with pytest.raises(InvalidInput) as err:
        services.bulk_acknowledge(staff=staff, references=["", " "])
    assert err.value.field == "references"


def test_other_companys_staff_cannot_bulk_acknowledge(client_for, company, other_staff, expert):
    report = forwarded(expert)
    client_for(other_staff).post(
        reverse("reports:bulk_acknowledge"), {"references": [report.reference]}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED


# --- assignment --------------------------------------------------------------------------


def test_assign_to_colleague_is_audited_listed_and_notified(client_for, company, staff, expert):
    colleague = factories.make_user(
        Role.COMPANY_STAFF, company=company, display_name="Colette Colleague"
    )
    report = forwarded(expert)
    response = client_for(staff).post(
        reverse("reports:assign_notice", args=[report.reference]), {"assignee": colleague.pk}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee == colleague
    event = AuditEvent.objects.get(action="report.assigned")
    assert event.actor == staff and event.data == {"assignee": colleague.pk, "previous": None}
    note = Notification.objects.get(user=colleague, kind=Kind.NOTICE_ASSIGNED)
    assert note.report == report
    listing = client_for(staff).get(PORTAL).content.decode()
    assert "Colette Colleague" in listing
    mine = client_for(colleague).get(PORTAL, {"mine": "on"})
    assert [r.reference for r in mine.context["page"]] == [report.reference]
    assert client_for(staff).get(PORTAL, {"mine": "on"}).context["page"].object_list == []


def test_taking_a_notice_yourself_tells_nobody_and_unassigning_works(client_for, staff, expert):
    report = forwarded(expert)
    services.assign_notice(report=report, staff=staff, assignee=staff)
    assert not Notification.objects.filter(kind=Kind.NOTICE_ASSIGNED).exists()
    client_for(staff).post(
        reverse("reports:assign_notice", args=[report.reference]), {"assignee": ""}
    )
    report.refresh_from_db()
    assert report.assignee is None


def test_assignee_must_be_an_active_colleague(staff, other_staff, company, expert):
    report = forwarded(expert)
    gone = factories.make_user(Role.COMPANY_STAFF, company=company)
    gone.is_active = False
    gone.save()
    for person in (other_staff, gone, expert):
        with pytest.raises(InvalidInput):
            services.assign_notice(report=report, staff=staff, assignee=person)
    with pytest.raises(NotAllowed):
        services.assign_notice(report=report, staff=other_staff, assignee=other_staff)
    report.refresh_from_db()
    assert report.assignee is None


def test_other_companys_staff_cannot_assign_through_the_page(
    client_for, staff, other_staff, expert
):
    report = forwarded(expert)
    response = client_for(other_staff).post(
        reverse("reports:assign_notice", args=[report.reference]), {"assignee": other_staff.pk}
    )
    assert response.status_code == 404
    bogus = client_for(staff).post(
        reverse("reports:assign_notice", args=[report.reference]), {"assignee": other_staff.pk}
    )
    assert bogus.status_code == 302
    report.refresh_from_db()
    assert report.assignee is None


def test_closed_notice_cannot_be_assigned(staff, expert):
    report = forwarded(expert)
    services.record_outcome(report=report, staff=staff, outcome="removed")
    with pytest.raises(InvalidInput):
        services.assign_notice(report=report, staff=staff, assignee=staff)
