"""The keyword library card on the programme dashboard: approvals per month, top terms by
confirmed reports, in a fixed number of queries; cached with the dashboard's content and
replaced by an approval or a decision (test_dashboard_hits.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywords import services as keyword_services
from keywords.models import Term
from quality import rollups
from quality.keyword_figures import _months_back, keyword_figures
from reports import services
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def approve(expert, text: str, *, approved_at=None) -> Term:
    term = keyword_services.propose_term(actor=expert, text=text, language="en")
    term = keyword_services.approve_term(actor=expert, term=term)
    if approved_at is not None:
        Term.objects.filter(pk=term.pk).update(approved_at=approved_at)
    return term


def confirmed(expert, title: str):
    report = factories.make_report(listing_title=title)
    services.claim_report(report=report, expert=expert)
    return services.confirm_report(report=report, expert=expert)


def rejected(expert, title: str):
    report = factories.make_report(listing_title=title)
    services.claim_report(report=report, expert=expert)
    return services.reject_report(report=report, expert=expert, reason="not_wildlife")


def test_months_back_crosses_the_year():
    months = _months_back(date(2026, 2, 17), 12)
    assert months[0] == date(2025, 3, 1) and months[-1] == date(2026, 2, 1)
    assert len(set(months)) == 12


def test_figures(reference_data, company):
    expert = factories.make_user(Role.EXPERT)
    now = timezone.now()
    approve(expert, "qqivory")
    approve(expert, "qqscales")
    approve(expert, "qqold", approved_at=now - timedelta(days=500))  # outside the 12 months
    approve(expert, "qqlast", approved_at=now.replace(day=1) - timedelta(days=20))
    confirmed(expert, "qqivory bangle")
    confirmed(expert, "qqivory and qqscales")
    rejected(expert, "qqscales fake")
    figures = keyword_figures()
    assert figures.months[-1].month == timezone.localdate().replace(day=1)
    assert figures.months[-1].approved == 2
    assert figures.months[-2].approved == 1
    assert figures.approved_last_12_months == 3
    assert figures.approved_terms == 4
    top = [(t.text, t.confirmed_reports, t.matched_reports) for t in figures.top_terms]
    assert top == [("qqivory", 2, 2), ("qqscales", 1, 2)]


def test_dashboard_shows_the_card_live_with_a_query_guard(
    reference_data, company, client_for, admin_user, django_assert_max_num_queries
):
    expert = factories.make_user(Role.EXPERT)
    client = client_for(admin_user)
    page = client.get(reverse("quality:dashboard")).content.decode()
    assert 'data-testid="keyword-card"' in page
    assert "There is no keyword library" not in page
    assert "No confirmed report has matched a library term yet." in page

    approve(expert, "qqivory")
    confirmed(expert, "qqivory bangle")
    rollups.refresh()

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("quality:dashboard"))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    small, page = queries()
    assert "<td>qqivory</td><td>en</td><td>1</td><td>1</td>" in page
    # More terms, matches and reports: the card's queries stay the same.
    for n in range(5):
        approve(expert, f"qqterm{n}")
        confirmed(expert, f"qqterm{n} qqivory")
    rollups.refresh()
    large, page = queries()
    assert "<td>qqivory</td><td>en</td><td>6</td><td>6</td>" in page
    assert large == small
    with django_assert_max_num_queries(small):
        client.get(reverse("quality:dashboard"))


def test_company_dashboard_has_no_keyword_card(reference_data, client_for, staff):
    page = client_for(staff).get(reverse("quality:company_dashboard")).content.decode()
    assert 'data-testid="keyword-card"' not in page
