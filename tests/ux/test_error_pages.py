"""The site's own 400/403/404/500 pages: styled, translated, with a way forward; the API keeps
answering JSON."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path

from spotter import urls as site_urls


def _denied(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("bad")


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("t/denied/", _denied),
    path("t/bad/", _bad),
    path("t/boom/", _boom),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_404_is_the_sites_page_with_navigation(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We cannot find this page" in body
    assert 'class="topbar"' in body and 'href="/"' in body
    assert "/accounts/login/" in body  # anonymous: a way to sign in


def test_404_for_a_signed_in_user_has_their_navigation(client_for, volunteer):
    body = client_for(volunteer).get("/no-such-page/").content.decode()
    assert "We cannot find this page" in body
    assert "My reports" in body


def test_403_page(client_for, volunteer):
    response = client_for(volunteer).get("/t/denied/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "You cannot open this page" in body and 'class="topbar"' in body


def test_400_page(client):
    response = client.get("/t/bad/")
    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()


def test_500_page_needs_no_request_context():
    client = Client(raise_request_exception=False)
    response = client.get("/t/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body and 'href="/"' in body


@override_settings(LANGUAGE_CODE="fr")
def test_error_pages_are_translatable(client):
    body = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in body


def test_api_errors_stay_json(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_404_does_not_echo_the_address(client_for, volunteer):
    body = client_for(volunteer).get("/reports/CS-SECRET1234/").content.decode()
    assert "CS-SECRET1234" not in body
