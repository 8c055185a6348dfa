"""In-app notifications, emails and digests, each as the person chose, in their language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from notifications import delivery, reminders, services
from notifications.models import Channel, Kind, Notification
from reports import services as report_services
from reports.models import Report
from spotter.models import Role
from tests import factories
from training.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db):
    return factories.make_company(slug="shopco", domains=("example-shop.com",))


def confirmed_for(volunteer, expert=None, note=""):
    report = factories.make_report(volunteer)
    expert = expert or factories.make_user(Role.EXPERT)
    report_services.claim_report(report=report, expert=expert)
    return report_services.confirm_report(report=report, expert=expert, note=note)


def kinds(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_decision_reaches_the_volunteer_on_the_site_and_by_email(
    company, django_capture_on_commit_callbacks
):
    volunteer = factories.make_user(Role.VOLUNTEER, language="zh-hans")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = confirmed_for(volunteer, note="Clear photos, thank you.")
    assert kinds(volunteer) == [Kind.REPORT_CONFIRMED]
    [email] = [m for m in mail.outbox if m.to == [volunteer.email]]
    with translation.override("zh-hans"):
        assert report.reference in email.subject
        assert email.subject != f"[Cyber Spotter] Your report {report.reference} was reviewed"
    assert "Clear photos, thank you." in email.body


def test_preferences_decide_the_channel(company, django_capture_on_commit_callbacks):
    volunteer = factories.make_user(Role.VOLUNTEER)
    services.set_preferences(
        user=volunteer,
        choices={Kind.REPORT_CONFIRMED: Channel.OFF, Kind.REPORT_OUTCOME: Channel.SITE},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = confirmed_for(volunteer)
        staff = factories.make_user(Role.COMPANY_STAFF, company=company)
        report_services.record_outcome(report=report, staff=staff, outcome="removed")
    assert kinds(volunteer) == [Kind.REPORT_OUTCOME]  # confirmation off, outcome on site only
    assert [m for m in mail.outbox if m.to == [volunteer.email]] == []


def test_digest_collects_a_day_into_one_email(company, django_capture_on_commit_callbacks):
    volunteer = factories.make_user(Role.VOLUNTEER, language="fr")
    services.set_preferences(
        user=volunteer,
        choices={Kind.REPORT_CONFIRMED: Channel.DIGEST, Kind.REPORT_REJECTED: Channel.DIGEST},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = confirmed_for(volunteer)
        second = confirmed_for(volunteer)
    assert [m for m in mail.outbox if m.to == [volunteer.email]] == []
    mail.outbox.clear()
    assert delivery.send_digests() == 1
    [email] = mail.outbox
    assert first.reference in email.body and second.reference in email.body
    with translation.override("fr"):
        assert translation.gettext("Since your last digest:") in email.body
    assert delivery.send_digests() == 0  # each notification is in one digest only


def test_needs_info_carries_the_experts_words_and_resubmission_tells_that_expert(company):
    volunteer = factories.make_user(Role.VOLUNTEER)
    expert = factories.make_user(Role.EXPERT)
    report = factories.make_report(volunteer)
    report_services.claim_report(report=report, expert=expert)
    report_services.request_info(report=report, expert=expert, message="Is there a price?")
    note = Notification.objects.get(user=volunteer)
    assert note.kind == Kind.REPORT_NEEDS_INFO and note.data["message"] == "Is there a price?"
    report = Report.objects.get(pk=report.pk)
    report_services.resubmit_report(
        report=report,
        volunteer=volunteer,
        details=factories.details(report.listing_url, listing_title="Scales, 80 USD"),
        images=[],
        image_names=[],
    )
    told = Notification.objects.get(user=expert)
    assert told.kind == Kind.REPORT_RESUBMITTED
    assert "listing_title" in told.data["changed"]
    client_page = _client_for(expert).get(reverse("notifications:list")).content.decode()
    assert "Changed: listing title" in client_page


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_company_staff_hear_of_new_notices_once(company):
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    other = factories.make_user(
        Role.COMPANY_STAFF, company=factories.make_company(slug="other", domains=("other.com",))
    )
    report = factories.make_confirmed_report()
    assert kinds(staff) == [Kind.NEW_NOTICE]
    assert kinds(other) == []
    assert Notification.objects.get(user=staff).report == report


def test_reminders_are_sent_once(company):
    volunteer = factories.make_user(Role.VOLUNTEER)
    Certificate.objects.filter(user=volunteer).update(
        expires_at=timezone.now() + timedelta(days=10)
    )
    expert = factories.make_user(Role.EXPERT)
    old = factories.make_report()
    Report.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    first = reminders.send_reminders()
    assert first["certificates"] == 1 and first["queue"] >= 1
    assert reminders.send_reminders() == {
        "certificates": 0,
        "queue": 0,
        "overdue": 0,
        "lead_spotters": 0,
    }
    assert Kind.CERTIFICATE_EXPIRING in kinds(volunteer)
    assert Kind.QUEUE_WAITING in kinds(expert)


def test_overdue_notices_remind_the_company(company, settings):
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    report = factories.make_confirmed_report()
    later = timezone.now() + timedelta(days=30)
    assert reminders.remind_overdue_notices(later) == 1
    assert reminders.remind_overdue_notices(later) == 0
    assert Notification.objects.filter(user=staff, kind=Kind.NOTICE_OVERDUE, report=report).exists()


def test_list_page_count_and_read_state(company, client, django_assert_max_num_queries):
    volunteer = factories.make_user(Role.VOLUNTEER)
    for _ in range(3):
        confirmed_for(volunteer)
    client.force_login(volunteer)
    assert client.get(reverse("notifications:count")).content.decode().count(">3<") == 1
    with django_assert_max_num_queries(8):
        page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="fr")
    body = page.content.decode()
    with translation.override("fr"):
        assert translation.gettext("Notifications") in body
    note = Notification.objects.filter(user=volunteer).first()
    opened = client.get(reverse("notifications:open", args=[note.pk]))
    assert opened.status_code == 302 and opened["Location"].endswith(f"{note.report.reference}/")
    note.refresh_from_db()
    assert note.read_at is not None
    assert ">2<" in client.get(reverse("notifications:count")).content.decode()
    client.post(reverse("notifications:mark_all_read"))
    assert Notification.objects.filter(user=volunteer, read_at__isnull=True).count() == 0
    assert "badge" not in client.get(reverse("notifications:count")).content.decode()


def test_list_page_queries_do_not_grow(company, client):
    volunteer = factories.make_user(Role.VOLUNTEER)
    client.force_login(volunteer)
    confirmed_for(volunteer)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notifications:list"))
    for _ in range(5):
        confirmed_for(volunteer)
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("notifications:list"))
    assert len(six) == len(one)


def test_preferences_page_offers_only_the_roles_kinds(client):
    staff = factories.make_user(
        Role.COMPANY_STAFF, company=factories.make_company(slug="c2", domains=("c2.com",))
    )
    client.force_login(staff)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert Kind.NEW_NOTICE in page and Kind.REPORT_CONFIRMED not in page
    saved = client.post(
        reverse("notifications:preferences"),
        {
            Kind.NEW_NOTICE: Channel.EMAIL,
            Kind.NOTICE_OVERDUE: Channel.OFF,
            Kind.NOTICE_ASSIGNED: Channel.SITE,
            Kind.NOTICE_REPLY: Channel.EMAIL,
            Kind.OUTCOME_DISCREPANCY: Channel.EMAIL,
        },
    )
    assert saved.status_code == 302
    assert services.channel_for(staff, Kind.NEW_NOTICE) == Channel.EMAIL
    bad = client.post(
        reverse("notifications:preferences"),
        {
            Kind.NEW_NOTICE: "loud",
            Kind.NOTICE_OVERDUE: Channel.OFF,
            Kind.NOTICE_ASSIGNED: Channel.SITE,
            Kind.NOTICE_REPLY: Channel.EMAIL,
        },
    )
    assert bad.status_code == 200 and Kind.NEW_NOTICE in bad.context["form"].errors


def test_data_export_and_account_closure(company, client):
    volunteer = factories.make_user(Role.VOLUNTEER)
    confirmed_for(volunteer)
    client.force_login(volunteer)
    exported = client.get(reverse("data_export")).json()
    assert exported["notifications"][0]["kind"] == Kind.REPORT_CONFIRMED
