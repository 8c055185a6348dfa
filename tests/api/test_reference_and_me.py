"""Reference data, the caller's account/training/accuracy, and admin figures, per role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports import services
from reports.models import MemberCompany
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["volunteer", "expert", "staff", "admin_user"]


@pytest.mark.parametrize("role", ROLES)
def test_reference_data_readable_by_every_role(request, api_for, reference_data, role):
    client = api_for(request.getfixturevalue(role))
    species = client.get("/api/v1/species/").json()
    assert len(species) == 131 and {"scientific_name", "cites_appendix", "group"} <= set(species[0])
    tiger = client.get("/api/v1/species/?q=tigris").json()
    assert any(s["scientific_name"] == "Panthera tigris" for s in tiger)
    one = client.get(f"/api/v1/species/{tiger[0]['id']}/")
    assert one.status_code == 200 and one.json()["cites_plain_words"]
    appendix_one = client.get("/api/v1/species/?cites_appendix=I&group=pangolins").json()
    assert appendix_one and all(s["cites_appendix"] == "I" for s in appendix_one)
    assert len(client.get("/api/v1/species-groups/").json()) == 10
    assert client.get("/api/v1/species-groups/pangolins/").status_code == 200
    assert len(client.get("/api/v1/product-types/").json()) == 10
    assert len(client.get("/api/v1/companies/").json()) == MemberCompany.objects.count() >= 34
    assert client.get("/api/v1/species/99999999999999999999/").status_code == 404
    assert client.get("/api/v1/companies/nope/").status_code == 404


def test_reference_data_needs_authentication(api_for, reference_data):
    for url in ("/api/v1/species/", "/api/v1/companies/", "/api/v1/product-types/"):
        assert api_for(None).get(url).status_code == 401


def test_company_contacts_only_for_admins(api_for, volunteer, staff, admin_user, company):
    MemberCompany.objects.filter(pk=company.pk).update(
        webhook_secret="whsec_secret", webhook_url="https://hooks.example-shop.com/cs"
    )
    for user in (volunteer, staff):
        body = api_for(user).get(f"/api/v1/companies/{company.slug}/").json()
        assert body["enforcement_email"] is None and body["webhook_url"] is None
        assert body["domains"] == ["example-shop.com"]
    admin = api_for(admin_user).get(f"/api/v1/companies/{company.slug}/")
    assert admin.json()["enforcement_email"] == "enforcement@shopco.invalid"
    assert admin.json()["webhook_url"] == "https://hooks.example-shop.com/cs"
    assert "whsec_secret" not in admin.content.decode()


def test_me(api_for, client_for, volunteer, staff):
    me = api_for(volunteer).get("/api/v1/me/").json()
    assert me["role"] == "volunteer" and me["pseudonym"] == volunteer.pseudonym
    assert me["auth"] == "token"
    assert api_for(staff).get("/api/v1/me/").json()["company"] == "shopco"
    assert client_for(volunteer).get("/api/v1/me/").json()["auth"] == "session"
    assert api_for(None).get("/api/v1/me/").status_code == 401


def test_my_accuracy(api_for, volunteer, expert, staff, company):
    factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    rejected = factories.make_report(volunteer)
    services.claim_report(report=rejected, expert=expert)
    services.reject_report(report=rejected, expert=expert, reason="legal_trade")
    body = api_for(volunteer).get("/api/v1/me/accuracy/").json()
    assert body == {"confirmed": 1, "rejected": 1, "decided": 2, "rate": 0.5, "percent": "50%"}
    assert api_for(expert).get("/api/v1/me/accuracy/").status_code == 403
    assert api_for(staff).get("/api/v1/me/accuracy/").status_code == 403


def test_training_progress_and_certification(api_for, volunteer, staff):
    from training.models import Module

    Module.objects.create(slug="core", title="Core", is_core=True)
    progress = api_for(volunteer).get("/api/v1/training/progress/").json()
    assert [m["module"] for m in progress] == ["core"]
    assert progress[0]["passed"] is False and progress[0]["lessons_total"] == 0
    cert = api_for(volunteer).get("/api/v1/training/certification/").json()
    assert cert["certified"] is True and cert["can_submit_reports"] is True
    assert cert["problem"] is None and cert["certificate"]["expires_at"]
    newcomer = factories.make_user(Role.VOLUNTEER, certified=False)
    cert = api_for(newcomer).get("/api/v1/training/certification/").json()
    assert cert["certified"] is False and cert["can_submit_reports"] is False
    assert "training" in cert["problem"].lower()
    # Company staff train too (OWLET); they never submit reports.
    staff_cert = api_for(staff).get("/api/v1/training/certification/").json()
    assert staff_cert["can_submit_reports"] is False
    assert api_for(None).get("/api/v1/training/progress/").status_code == 401


def test_expired_certificate_is_explained(api_for):
    from training.models import Certificate

    volunteer = factories.make_user(Role.VOLUNTEER, certified=False)
    past = timezone.now() - timedelta(days=400)
    Certificate.objects.create(
        user=volunteer, issued_at=past, expires_at=past + timedelta(days=365)
    )
    cert = api_for(volunteer).get("/api/v1/training/certification/").json()
    assert cert["certified"] is False and "expired" in cert["problem"]


def test_headline_and_volunteer_accuracy_for_admins_only(
    api_for, admin_user, volunteer, expert, staff, company
):
    factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    factories.make_report(volunteer)
    body = api_for(admin_user).get("/api/v1/stats/headline/").json()
    assert body["submitted"] == 2 and body["forwarded"] == 1 and body["awaiting_review"] == 1
    assert body["accuracy"]["rate"] == 1.0
    url = f"/api/v1/stats/volunteers/{volunteer.pseudonym}/accuracy/"
    acc = api_for(admin_user).get(url).json()
    assert acc["pseudonym"] == volunteer.pseudonym and acc["confirmed"] == 1
    assert api_for(admin_user).get("/api/v1/stats/volunteers/S-NOPE/accuracy/").status_code == 404
    for user in (volunteer, expert, staff):
        assert api_for(user).get("/api/v1/stats/headline/").status_code == 403
        assert api_for(user).get(url).status_code == 403
    assert api_for(None).get("/api/v1/stats/headline/").status_code == 401
