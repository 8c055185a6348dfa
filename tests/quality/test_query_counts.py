"""Dashboard and accuracy pages run a fixed number of queries, however many reports exist."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quality import rollups
from quality import services as quality_services
from quality.models import SecondReview
from reports import services
from spotter.models import Role
from tests import factories

from .conftest import decide

pytestmark = pytest.mark.django_db


def count_queries(client, url, params=None):
    # Draining the counters' backlog costs per pending change; the page itself must not.
    rollups.refresh()
    cache.clear()  # cold: what a miss runs (a hit is guarded in test_dashboard_hits.py)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def grow(volunteer, expert, second, staff, n):
    for i in range(n):
        country_volunteer = (
            volunteer if i % 2 else factories.make_user(Role.VOLUNTEER, country="FR")
        )
        report = decide(
            factories.make_report(country_volunteer), expert, ("confirmed", "rejected")[i % 3 == 2]
        )
        if report.verdict == "confirmed":
            services.record_outcome(report=report, staff=staff, outcome="removed")
        review = SecondReview.objects.filter(report=report).first()
        if review and i % 2:
            quality_services.submit_second_review(review=review, expert=second, verdict="rejected")
        factories.make_report(volunteer, url=f"https://other-market.com/{i}")


PAGES = [
    ("admin_user", "quality:dashboard", {}),
    ("admin_user", "quality:dashboard", {"region": "US"}),
    ("admin_user", "quality:dashboard", {"region": "US", "group": "pangolins"}),
    ("admin_user", "quality:volunteers", {}),
    ("admin_user", "quality:transparency", {}),
    ("staff", "quality:company_dashboard", {}),
    ("volunteer", "quality:accuracy", {}),
    ("volunteer", "reports:mine", {}),
    ("other_expert", "quality:second_reviews", {}),
]


@pytest.mark.parametrize(("who", "url_name", "params"), PAGES)
def test_pages_have_constant_query_counts(
    client_for,
    settings,
    volunteer,
    expert,
    other_expert,
    staff,
    admin_user,
    company,
    other_company,
    who,
    url_name,
    params,
):
    settings.SECOND_REVIEW_SHARE = 1.0
    other_expert.is_senior_expert = True
    other_expert.save()
    user = {
        "volunteer": volunteer,
        "staff": staff,
        "admin_user": admin_user,
        "other_expert": other_expert,
    }[who]
    client = client_for(user)
    grow(volunteer, expert, other_expert, staff, 3)
    small = count_queries(client, reverse(url_name), params)
    grow(volunteer, expert, other_expert, staff, 9)
    large = count_queries(client, reverse(url_name), params)
    assert large == small, f"{url_name}: {small} queries with few reports, {large} with more"


@pytest.mark.parametrize(
    "chart",
    ["headline", "weekly", "funnel", "regions", "groups", "companies", "languages", "agreement"],
)
def test_csv_downloads_have_constant_query_counts(
    client_for, settings, volunteer, expert, other_expert, staff, admin_user, company, chart
):
    settings.SECOND_REVIEW_SHARE = 1.0
    client = client_for(admin_user)
    grow(volunteer, expert, other_expert, staff, 2)
    small = count_queries(client, reverse("quality:chart_csv", args=[chart]))
    grow(volunteer, expert, other_expert, staff, 6)
    assert count_queries(client, reverse("quality:chart_csv", args=[chart])) == small
    assert small <= 9  # companies: 8, and rechecks' outcome discrepancies per platform
