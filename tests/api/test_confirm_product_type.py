"""Experts correct the product type over the API at confirmation (issue 13)."""

import pytest

from spotter.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_api_confirm_corrects_product_type(api_for, expert, volunteer, company):
    report = factories.make_report(volunteer)
    factories.get_product_type("live")
    client = api_for(expert)
    url = f"/api/v1/reports/{report.reference}/"
    client.post(url + "claim/", {}, format="json")
    bad = client.post(url + "confirm/", {"product_type": "no-such-type"}, format="json")
    assert bad.status_code == 400
    response = client.post(url + "confirm/", {"product_type": "live"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["product_type"] == "live"
    event = AuditEvent.objects.get(action="report.confirmed")
    assert event.data["product_type_corrected_to"] == "live"
