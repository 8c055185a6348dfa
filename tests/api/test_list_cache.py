"""The API's report lists are cached per user and query until a transition changes them
(api/views/base.py cached_list, reports/fragments.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from tests import factories

pytestmark = pytest.mark.django_db


def listed(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), len(ctx.captured_queries)


def test_expert_list_is_cached_until_a_transition(api_for, volunteer, expert, other_expert):
    report = factories.make_report(volunteer)
    client = api_for(expert)
    first, cold = listed(client, "/api/v1/reports/")
    assert [r["reference"] for r in first["results"]] == [report.reference]
    again, warm = listed(client, "/api/v1/reports/")
    assert again == first and warm < cold
    services.claim_report(report=report, expert=other_expert)
    after, _ = listed(client, "/api/v1/reports/")
    assert after["results"][0]["claimed"] is True
    assert after["results"][0]["claimed_by_you"] is False
    # Another expert's list is their own (claimed_by_you differs).
    theirs, _ = listed(api_for(other_expert), "/api/v1/reports/")
    assert theirs["results"][0]["claimed_by_you"] is True


def test_company_list_follows_its_reports_only(api_for, staff, other_staff, expert):
    report = factories.make_confirmed_report(expert=expert)
    client = api_for(staff)
    first, _ = listed(client, "/api/v1/company/reports/")
    assert [r["status"] for r in first["results"]] == ["forwarded"]
    services.acknowledge_report(report=report, staff=staff)
    after, _ = listed(client, "/api/v1/company/reports/")
    assert [r["status"] for r in after["results"]] == ["acknowledged"]
    assert listed(api_for(other_staff), "/api/v1/company/reports/")[0]["results"] == []


def test_bad_parameters_are_400_and_never_cached(api_for, volunteer, expert):
    factories.make_report(volunteer)
    client = api_for(expert)
    for _ in range(2):
        response = client.get("/api/v1/reports/?cursor=bad")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "cursor"
