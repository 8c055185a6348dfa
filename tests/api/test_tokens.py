"""Personal API tokens: created and revoked on the profile page, shown once, hashed at rest."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import MAX_ACTIVE_TOKENS, create_token
from spotter.models import AuditEvent

pytestmark = pytest.mark.django_db


def bearer(raw, keyword="Bearer"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {raw}")
    return client


def create_on_profile(client, name="moderation tool"):
    response = client.post("/api/tokens/new/", {"name": name})
    assert response.status_code == 200
    match = re.search(
        r'data-testid="new-token">(cs_[0-9a-f]{8}_[A-Za-z0-9_-]{40,})<', response.content.decode()
    )
    assert match, response.content.decode()
    return response, match.group(1)


def test_token_lifecycle_through_the_profile_page(client_for, volunteer):
    client = client_for(volunteer)
    profile = client.get("/profile/")
    assert b"API tokens" in profile.content and b'action="/api/tokens/new/"' in profile.content
    response, raw = create_on_profile(client)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]

    token = ApiToken.objects.get(user=volunteer)
    # Hashed at rest: only the SHA-256 and the public prefix are stored.
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(list(ApiToken.objects.values_list()))
    assert raw not in str(list(AuditEvent.objects.values_list()))
    assert token.name == "moderation tool" and token.last_used_at is None
    # Shown once: the profile lists it by prefix only.
    profile = client.get("/profile/").content.decode()
    assert raw not in profile and token.display in profile and "never" in profile

    assert bearer(raw).get("/api/v1/me/").json()["email"] == volunteer.email
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert bearer(raw, "Token").get("/api/v1/me/").status_code == 200

    revoke = client.post(f"/api/tokens/{token.pk}/revoke/")
    assert revoke.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = bearer(raw).get("/api/v1/me/")
    assert refused.status_code == 401 and "revoked" in refused.json()["errors"][0]["message"]
    assert AuditEvent.objects.filter(action="api_token.created").count() == 1
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_last_used_is_refreshed_at_most_once_a_minute(volunteer):
    token, raw = create_token(user=volunteer, name="x")
    bearer(raw).get("/api/v1/me/")
    token.refresh_from_db()
    first = token.last_used_at
    bearer(raw).get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=5))
    bearer(raw).get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cs_00000000_wrong",
        "Bearer nonsense",
        "Bearer",
        "Bearer a b",
        "Token cs_zz_",
    ],
)
def test_bad_tokens_are_401(volunteer, header):
    create_token(user=volunteer, name="x")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_tampered_secret_with_valid_prefix_is_refused(volunteer):
    _token, raw = create_token(user=volunteer, name="x")
    assert bearer(raw[:-1] + ("A" if raw[-1] != "A" else "B")).get("/api/v1/me/").status_code == 401


def test_disabled_account_token_refused(volunteer):
    _token, raw = create_token(user=volunteer, name="x")
    volunteer.is_active = False
    volunteer.save()
    assert bearer(raw).get("/api/v1/me/").status_code == 401


def test_cannot_revoke_someone_elses_token(client_for, volunteer, other_volunteer):
    token, raw = create_token(user=volunteer, name="x")
    response = client_for(other_volunteer).post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_views_need_login_and_post(client, client_for, volunteer):
    assert client.post("/api/tokens/new/", {"name": "x"}).status_code == 302  # to login
    assert not ApiToken.objects.exists()
    assert client_for(volunteer).get("/api/tokens/new/").status_code == 405


def test_name_required_and_active_tokens_limited(client_for, volunteer):
    client = client_for(volunteer)
    response = client.post("/api/tokens/new/", {"name": "  "}, follow=True)
    assert b"Give the token a name" in response.content and not ApiToken.objects.exists()
    for i in range(MAX_ACTIVE_TOKENS):
        create_token(user=volunteer, name=f"t{i}")
    response = client.post("/api/tokens/new/", {"name": "one more"}, follow=True)
    assert b"revoke one first" in response.content
    assert ApiToken.objects.count() == MAX_ACTIVE_TOKENS


def test_every_role_can_hold_a_token(api_for, expert, staff, admin_user):
    for user in (expert, staff, admin_user):
        assert api_for(user).get("/api/v1/me/").json()["role"] == user.role


def test_token_created_timestamp(volunteer):
    token, _raw = create_token(user=volunteer, name="x")
    assert timezone.now() - token.created_at < timedelta(minutes=1)


def test_admin_can_revoke_a_leaked_token(client_for, admin_user, volunteer):
    token, raw = create_token(user=volunteer, name="leaked")
    client = client_for(admin_user)
    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200 and b"leaked" in listing.content
    assert (
        token.token_hash.encode()
        not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content
    )
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(raw).get("/api/v1/me/").status_code == 401


def test_closing_an_account_revokes_its_tokens(db):
    from api.models import ApiToken
    from api.tokens import create_token
    from spotter.privacy import close_account
    from tests import factories

    volunteer = factories.make_user("volunteer")
    token, _raw = create_token(user=volunteer, name="laptop")
    close_account(user=volunteer)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not ApiToken.objects.active().filter(user=volunteer).exists()
