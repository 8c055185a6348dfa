"""POST /api/v1/reports/<ref>/prescreen/: leads only, every bad input a 400 naming the field."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from leads.models import PreScreen
from reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(report) -> str:
    return f"/api/v1/reports/{report.reference}/prescreen/"


def test_lead_prescreens_through_the_api(lead, waiting_report):
    response = _client(lead).post(
        _url(waiting_report), {"verdict": "looks_good", "note": "Clear"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["verdict"] == "looks_good"
    assert Report.objects.get(pk=waiting_report.pk).status == ReportStatus.SUBMITTED
    again = _client(lead).post(_url(waiting_report), {"verdict": "looks_good"}, format="json")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "verdict"),
        ({"verdict": "maybe"}, "verdict"),
        ({"verdict": ["looks_good"]}, "verdict"),
        ({"verdict": "looks_good", "note": 5}, "note"),
        ({"verdict": "looks_good", "note": "x" * 3000}, "note"),
    ],
)
def test_bad_input_is_400_naming_the_field(lead, waiting_report, body, field):
    response = _client(lead).post(_url(waiting_report), body, format="json")
    assert response.status_code == 400, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not PreScreen.objects.exists()


def test_non_json_object_is_400(lead, waiting_report):
    response = _client(lead).post(_url(waiting_report), [1, 2], format="json")
    assert response.status_code == 400


def test_refused_for_others(newer, waiting_report, expert, volunteer, lead):
    assert _client(newer).post(_url(waiting_report), {"verdict": "looks_good"}).status_code == 403
    assert _client(expert).post(_url(waiting_report), {"verdict": "looks_good"}).status_code == 403
    own = _client(lead).post(
        "/api/v1/reports/CS-0000000000/prescreen/", {"verdict": "looks_good"}, format="json"
    )
    assert own.status_code == 404
    assert not PreScreen.objects.exists()
