"""Company feedback through the portal; the volunteer hears about the outcome."""

import pytest
from django.urls import reverse

from reports import tasks
from reports.models import ReportStatus

from .helpers import confirmed

pytestmark = pytest.mark.django_db


def test_portal_acknowledge_and_outcome_notify_the_volunteer(
    company, staff, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    report = confirmed("example-shop.com")
    client = client_for(staff)
    client.post(reverse("reports:acknowledge", args=[report.reference]))
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:outcome", args=[report.reference]),
            {"outcome": "removed", "note": "Listing taken down, seller warned.", "confirm": "yes"},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.outcome == "removed"
    [message] = mailoutbox
    assert message.to == [report.volunteer.email]
    assert report.reference in message.subject and "acted" in message.subject
    assert "Listing removed" in message.body and "seller warned" in message.body
    assert staff.email not in message.body  # the volunteer does not learn who acted either


def test_notify_volunteer_task_directly(company, mailoutbox):
    report = confirmed("example-shop.com")
    mailoutbox.clear()
    tasks.notify_volunteer(report.pk, "outcome")
    [message] = mailoutbox
    assert message.to == [report.volunteer.email]


def test_inactive_volunteer_is_not_emailed(company, mailoutbox):
    report = confirmed("example-shop.com")
    report.volunteer.is_active = False
    report.volunteer.save()
    mailoutbox.clear()
    tasks.notify_volunteer(report.pk, "outcome")
    assert mailoutbox == []
