"""Experts correct the product type at confirmation, like the species (issue 13)."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import ReportStatus
from reports.notices import notice_context
from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_service_corrects_product_type_and_audits_it(volunteer, expert, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    live = factories.get_product_type("live")
    report = services.confirm_report(report=report, expert=expert, product_type=live)
    report.refresh_from_db()
    assert report.product_type == live
    event = AuditEvent.objects.get(action="report.confirmed")
    assert event.data["product_type_corrected_from"] == "scales"
    assert event.data["product_type_corrected_to"] == "live"
    # The notice the company gets names the corrected product type.
    assert "live" in notice_context(report)["explanation"]


def test_review_page_offers_and_applies_the_correction(client_for, volunteer, expert, company):
    report = factories.make_report(volunteer)
    live = factories.get_product_type("live")
    client = client_for(expert)
    client.post(reverse("reports:claim", args=[report.reference]))
    page = client.get(reverse("reports:review", args=[report.reference]))
    assert b"keep the reported product type" in page.content
    response = client.post(
        reverse("reports:confirm", args=[report.reference]), {"product_type": str(live.pk)}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED and report.product_type == live


def test_keeping_the_product_type_records_no_correction(volunteer, expert, company):
    report = factories.make_report(volunteer)
    services.claim_report(report=report, expert=expert)
    services.confirm_report(report=report, expert=expert, product_type=report.product_type)
    event = AuditEvent.objects.get(action="report.confirmed")
    assert "product_type_corrected_to" not in event.data
