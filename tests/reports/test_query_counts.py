"""List pages run a fixed number of queries, however many reports exist."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quality import rollups
from reports import headline, services
from tests import factories

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    # Draining the counters' backlog costs per pending change; the page itself must not.
    rollups.refresh()
    headline.refresh()  # the overview's figures are recounted off the request path
    # A cold cache: the page renders its tables (reports/fragments.py) and runs their queries.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(volunteer, expert, n):
    for _ in range(n):
        report = factories.make_report(volunteer)
        services.claim_report(report=report, expert=expert)
        services.confirm_report(report=report, expert=expert)


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("volunteer", "reports:mine"),
        ("volunteer", "quality:accuracy"),
        ("expert", "reports:queue"),
        ("staff", "reports:portal"),
        ("admin_user", "reports:overview"),
    ],
)
def test_list_pages_have_constant_query_counts(
    request, client_for, volunteer, expert, staff, admin_user, company, who, url_name
):
    user = {"volunteer": volunteer, "expert": expert, "staff": staff, "admin_user": admin_user}[who]
    client = client_for(user)
    other_expert = factories.make_user("expert")
    grow(volunteer, other_expert, 2)
    for _ in range(2):
        factories.make_report(volunteer)
    small = count_queries(client, reverse(url_name))
    grow(volunteer, other_expert, 8)
    for _ in range(8):
        factories.make_report(volunteer)
    large = count_queries(client, reverse(url_name))
    assert large == small, f"{url_name}: {small} queries with few reports, {large} with more"
