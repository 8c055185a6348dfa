"""Company integrations: pull forwarded reports since a cursor, acknowledge, record outcome."""

import pytest

from reports.models import ReportStatus
from reports.notices import notice_payload
from spotter.models import AuditEvent
from tests import factories

from .conftest import fields

pytestmark = pytest.mark.django_db

FEED = "/api/v1/company/reports/"


@pytest.fixture
def forwarded(volunteer, expert, company):
    return factories.make_confirmed_report(volunteer=volunteer, expert=expert)


def test_paths_promised_in_webhook_payloads_work(api_for, staff, forwarded):
    callback = notice_payload(forwarded)["callback"]
    client = api_for(staff)
    ack = client.post(callback["acknowledge"].replace("http://127.0.0.1:8000", ""))
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    assert ack.json()["acknowledged_at"]
    outcome = client.post(
        callback["outcome"].replace("http://127.0.0.1:8000", ""),
        {"outcome": "removed", "note": "Taken down."},
        format="json",
    )
    assert outcome.status_code == 200, outcome.content
    body = outcome.json()
    assert body["status"] == "closed" and body["outcome"] == "removed"
    assert AuditEvent.objects.filter(action="report.outcome", actor=staff).exists()


def test_feed_resumes_from_the_stored_cursor(api_for, staff, volunteer, expert, company):
    first = [factories.make_confirmed_report(volunteer=volunteer, expert=expert) for _ in range(3)]
    client = api_for(staff)
    page1 = client.get(f"{FEED}?page_size=2").json()
    page2 = client.get(page1["next"]).json()
    got = [r["reference"] for r in page1["results"] + page2["results"]]
    assert got == [r.reference for r in first]  # oldest forwarded first
    cursor = page2["next"]
    assert cursor, "the last page still gives a cursor to resume from"
    empty = client.get(cursor).json()
    assert empty["results"] == [] and empty["next"] == cursor
    later = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    fresh = client.get(cursor).json()
    assert [r["reference"] for r in fresh["results"]] == [later.reference]
    body = fresh["results"][0]
    assert "CITES" in body["explanation"] and body["overdue"] is False
    assert body["volunteer"] is None and body["notes"] is None


def test_feed_filters_and_scoping(
    api_for, staff, other_staff, volunteer, expert, company, other_company
):
    mine = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    theirs = factories.make_confirmed_report(
        volunteer=volunteer, expert=expert, url="https://other-market.com/z/1"
    )
    factories.make_report(volunteer)  # not forwarded: invisible to companies
    client = api_for(staff)
    assert [r["reference"] for r in client.get(FEED).json()["results"]] == [mine.reference]
    assert [r["reference"] for r in api_for(other_staff).get(FEED).json()["results"]] == [
        theirs.reference
    ]
    assert client.get(f"{FEED}?status=closed").json()["results"] == []
    assert client.get(f"{FEED}?forwarded_after=2999-01-01T00:00:00Z").json()["results"] == []
    assert len(client.get(f"{FEED}?forwarded_after=2000-01-01T00:00:00Z").json()["results"]) == 1
    assert "status" in fields(client.get(f"{FEED}?status=submitted"))
    assert client.get(f"{FEED}{theirs.reference}/").status_code == 404
    assert client.get(f"{FEED}{mine.reference}/").status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("volunteer", 403),
        ("other_volunteer", 403),
        ("expert", 403),
        ("admin_user", 403),
        ("other_staff", 404),
        (None, 401),
    ],
)
def test_company_actions_refused(request, api_for, forwarded, role, status):
    user = request.getfixturevalue(role) if role else None
    client = api_for(user)
    base = f"{FEED}{forwarded.reference}/"
    assert client.get(base).status_code == status
    assert client.post(f"{base}acknowledge/").status_code == status
    assert (
        client.post(f"{base}outcome/", {"outcome": "removed"}, format="json").status_code == status
    )
    if role not in (None, "other_staff"):
        assert client.get(FEED).status_code == 403
    forwarded.refresh_from_db()
    assert forwarded.status == ReportStatus.FORWARDED


def test_outcome_validation_and_state(api_for, staff, forwarded):
    client = api_for(staff)
    url = f"{FEED}{forwarded.reference}/outcome/"
    assert fields(client.post(url, {}, format="json")) == {"outcome": ["required"]}
    assert "note" in fields(client.post(url, {"outcome": "other"}, format="json"))
    assert client.post(url, {"outcome": "no_violation"}, format="json").status_code == 200
    again = client.post(url, {"outcome": "removed"}, format="json")
    assert again.status_code == 409
    # Acknowledging a closed report is a state error too.
    assert client.post(f"{FEED}{forwarded.reference}/acknowledge/").status_code == 409


def test_malformed_json_is_a_400(api_for, staff, forwarded):
    response = api_for(staff).post(
        f"{FEED}{forwarded.reference}/outcome/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400 and fields(response) == {None: ["parse_error"]}


def test_feed_runs_the_same_queries_for_two_reports_as_for_six(
    api_for, staff, volunteer, expert, company
):
    """Each report is explained with its species' CITES listing on the listing date: read for
    the whole page at once, not once per report (found at 1M reports, docs/benchmarks.md)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_for(staff)
    counts = []
    for n in (1, 2, 3):  # the first request also does its one-off work (token, session)
        for _ in range(n):
            factories.make_confirmed_report(volunteer=volunteer, expert=expert)
        cache.clear()  # a cold list cache: the page is serialized, not served from the cache
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(FEED).json()
        counts.append(len(ctx.captured_queries))
        assert all("CITES" in r["explanation"] for r in body["results"])
    assert len(body["results"]) == 6
    assert counts[1] == counts[2], counts
