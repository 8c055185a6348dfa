"""Private data stays out of caches and cookies: ``Cache-Control: no-store`` on signed-in pages,
API answers and evidence images; one-time secrets travel in the session, never in a cookie."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.tokens import create_token
from reports.models import MemberCompany
from reports.notices import evidence_link
from tests import factories
from tests.forwarding.test_admin import change_form

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


# --- one-time secrets never go into a cookie ------------------------------------------------


def assert_not_in_cookies(response, secret: str) -> None:
    for morsel in response.cookies.values():
        assert secret not in morsel.OutputString(), morsel.key
        # The signed (not encrypted) messages cookie is not used at all.
        assert morsel.key != "messages" or not morsel.value, morsel.OutputString()


def test_webhook_secret_shown_once_never_travels_in_a_cookie(company, admin_user, client_for):
    client = client_for(admin_user)
    path = reverse("admin:reports_membercompany_change", args=[company.pk])
    saved = client.post(
        path, change_form(company, webhook_url="https://93.184.216.34/hook", webhook_enabled="on")
    )
    assert saved.status_code == 302
    secret = MemberCompany.objects.get(pk=company.pk).webhook_secret
    assert secret.startswith("whsec_")
    assert_not_in_cookies(saved, secret)

    shown = client.get(saved["Location"])
    assert secret in shown.content.decode()  # shown, once
    assert_not_in_cookies(shown, secret)
    again = client.get(saved["Location"])
    assert secret not in again.content.decode()
    assert_not_in_cookies(again, secret)


def test_rotated_webhook_secret_never_travels_in_a_cookie(company, admin_user, client_for):
    client = client_for(admin_user)
    changelist = reverse("admin:reports_membercompany_changelist")
    rotated = client.post(
        changelist, {"action": "rotate_secret", "_selected_action": [str(company.pk)]}
    )
    assert rotated.status_code == 302
    secret = MemberCompany.objects.get(pk=company.pk).webhook_secret
    assert secret.startswith("whsec_")
    assert_not_in_cookies(rotated, secret)
    shown = client.get(rotated["Location"])
    assert secret in shown.content.decode()
    assert_not_in_cookies(shown, secret)


# --- Cache-Control: no-store ----------------------------------------------------------------


def test_volunteer_pages_are_not_stored(client_for, volunteer, forwarded):
    client = client_for(volunteer)
    for url in (
        reverse("reports:mine"),
        reverse("reports:submit"),
        reverse("reports:detail", args=[forwarded.reference]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response) and "private" in response["Cache-Control"], url


def test_expert_pages_are_not_stored(client_for, expert, volunteer, company):
    report = factories.make_report(volunteer)
    client = client_for(expert)
    for url in (reverse("reports:queue"), reverse("reports:review", args=[report.reference])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_api_answers_are_not_stored(volunteer):
    _token, raw = create_token(user=volunteer, name="cache")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for url in ("/api/v1/me/", "/api/v1/reports/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url
    refused = APIClient().get("/api/v1/reports/")  # errors, even to anonymous callers
    assert refused.status_code == 401 and no_store(refused)


def test_evidence_images_are_not_stored(client_for, forwarded, staff, settings):
    evidence = forwarded.evidence.get()
    viewed = client_for(staff).get(
        reverse("reports:evidence", args=[forwarded.reference, evidence.pk])
    )
    assert viewed.status_code == 200 and viewed["Content-Type"] == "image/png"
    assert viewed["Cache-Control"] == "private, no-store"  # the view's own, kept
    linked = Client().get(evidence_link(evidence.pk).removeprefix(settings.SITE_URL))
    assert linked.status_code == 200 and linked["Cache-Control"] == "private, no-store"


def test_anonymous_public_pages_keep_django_defaults(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert "private, no-store" not in response.get("Cache-Control", "")
