"""Service levels: overdue flags in the portal and the admin overview; one escalation email."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reports import forwarding, services, tasks
from reports.forwarding.sla import escalate_overdue, is_overdue, overdue_reports
from reports.models import Channel, Delivery, DeliveryStatus, Report
from spotter.models import AuditEvent

from .helpers import confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def sla_company(company):
    company.ack_sla_hours = 24
    company.act_sla_hours = 72
    company.escalation_email = "boss@shopco.invalid"
    company.save()
    return company


def forwarded(company):
    report = confirmed("example-shop.com")
    report.refresh_from_db()
    return report


def test_deadlines_are_fixed_at_forwarding_from_company_targets(sla_company):
    report = forwarded(sla_company)
    assert report.ack_due_at - report.forwarded_at == timedelta(hours=24)
    assert report.act_due_at - report.forwarded_at == timedelta(hours=72)
    sla_company.ack_sla_hours = 1
    sla_company.save()
    report.refresh_from_db()
    assert report.ack_due_at - report.forwarded_at == timedelta(hours=24)


def test_overdue_rules(sla_company, staff):
    report = forwarded(sla_company)
    t0 = report.forwarded_at
    assert not is_overdue(report, t0 + timedelta(hours=23))
    assert is_overdue(report, t0 + timedelta(hours=25))  # not acknowledged in time
    services.acknowledge_report(report=report, staff=staff)
    report.refresh_from_db()
    assert not is_overdue(report, t0 + timedelta(hours=25))
    assert is_overdue(report, t0 + timedelta(hours=73))  # acknowledged, but no outcome
    assert list(overdue_reports(t0 + timedelta(hours=73))) == [report]
    services.record_outcome(report=report, staff=staff, outcome="removed")
    report.refresh_from_db()
    assert not is_overdue(report, t0 + timedelta(days=30))


def test_escalated_once_by_email_to_the_second_contact(sla_company, mailoutbox):
    report = forwarded(sla_company)
    t0 = report.forwarded_at
    assert escalate_overdue(t0 + timedelta(hours=23)) == 0
    assert escalate_overdue(t0 + timedelta(hours=25)) == 1
    delivery = Delivery.objects.get(report=report, channel=Channel.ESCALATION)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.SENT
    # Later checks (even past the act deadline too) never escalate it again.
    assert escalate_overdue(t0 + timedelta(hours=26)) == 0
    assert escalate_overdue(t0 + timedelta(hours=100)) == 0
    assert tasks.check_slas() == 0
    escalations = [m for m in mailoutbox if m.to == ["boss@shopco.invalid"]]
    assert len(escalations) == 1
    assert report.reference in escalations[0].subject and report.reference in escalations[0].body
    assert escalations[0].extra_headers["Message-ID"] == (
        f"<{delivery.idempotency_key}@cyberspotter.notices>"
    )
    assert report.volunteer.email not in escalations[0].body
    assert AuditEvent.objects.filter(action="report.escalated").count() == 1
    report.refresh_from_db()
    assert report.escalated_at is not None


def test_escalation_email_failure_is_retried_not_lost(sla_company, failing_smtp):
    from django.core import mail
    from django.utils import timezone

    report = forwarded(sla_company)
    escalate_overdue(report.forwarded_at + timedelta(hours=25))
    delivery = Delivery.objects.get(report=report, channel=Channel.ESCALATION)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.PENDING
    assert escalate_overdue(report.forwarded_at + timedelta(hours=26)) == 0  # still once
    failing_smtp.failing = False
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["boss@shopco.invalid"]]


def test_no_second_contact_no_escalation(company):
    report = forwarded(company)
    assert escalate_overdue(report.forwarded_at + timedelta(days=10)) == 0
    assert not Delivery.objects.filter(channel=Channel.ESCALATION).exists()


def test_overdue_flagged_in_portal_and_admin_overview(sla_company, staff, admin_user, client_for):
    report = forwarded(sla_company)
    fresh = forwarded(sla_company)
    Report.objects.filter(pk=report.pk).update(
        forwarded_at=report.forwarded_at - timedelta(hours=30),
        ack_due_at=report.ack_due_at - timedelta(hours=30),
        act_due_at=report.act_due_at - timedelta(hours=30),
    )
    portal = client_for(staff).get(reverse("reports:portal")).content.decode()
    row = portal[portal.index(report.reference) :].split("</tr>")[0]
    assert "overdue" in row
    fresh_row = portal[portal.index(fresh.reference) :].split("</tr>")[0]
    assert "badge overdue" not in fresh_row

    page = client_for(admin_user).get(reverse("reports:overview")).content.decode()
    section = page[page.index('id="overdue"') :].split("</section>")[0]
    assert report.reference in section and fresh.reference not in section
    assert "Overdue at companies" in section and "(1)" in section
