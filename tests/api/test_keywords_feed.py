"""GET /api/v1/keywords/feed with a personal API token: rows, release, since, ETag → 304."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keywords import services
from keywords.loader import load_keywords
from keywords.models import Term, TermStatus
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/keywords/feed"


@pytest.fixture
def library(reference_data):
    load_keywords()


def test_path_is_the_documented_one():
    assert reverse("api:keywords-feed") == URL


def test_token_sync_304_and_change_log(library, api_for, company, client_for):
    admin = factories.make_user(Role.ADMIN)
    expert = factories.make_user(Role.EXPERT)
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    services.publish_release(actor=admin, notes="first")
    api = api_for(staff)
    response = api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["release"] == 1 and response["X-Library-Release"] == "1"
    assert body["since"] is None
    assert len(body["terms"]) == Term.objects.filter(status=TermStatus.APPROVED).count()
    row = next(t for t in body["terms"] if t["text"] == "象牙手镯")
    assert row["normalized"] == "象牙手镯" and row["product_type"] == "ivory-carving"
    assert row["species_groups"] == ["elephants"] and row["status"] == "approved"
    # The same rows as the session feed, and the same ETag.
    session = client_for(staff).get(reverse("keywords:feed_json"))
    assert session.json()["terms"] == body["terms"]
    assert session["ETag"] == response["ETag"]

    etag = response["ETag"]
    unchanged = api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag

    term = Term.objects.get(text="象牙手镯")
    services.retire_term(actor=expert, term=term)
    assert api.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200
    log = api.get(URL, {"since": 1}).json()
    assert log["since"] == 1
    assert [(t["id"], t["status"]) for t in log["terms"]] == [(term.pk, "retired")]
    services.publish_release(actor=admin)
    assert api.get(URL, {"since": 2}).json()["terms"] == []
    assert api.get(URL).json()["release"] == 2


@pytest.mark.parametrize("since", ["99", "abc", "-1", "9" * 40])
def test_unknown_release_is_a_400_naming_since(library, api_for, company, since):
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    response = api_for(staff).get(URL, {"since": since})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "since"


def test_auth_and_roles(library, api_for, company):
    assert api_for(None).get(URL).status_code == 401
    bad = api_for(None)
    bad.credentials(HTTP_AUTHORIZATION="Bearer cs_nope_nope")
    assert bad.get(URL).status_code == 401
    assert api_for(factories.make_user(Role.VOLUNTEER)).get(URL).status_code == 403
    for user in (factories.make_user(Role.EXPERT), factories.make_user(Role.ADMIN)):
        assert api_for(user).get(URL).status_code == 200


def test_revoked_token_refused(library, company):
    from rest_framework.test import APIClient

    from api.tokens import create_token, revoke_token

    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    token, raw = create_token(user=staff, name="nightly sync")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(URL).status_code == 200
    revoke_token(token=token, actor=staff)
    assert client.get(URL).status_code == 401


def test_query_count_does_not_grow_with_the_library(
    library, api_for, company, django_assert_max_num_queries
):
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    api = api_for(staff)
    api.get(URL)
    with django_assert_max_num_queries(12):
        assert len(api.get(URL).json()["terms"]) > 100
