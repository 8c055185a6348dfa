"""Each role sees only what it may."""

import pytest
from django.urls import reverse

from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarded(volunteer, expert, company):
    return factories.make_confirmed_report(volunteer=volunteer, expert=expert)


def test_volunteer_never_sees_another_volunteers_report(client_for, forwarded, other_volunteer):
    client = client_for(other_volunteer)
    assert client.get(reverse("reports:detail", args=[forwarded.reference])).status_code == 404
    evidence = forwarded.evidence.first()
    url = reverse("reports:evidence", args=[forwarded.reference, evidence.pk])
    assert client.get(url).status_code == 404
    assert forwarded.reference.encode() not in client.get(reverse("reports:mine")).content


def test_company_never_sees_another_companys_reports(client_for, forwarded, staff, other_staff):
    other = client_for(other_staff)
    url = reverse("reports:company_detail", args=[forwarded.reference])
    assert other.get(url).status_code == 404
    assert forwarded.reference.encode() not in other.get(reverse("reports:portal")).content
    assert (
        other.post(
            reverse("reports:outcome", args=[forwarded.reference]), {"outcome": "removed"}
        ).status_code
        == 404
    )
    assert client_for(staff).get(url).status_code == 200


def test_company_does_not_see_unforwarded_reports(client_for, volunteer, staff, company):
    report = factories.make_report(volunteer)
    url = reverse("reports:company_detail", args=[report.reference])
    assert client_for(staff).get(url).status_code == 404


def test_company_never_sees_volunteer_identity(client_for, forwarded, staff, volunteer):
    client = client_for(staff)
    for url in (
        reverse("reports:portal"),
        reverse("reports:company_detail", args=[forwarded.reference]),
    ):
        body = client.get(url).content
        assert volunteer.email.encode() not in body
        assert volunteer.display_name.encode() not in body
        assert volunteer.pseudonym.encode() not in body


@pytest.mark.parametrize("name", ["reports:queue", "reports:overview", "reports:portal"])
def test_volunteer_refused_role_pages(client_for, volunteer, name):
    assert client_for(volunteer).get(reverse(name)).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["reports:submit", "reports:mine", "reports:queue", "reports:portal", "reports:overview"],
)
def test_anonymous_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_cannot_use_expert_actions(client_for, volunteer, staff, company):
    report = factories.make_report(volunteer)
    assert (
        client_for(staff).post(reverse("reports:claim", args=[report.reference])).status_code == 403
    )


def test_original_evidence_admin_only(client_for, forwarded, volunteer, expert, admin_user):
    evidence = forwarded.evidence.first()
    url = reverse("reports:evidence_original", args=[forwarded.reference, evidence.pk])
    assert client_for(volunteer).get(url).status_code == 403
    assert client_for(expert).get(url).status_code == 403
    response = client_for(admin_user).get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]


def test_evidence_view_headers(client_for, forwarded, volunteer):
    evidence = forwarded.evidence.first()
    response = client_for(volunteer).get(
        reverse("reports:evidence", args=[forwarded.reference, evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")


def test_signed_evidence_link(client, forwarded, settings):
    from reports.notices import evidence_link

    evidence = forwarded.evidence.first()
    path = evidence_link(evidence.pk).replace(settings.SITE_URL, "")
    assert client.get(path).status_code == 200
    assert client.get(path[:-3] + "xyz/").status_code == 404
    settings.EVIDENCE_URL_MAX_AGE = -1  # expired
    assert client.get(path).status_code == 404


def test_expert_cannot_open_own_report(company):
    person = factories.make_user(Role.VOLUNTEER)
    report = factories.make_report(person)
    from spotter.services import change_role

    change_role(user=person, role=Role.EXPERT)
    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(person)
    assert client.get(reverse("reports:review", args=[report.reference])).status_code == 404
