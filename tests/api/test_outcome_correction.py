"""Company staff correct a recorded outcome over the API (issue 13)."""

import pytest

from reports import services
from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_outcome_correction_over_the_api(api_for, volunteer, expert, staff, other_staff, company):
    report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    url = f"/api/v1/company/reports/{report.reference}/correct-outcome/"
    client = api_for(staff)
    assert client.post(url, {"outcome": "removed"}, format="json").status_code == 409
    services.record_outcome(report=report, staff=staff, outcome="removed")
    assert client.post(url, {}, format="json").status_code == 400
    refused = api_for(other_staff).post(url, {"outcome": "no_violation"}, format="json")
    assert refused.status_code == 404
    response = client.post(url, {"outcome": "no_violation"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "no_violation"
    assert AuditEvent.objects.get(action="report.outcome_corrected").data["previous_outcome"] == (
        "removed"
    )
