"""The expert's queue and decisions over the API, per role."""

import pytest

from reports import services
from reports.models import Delivery, ReportStatus
from spotter.models import AuditEvent, Role
from tests import factories

from .conftest import fields

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/review/queue/"


def act(client, report, name, data=None):
    return client.post(f"/api/v1/reports/{report.reference}/{name}/", data or {}, format="json")


@pytest.fixture
def report(volunteer, company):
    return factories.make_report(volunteer)


def test_expert_claims_and_confirms_with_species_correction(api_for, expert, report):
    client = api_for(expert)
    claimed = act(client, report, "claim")
    assert claimed.status_code == 200 and claimed.json()["status"] == "in_review"
    assert claimed.json()["claimed_by_you"] is True
    tiger = factories.get_species("Panthera tigris")
    confirmed = act(
        client, report, "confirm", {"species": tiger.pk, "note": "Tiger, not pangolin."}
    )
    assert confirmed.status_code == 200, confirmed.content
    body = confirmed.json()
    # Member platform: confirming forwards at once, as in the UI.
    assert body["status"] == "forwarded" and body["verdict"] == "confirmed"
    assert body["species"]["scientific_name"] == "Panthera tigris"
    assert body["species_reported"] != tiger.pk
    assert Delivery.objects.filter(report=report).exists()
    assert AuditEvent.objects.filter(action="report.confirmed", actor=expert).exists()


def test_reject_needs_reason_and_note_for_other(api_for, expert, report):
    client = api_for(expert)
    act(client, report, "claim")
    assert fields(act(client, report, "reject", {})) == {"reason": ["required"]}
    assert fields(act(client, report, "reject", {"reason": "bogus"})) == {
        "reason": ["invalid_choice"]
    }
    assert "note" in fields(act(client, report, "reject", {"reason": "other"}))
    response = act(client, report, "reject", {"reason": "legal_trade", "note": "Resin replica."})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert response.json()["rejection_reason"] == "legal_trade"


def test_needs_info_and_release(api_for, expert, report):
    client = api_for(expert)
    act(client, report, "claim")
    assert fields(act(client, report, "needs-info", {"message": "  \u202e "})) == {
        "message": ["invalid"]
    }
    response = act(client, report, "needs-info", {"message": "Show the price."})
    assert response.status_code == 200 and response.json()["status"] == "needs_info"
    assert response.json()["info_request"] == "Show the price."
    other = factories.make_report(factories.make_user(Role.VOLUNTEER))
    act(client, other, "claim")
    released = act(client, other, "release")
    assert released.status_code == 200 and released.json()["status"] == "submitted"


def test_two_experts_cannot_hold_the_same_report(api_for, expert, other_expert, report):
    assert act(api_for(expert), report, "claim").status_code == 200
    second = api_for(other_expert)
    response = act(second, report, "claim")
    assert (
        response.status_code == 409 and response.json()["errors"][0]["code"] == "invalid_transition"
    )
    # Deciding someone else's claim is refused with the service's message (403).
    denied = act(second, report, "confirm", {})
    assert denied.status_code == 403
    assert "Claim the report" in denied.json()["errors"][0]["message"]
    assert act(second, report, "release").status_code == 403


def test_confirm_unknown_species_needs_one(api_for, expert, volunteer, company):
    report = factories.make_report(volunteer, species=None, species_other="Some shell")
    client = api_for(expert)
    act(client, report, "claim")
    response = act(client, report, "confirm", {})
    assert response.status_code == 409 and "species" in response.json()["errors"][0]["message"]
    assert "species" in fields(act(client, report, "confirm", {"species": 10**30}))


@pytest.mark.parametrize("name", ["claim", "release", "confirm", "reject", "needs-info"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("volunteer", 403), ("staff", 403), ("admin_user", 403), (None, 401)],
)
def test_only_experts_review(request, api_for, report, name, role, status):
    user = request.getfixturevalue(role) if role else None
    response = act(api_for(user), report, name, {"reason": "other", "note": "x", "message": "x"})
    assert response.status_code == status
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_expert_cannot_review_invisible_or_unknown_report(api_for, expert):
    assert act(api_for(expert), type("R", (), {"reference": "CS-NOPE"}), "claim").status_code == 404


def test_queue_is_oldest_first_and_filtered(
    api_for, expert, other_expert, volunteer, company, other_company
):
    first = factories.make_report(volunteer)
    second = factories.make_report(volunteer, url="https://other-market.com/a/1")
    third = factories.make_report(volunteer, url="https://nowhere-shop.org/a/1")
    done = factories.make_confirmed_report(volunteer=volunteer)
    services.claim_report(report=second, expert=other_expert)
    client = api_for(expert)
    body = client.get(QUEUE).json()
    assert [r["reference"] for r in body["results"]] == [
        first.reference,
        second.reference,
        third.reference,
    ]
    assert done.reference not in str(body)
    assert body["results"][0]["volunteer"]["email"] is None

    def queue(query):
        return [r["reference"] for r in client.get(f"{QUEUE}?{query}").json()["results"]]

    assert queue("platform=othermarket") == [second.reference]
    assert queue("platform=non-member") == [third.reference]
    assert queue("claimed=unclaimed") == [first.reference, third.reference]
    assert queue("claimed=others") == [second.reference]
    assert queue("claimed=mine") == []
    assert queue("group=elephants") == []
    assert "claimed" in fields(client.get(f"{QUEUE}?claimed=everyone"))
    page = client.get(f"{QUEUE}?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]
    assert [r["reference"] for r in client.get(page["next"]).json()["results"]] == [third.reference]


def test_queue_refused_to_other_roles(api_for, volunteer, staff, admin_user):
    for user in (volunteer, staff, admin_user):
        assert api_for(user).get(QUEUE).status_code == 403
    assert api_for(None).get(QUEUE).status_code == 401


def test_expert_never_sees_own_submission(api_for, expert, company):
    # An expert account that once submitted (role changed later) never reviews its own report.
    volunteer = factories.make_user(Role.VOLUNTEER)
    report = factories.make_report(volunteer)
    from spotter.services import change_role

    change_role(user=volunteer, role=Role.EXPERT, actor=None)
    client = api_for(volunteer)
    assert client.get(f"/api/v1/reports/{report.reference}/").status_code == 404
    assert report.reference not in str(client.get(QUEUE).json())
