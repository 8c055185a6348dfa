"""The capped paginator: its count reads at most cap + 1 rows, and the page says so."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Report
from spotter.paginator import CappedPaginator
from tests import factories

pytestmark = pytest.mark.django_db


def test_under_the_cap_it_is_django_s_paginator(volunteer):
    for _ in range(5):
        factories.make_report(volunteer)
    paginator = CappedPaginator(Report.objects.order_by("-submitted_at"), 2, cap=10)
    assert (paginator.count, paginator.num_pages, paginator.capped) == (5, 3, False)
    assert len(paginator.get_page(3).object_list) == 1


def test_past_the_cap_the_count_stops_and_says_so(volunteer):
    for _ in range(7):
        factories.make_report(volunteer)
    paginator = CappedPaginator(Report.objects.order_by("-submitted_at"), 2, cap=4)
    with CaptureQueriesContext(connection) as ctx:
        assert (paginator.count, paginator.num_pages, paginator.capped) == (4, 2, True)
    (count,) = ctx.captured_queries
    assert "LIMIT 5" in count["sql"] and "ORDER BY" not in count["sql"]
    last = paginator.get_page(99)
    assert last.number == 2 and not last.has_next()


def test_the_queue_page_says_more_than_when_capped(
    client, expert, volunteer, settings, monkeypatch
):
    from spotter import paginator

    settings.SUBMISSIONS_PER_HOUR = 100
    monkeypatch.setattr(paginator.CappedPaginator.__init__, "__kwdefaults__", {"cap": 45})
    for _ in range(47):
        factories.make_report(volunteer)
    client.force_login(expert)
    body = client.get("/review/").content.decode()
    assert "Page 1 of more than 2" in body
