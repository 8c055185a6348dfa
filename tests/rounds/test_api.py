import pytest

from rounds import services
from rounds.models import Enrolment
from spotter.models import Role
from tests import factories

from .conftest import make_round

pytestmark = pytest.mark.django_db


def test_round_list_api(client_for, round_admin, volunteer, other_volunteer, expert, company):
    running = make_round(
        round_admin,
        title="Running",
        companies=[company],
        translations={"fr": {"title": "En cours"}},
    )
    make_round(round_admin, title="Later", days_ago=-3)
    hidden = make_round(round_admin, title="Invited only", enrolment=Enrolment.INVITED)
    services.join(volunteer=volunteer, round=running)
    response = client_for(volunteer).get("/api/v1/rounds/")
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()}
    assert hidden.slug not in rows and len(rows) == 2
    row = rows[running.slug]
    assert row["status"] == "running" and row["my_status"] == "active"
    assert row["platforms"] == [company.slug] and row["url"] == f"/rounds/{running.slug}/"
    french = client_for(volunteer).get("/api/v1/rounds/?status=running", HTTP_ACCEPT_LANGUAGE="fr")
    assert [r["title"] for r in french.json()] == ["En cours"]
    assert len(client_for(round_admin).get("/api/v1/rounds/").json()) == 3
    bad = client_for(volunteer).get("/api/v1/rounds/?status=soon")
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["status"]
    assert client_for(expert).get("/api/v1/rounds/").status_code == 403
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    assert client_for(staff).get("/api/v1/rounds/").status_code == 403
