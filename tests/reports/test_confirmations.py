"""Irreversible actions ask first, start with nothing chosen, and outcomes can be corrected
(issue 13)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import actions, services
from reports.forms import OutcomeForm, RejectForm
from reports.models import Report, ReportStatus
from spotter.errors import NotAllowed
from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_reject_and_outcome_start_with_nothing_chosen():
    for form, name in ((RejectForm(), "reason"), (OutcomeForm(), "outcome")):
        assert form.fields[name].choices[0][0] == ""
        assert not form.is_bound and form.fields[name].required
        assert "selected" not in str(form[name]).split("</option>")[1]
    assert "reason" in RejectForm({}).errors and "outcome" in OutcomeForm({}).errors


def test_withdraw_asks_for_confirmation_without_js(client_for, volunteer, company):
    report = factories.make_report(volunteer)
    client = client_for(volunteer)
    url = reverse("reports:withdraw", args=[report.reference])
    detail = client.get(reverse("reports:detail", args=[report.reference]))
    assert b"data-confirm=" in detail.content
    page = client.post(url)
    assert page.status_code == 200
    assert b'name="confirm" value="yes"' in page.content
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED  # nothing happened yet
    client.post(url, {"confirm": "yes"})
    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN


def test_reject_asks_for_confirmation_and_reposts_the_choice(client_for, volunteer, expert):
    report = factories.make_report(volunteer)
    client = client_for(expert)
    client.post(reverse("reports:claim", args=[report.reference]))
    url = reverse("reports:reject", args=[report.reference])
    empty = client.post(url, {"confirm": "yes"})
    assert empty.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW  # no reason chosen: nothing happens
    page = client.post(url, {"reason": "legal_trade", "note": "Resin."})
    assert page.status_code == 200
    assert b'name="reason" value="legal_trade"' in page.content
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW
    client.post(url, {"reason": "legal_trade", "note": "Resin.", "confirm": "yes"})
    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED


def test_outcome_needs_confirmation_and_can_be_corrected(client_for, volunteer, expert, staff):
    report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    client = client_for(staff)
    url = reverse("reports:outcome", args=[report.reference])
    page = client.post(url, {"outcome": "removed"})
    assert page.status_code == 200 and b"Listing removed" in page.content
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED
    client.post(url, {"outcome": "removed", "confirm": "yes"})
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.outcome == "removed"

    detail = client.get(reverse("reports:company_detail", args=[report.reference]))
    correct_url = reverse("reports:correct_outcome", args=[report.reference])
    assert correct_url.encode() in detail.content
    response = client.post(correct_url, {"outcome": "already_gone", "note": "Gone before."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.outcome == "already_gone"
    event = AuditEvent.objects.get(action="report.outcome_corrected")
    assert event.actor == staff
    assert event.data == {
        "outcome": "already_gone",
        "note": "Gone before.",
        "previous_outcome": "removed",
        "previous_note": "",
    }
    detail = client.get(reverse("reports:company_detail", args=[report.reference]))
    assert b"Listing already gone" in detail.content
    bad = client.post(correct_url, {"outcome": "other"})
    assert bad.status_code == 400 and b"Describe the outcome" in bad.content


def test_only_own_company_staff_correct_and_only_within_the_window(
    client_for, volunteer, expert, staff, other_staff
):
    report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    services.record_outcome(report=report, staff=staff, outcome="removed")
    with pytest.raises(NotAllowed):
        services.correct_outcome(report=report, staff=other_staff, outcome="no_violation")
    response = client_for(other_staff).post(
        reverse("reports:correct_outcome", args=[report.reference]), {"outcome": "no_violation"}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.outcome == "removed"
    Report.objects.filter(pk=report.pk).update(outcome_at=timezone.now() - timedelta(days=31))
    report.refresh_from_db()
    assert actions.CORRECT_OUTCOME not in actions.allowed_actions(report, staff)
    with pytest.raises(NotAllowed, match="30 days"):
        services.correct_outcome(report=report, staff=staff, outcome="no_violation")
