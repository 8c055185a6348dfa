"""Every headline number (overview and programme dashboard) links to the list of the reports
behind it, and the list holds exactly that many reports at the same moment."""

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import headline, services
from reports.figures import HEADLINE
from spotter.models import Role
from tests import factories

from .test_dashboard import FILTERS, dataset  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

LIST = reverse("reports:report_list")


def list_count(client, href: str) -> int:
    response = client.get(html.unescape(href))
    assert response.status_code == 200, response.content[:500]
    return response.context["page"].paginator.count


def card_links(page: str) -> dict[str, tuple[str, int]]:
    """figure name → (href, the number on its card)."""
    cards = re.findall(
        r'<a (?:href="([^"]+)" )?class="stat card"(?: href="([^"]+)")?[^>]*>'
        r'<span class="num"[^>]*>([\d,]+)</span>',
        page,
    )
    links = {}
    for before, after, number in cards:
        href = before or after
        if href.startswith(LIST):
            name = re.search(r"figure=(\w+)", href).group(1)
            links[name] = (href, int(number.replace(",", "")))
    return links


def test_each_overview_number_equals_its_list(client_for, admin_user, dataset):  # noqa: F811
    client = client_for(admin_user)
    headline.refresh()  # the snapshot the overview shows, counted now
    page = client.get(reverse("reports:overview")).content.decode()
    links = card_links(page)
    assert set(links) == {
        "submitted",
        "awaiting_review",
        "confirmed",
        "rejected",
        "forwarded",
        "removed",
        "non_member_waiting",
        "overdue",
    }
    assert links["overdue"][1] == 1 and links["submitted"][1] > 5
    for name, (href, number) in links.items():
        assert list_count(client, href) == number, name
    # Every figure the snapshot holds has a list of the same size (also those without a card).
    counts = headline.headline_counts()
    for figure in HEADLINE:
        assert list_count(client, f"{LIST}?figure={figure.name}") == counts[figure.name]


@pytest.mark.parametrize("params", FILTERS)
def test_each_dashboard_number_equals_its_list(client_for, admin_user, dataset, params):  # noqa: F811
    client = client_for(admin_user)
    page = client.get(reverse("quality:dashboard"), params).content.decode()
    links = card_links(page)
    assert set(links) == {
        "cohort_submitted",
        "cohort_confirmed",
        "cohort_forwarded",
        "cohort_removed",
    }
    for name, (href, number) in links.items():
        assert list_count(client, href) == number, (name, params)
    if not params:
        assert links["cohort_submitted"][1] > 5


def test_company_dashboard_numbers_are_not_links(client_for, dataset):  # noqa: F811
    page = client_for(dataset["staff"]).get(reverse("quality:company_dashboard")).content
    assert LIST.encode() not in page


def test_list_without_a_figure_names_every_number(client_for, admin_user):
    page = client_for(admin_user).get(LIST).content.decode()
    for figure in HEADLINE:
        assert f"?figure={figure.name}" in page
    assert "?figure=cohort_submitted" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("figure=nope", "There is no such number."),
        ("figure=cohort_submitted&region=USA", "Use a two-letter country code"),
        ("figure=cohort_confirmed&start=2026-05&end=2026-01", "must not be after"),
    ],
)
def test_bad_filters_are_a_400_with_the_reason(client_for, admin_user, query, message):
    response = client_for(admin_user).get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_list_shows_no_volunteer_identity(client_for, admin_user, volunteer, expert):
    report = factories.make_report(volunteer)
    page = client_for(admin_user).get(f"{LIST}?figure=awaiting_review").content.decode()
    assert report.reference in page
    assert volunteer.email not in page and volunteer.public_name not in page


def test_list_query_count_does_not_grow(client_for, admin_user, volunteer):
    client = client_for(admin_user)
    expert = factories.make_user(Role.EXPERT)

    def queries(url):
        cache.clear()  # cold: the cached header badge must not make the counts differ
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        for _ in range(n):
            report = factories.make_report(volunteer)
            services.claim_report(report=report, expert=expert)
            services.confirm_report(report=report, expert=expert)

    grow(2)
    urls = [f"{LIST}?figure=confirmed", f"{LIST}?figure=cohort_confirmed&region=US"]
    small = [queries(url) for url in urls]
    grow(8)
    assert [queries(url) for url in urls] == small
    assert max(small) <= 12
