"""The thread between a company's staff and the programme on one notice: who may post, how
authors are named to each side, notifications, audit, rate limit, and reporter anonymity."""

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification
from notifications.text import describe
from reports import services
from reports.models import NoticeMessage
from spotter.errors import InvalidInput, LimitReached, NotAllowed
from spotter.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(company, volunteer, expert):
    return factories.make_confirmed_report(volunteer=volunteer, expert=expert)


def post(client, report, body):
    return client.post(
        reverse("reports:notice_message", args=[report.reference]), {"body": body}, follow=True
    )


def test_staff_and_expert_talk_and_each_side_is_told(client_for, notice, staff, expert, company):
    colleague = factories.make_user(
        Role.COMPANY_STAFF, company=company, display_name="Colette Colleague"
    )
    expert.display_name = "Dr Erin Expertname"
    expert.save()
    staff.display_name = "Sam Staffer"
    staff.save()

    response = post(client_for(staff), notice, "Is the seller's other listing also illegal?")
    assert response.redirect_chain[-1][0].startswith(f"/company/reports/{notice.reference}/")
    told = Notification.objects.get(user=expert, kind=Kind.NOTICE_REPLY)
    assert told.data["to"] == "programme"
    assert describe(told).url == f"/review/{notice.reference}/"
    assert not Notification.objects.filter(user=colleague, kind=Kind.NOTICE_REPLY).exists()

    post(client_for(expert), notice, "Yes: the same pangolin scales.")
    for person in (staff, colleague):
        note = Notification.objects.get(user=person, kind=Kind.NOTICE_REPLY)
        message = describe(note)
        assert message.url == f"/company/reports/{notice.reference}/"
        assert "Erin" not in message.title + message.body
    post(client_for(colleague), notice, "Taken down both.")

    # Staff see "you", a colleague's name, and the programme, never the expert by name.
    page = client_for(staff).get(f"/company/reports/{notice.reference}/").content.decode()
    assert "Is the seller&#x27;s other listing also illegal?" in page
    assert "Cyber Spotter expert" in page and "Colette Colleague" in page
    assert ">you<" in page
    assert "Erin" not in page
    # The expert sees the thread on the review page.
    review = client_for(expert).get(f"/review/{notice.reference}/").content.decode()
    assert "Taken down both." in review and "ShopCo staff: Sam Staffer" in review

    events = AuditEvent.objects.filter(action="report.message_posted", object_id=str(notice.pk))
    assert events.count() == 3
    assert {e.data["side"] for e in events} == {"company", "programme"}
    assert "body" not in events.first().data  # the text lives in the thread, not the log


def test_volunteer_never_posts_nor_sees_the_thread(client_for, notice, volunteer):
    response = client_for(volunteer).post(
        reverse("reports:notice_message", args=[notice.reference]), {"body": "Hello"}
    )
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        services.post_notice_message(report=notice, author=volunteer, body="Hello")
    assert not NoticeMessage.objects.exists()
    page = client_for(volunteer).get(f"/reports/{notice.reference}/").content.decode()
    assert "notice-thread" not in page


def test_other_companys_staff_cannot_post(client_for, notice, other_staff):
    response = client_for(other_staff).post(
        reverse("reports:notice_message", args=[notice.reference]), {"body": "Hello"}
    )
    assert response.status_code == 404
    with pytest.raises(NotAllowed):
        services.post_notice_message(report=notice, author=other_staff, body="Hello")
    assert not NoticeMessage.objects.exists()


def test_no_thread_before_forwarding(client_for, volunteer, expert):
    waiting = factories.make_report(volunteer)
    with pytest.raises(NotAllowed):
        services.post_notice_message(report=waiting, author=expert, body="Hi")
    page = client_for(expert).get(f"/review/{waiting.reference}/").content.decode()
    assert "notice-thread" not in page


def test_empty_and_long_messages_are_refused_naming_the_field(client_for, notice, staff):
    for body in ("   ", "x" * 2001):
        with pytest.raises(InvalidInput) as err:
            services.post_notice_message(report=notice, author=staff, body=body)
        assert err.value.field == "body"
    response = post(client_for(staff), notice, "")
    assert response.status_code == 200
    assert not NoticeMessage.objects.exists()


def test_posting_is_rate_limited(settings, notice, staff):
    settings.NOTICE_MESSAGES_PER_HOUR = 2
    services.post_notice_message(report=notice, author=staff, body="one")
    services.post_notice_message(report=notice, author=staff, body="two")
    with pytest.raises(LimitReached) as err:
        services.post_notice_message(report=notice, author=staff, body="three")
    assert err.value.retry_after > 0
    assert NoticeMessage.objects.count() == 2


def test_admin_may_post_from_the_report_page(client_for, notice, admin_user, staff):
    response = post(client_for(admin_user), notice, "Programme here.")
    assert response.redirect_chain[-1][0].startswith(f"/reports/{notice.reference}/")
    assert "Programme here." in response.content.decode()
    page = client_for(staff).get(f"/company/reports/{notice.reference}/").content.decode()
    assert "Programme here." in page and admin_user.public_name not in page


def test_thread_and_assignment_never_name_the_reporter(
    client_for, notice, volunteer, staff, expert
):
    """Reporter anonymity: nothing on the company's pages about the thread or the assignment
    names the volunteer (or their pseudonym), nor does any notification a company receives."""
    services.assign_notice(report=notice, staff=staff, assignee=staff)
    services.post_notice_message(report=notice, author=staff, body="Question.")
    services.post_notice_message(report=notice, author=expert, body="Answer.")
    secrets = [volunteer.email, volunteer.display_name, volunteer.pseudonym]
    client = client_for(staff)
    pages = [
        client.get(f"/company/reports/{notice.reference}/").content.decode(),
        client.get("/company/reports/").content.decode(),
        client.get("/company/reports/", {"mine": "on", "q": notice.reference}).content.decode(),
        client.get("/notifications/").content.decode(),
    ]
    for html in pages:
        for secret in secrets:
            assert secret not in html
    for note in Notification.objects.filter(user=staff):
        message = describe(note)
        for secret in secrets:
            assert secret not in message.title + message.body
