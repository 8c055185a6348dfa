"""The programme dashboard is one cached fragment (quality/views/dashboards.py): a repeated
request is a few cache reads, and every change the page shows replaces it — approvals and
retirements of keyword terms, decisions, second reviews, rechecks' flags, species groups."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keywords import services as keyword_services
from quality import rollups
from quality import services as quality_services
from quality.models import SecondReview
from rechecks.models import FlagKind
from rechecks.services import raise_flag
from reports import services
from spotter.models import Role
from tests import factories

from .conftest import decide

pytestmark = pytest.mark.django_db

URL = "quality:dashboard"


def get(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(URL), params or {})
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('class="filters card"')[1].split("</main>")[0], len(ctx.captured_queries)


def approved_terms(html: str) -> str:
    return html.split('data-testid="keyword-approved">')[1].split("<")[0]


def test_a_hit_is_three_queries(client_for, admin_user, volunteer, expert):
    decide(factories.make_report(volunteer), expert)
    client = client_for(admin_user)
    first, cold = get(client)
    again, warm = get(client)
    assert again == first
    # The session, the user, the counters' backlog check (rollups.read_fresh); the admins'
    # alert badge is cached too (reports.forwarding.alerts.open_alert_count_cached).
    assert warm == 3 < cold
    # Another query string is another fragment.
    other, _ = get(client, {"region": "US"})
    assert other != first


def test_keyword_card_follows_approval_and_retirement(client_for, admin_user, expert):
    client = client_for(admin_user)
    first, _ = get(client)
    assert approved_terms(first) == "0"
    term = keyword_services.propose_term(actor=expert, text="qqivory", language="en")
    assert approved_terms(get(client)[0]) == "0"  # proposed, not approved
    keyword_services.approve_term(actor=expert, term=term)
    approved, _ = get(client)
    assert approved_terms(approved) == "1"
    keyword_services.retire_term(actor=expert, term=term, reason="obsolete")
    assert approved_terms(get(client)[0]) == "0"


def test_keyword_card_follows_decisions(client_for, admin_user, expert, reference_data):
    term = keyword_services.propose_term(actor=expert, text="qqivory", language="en")
    keyword_services.approve_term(actor=expert, term=term)
    client = client_for(admin_user)
    assert "No confirmed report has matched a library term yet." in get(client)[0]
    report = factories.make_report(listing_title="qqivory bangle")
    decide(report, expert)
    html, _ = get(client)
    assert "<td>qqivory</td><td>en</td><td>1</td><td>1</td>" in html


def adaptive_total(html: str) -> list[str]:
    """The cells of the adaptive card's "All decisions" row (decisions, mean share, spent, flat
    spent, found, …)."""
    card = html.split('data-testid="adaptive-card"')[1].split("</section>")[0]
    return re.findall(r"<td>(.*?)</td>", card.split("<tfoot>")[1].split("</tfoot>")[0])


def test_adaptive_card_follows_decisions_and_second_reviews(
    client_for, admin_user, settings, volunteer, expert, other_expert
):
    settings.SECOND_REVIEW_SHARE = 1.0
    client = client_for(admin_user)
    assert "No decision has been through adaptive sampling yet." in get(client)[0]
    report = decide(factories.make_report(volunteer), expert)
    sampled = adaptive_total(get(client)[0])
    assert (sampled[0], sampled[2], sampled[4]) == ("1", "1", "0")  # decided, spent, found
    review = SecondReview.objects.get(report=report)
    quality_services.submit_second_review(review=review, expert=other_expert, verdict="rejected")
    reviewed = adaptive_total(get(client)[0])
    assert (reviewed[0], reviewed[2], reviewed[4]) == ("1", "1", "1")  # a disagreement found


def test_rechecks_flags_replace_the_page(client_for, admin_user, expert, company):
    report = factories.make_confirmed_report(expert=expert)
    services.record_outcome(
        report=report,
        staff=factories.make_user(Role.COMPANY_STAFF, company=company),
        outcome="removed",
    )
    rollups.refresh()
    client = client_for(admin_user)
    before, _ = get(client)
    _, warm = get(client)
    raise_flag(kind=FlagKind.DISCREPANCY, report=report)
    after, queries = get(client)
    assert queries > warm  # rendered again: the discrepancy count is read
    assert after != before


def test_species_group_rename_shows_in_the_filters(client_for, admin_user):
    client = client_for(admin_user)
    group = factories.get_species().group
    assert group.name in get(client)[0]
    group.name = "Renamed group for the dashboard"
    group.save()
    assert "Renamed group for the dashboard" in get(client)[0]


def test_invalid_filters_are_not_cached(client_for, admin_user):
    client = client_for(admin_user)
    for _ in range(2):
        response = client.get(reverse(URL), {"start": "2025-13"})
        assert response.status_code == 400
        assert "Use a month like 2025-03." in response.content.decode()


def test_company_dashboard_follows_its_reports(client_for, staff, expert, company):
    client = client_for(staff)
    url = reverse("quality:company_dashboard")

    def content():
        return client.get(url).content.decode().split('class="filters card"')[1]

    empty = content()
    report = factories.make_confirmed_report(expert=expert)
    assert report.company_id == company.pk
    forwarded = content()
    assert 'data-testid="forwarded">1<' in forwarded and forwarded != empty
    services.acknowledge_report(report=report, staff=staff)
    assert content() != forwarded
