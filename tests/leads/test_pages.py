"""The leads pages and panels: what each role sees, nothing identifying, bounded queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leads import services
from leads.models import PreScreen
from reports import services as report_services
from reports.models import Report, ReportStatus
from spotter.models import Role
from tests import factories

from .conftest import join

pytestmark = pytest.mark.django_db


def test_queue_page_query_count_does_not_grow(
    client_for, lead, newer, running_round, company, django_assert_max_num_queries
):
    client = client_for(lead)
    url = reverse("leads:queue")
    factories.make_report(newer)
    client.get(url)  # warm the per-process caches (content types, site)
    with django_assert_max_num_queries(14):
        first = client.get(url)
    assert first.status_code == 200
    for _n in range(2):
        mate = factories.make_user(Role.VOLUNTEER)
        join(running_round, mate)
        for _m in range(3):
            factories.make_report(mate)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    body = response.content.decode()
    assert body.count('data-testid="prescreen-link"') == 7
    assert newer.email not in body and "Nora Newer" not in body
    assert newer.pseudonym in body


def test_prescreen_page_shows_listing_and_pseudonym_only(client_for, lead, newer, waiting_report):
    response = client_for(lead).get(reverse("leads:prescreen", args=[waiting_report.reference]))
    body = response.content.decode()
    assert response.status_code == 200
    assert waiting_report.listing_title in body and newer.pseudonym in body
    assert newer.email not in body and newer.display_name not in body
    evidence = waiting_report.evidence.get()
    image = client_for(lead).get(
        reverse("leads:evidence", args=[waiting_report.reference, evidence.pk])
    )
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_prescreen_through_the_page(client_for, lead, waiting_report):
    url = reverse("leads:prescreen", args=[waiting_report.reference])
    bad = client_for(lead).post(url, {"verdict": "maybe"})
    assert bad.status_code == 200 and not PreScreen.objects.exists()
    response = client_for(lead).post(url, {"verdict": "needs_evidence", "note": "No scale"})
    assert response.status_code == 302
    assert PreScreen.objects.get().note == "No scale"
    assert Report.objects.get(pk=waiting_report.pk).status == ReportStatus.SUBMITTED


def test_other_leads_and_volunteers_cannot_open_it(client_for, newer, waiting_report, volunteer):
    stranger_lead = factories.make_user(Role.VOLUNTEER, is_lead_spotter=True)
    url = reverse("leads:prescreen", args=[waiting_report.reference])
    assert client_for(stranger_lead).get(url).status_code == 404
    assert client_for(volunteer).get(url).status_code == 403
    assert client_for(newer).get(url).status_code == 403


def test_expert_sees_the_prescreen_on_the_review_page_and_in_the_queue(
    client_for, lead, waiting_report, expert
):
    services.prescreen(lead=lead, report=waiting_report, verdict="needs_evidence", note="Blurry")
    body = client_for(expert).get(reverse("reports:review", args=[waiting_report.reference]))
    text = body.content.decode()
    assert 'data-testid="lead-prescreens"' in text and "Blurry" in text
    assert lead.pseudonym in text and lead.email not in text
    queue = client_for(expert).get(reverse("reports:queue") + "?sort=prescreened")
    assert queue.status_code == 200 and "Needs more evidence" in queue.content.decode()


def test_company_staff_never_see_prescreens(client_for, lead, waiting_report, expert, staff):
    services.prescreen(lead=lead, report=waiting_report, verdict="looks_good", note="Fine")
    report_services.claim_report(report=waiting_report, expert=expert)
    report_services.confirm_report(report=waiting_report, expert=expert)
    body = client_for(staff).get(reverse("reports:company_detail", args=[waiting_report.reference]))
    assert body.status_code == 200
    text = body.content.decode()
    assert "Fine" not in text and "lead-prescreens" not in text and "lead-panel" not in text


def test_volunteer_sees_only_a_hint(client_for, lead, newer, waiting_report):
    url = reverse("reports:detail", args=[waiting_report.reference])
    assert 'data-testid="evidence-hint"' not in client_for(newer).get(url).content.decode()
    services.prescreen(lead=lead, report=waiting_report, verdict="needs_evidence", note="Secret")
    text = client_for(newer).get(url).content.decode()
    assert 'data-testid="evidence-hint"' in text
    assert "Secret" not in text and lead.email not in text and lead.pseudonym not in text


def test_lead_accuracy_page(client_for, lead, waiting_report, expert):
    services.prescreen(lead=lead, report=waiting_report, verdict="looks_good")
    report_services.claim_report(report=waiting_report, expert=expert)
    report_services.confirm_report(report=waiting_report, expert=expert)
    text = client_for(lead).get(reverse("leads:accuracy")).content.decode()
    assert "100%" in text and "95% CI" in text


def test_admin_table_query_count(client_for, admin_user, lead, django_assert_max_num_queries):
    for _n in range(3):
        factories.make_user(Role.VOLUNTEER, is_lead_spotter=True)
    client = client_for(admin_user)
    client.get(reverse("leads:table"))  # warm the per-process caches
    with django_assert_max_num_queries(8):
        response = client.get(reverse("leads:table"))
    assert response.content.decode().count('data-testid="lead-row"') == 4
