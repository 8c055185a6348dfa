"""Two-factor authentication (allauth MFA: TOTP + recovery codes), required for experts, company
staff and admins; login and sign-up rate limits; the admin login; password validators."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def totp(secret: str, offset: int = 0) -> str:
    """RFC 6238 code for the current 30-second window (+ ``offset`` windows)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.fixture(autouse=True)
def _tolerate_one_window(settings):
    # One window either side, so a test crossing a 30 s boundary does not flake, and the codes
    # of two different windows let a test log in again without replaying a used code.
    settings.MFA_TOTP_TOLERANCE = 1


def sign_in(client: Client, email: str, password: str = factories.PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def activate_totp(client: Client) -> str:
    """Go through allauth's own activation page; return the secret."""
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302 and page["Location"].startswith(reverse("account_reauthenticate")):
        # allauth asks for the password again before a security change.
        client.post(page["Location"], {"password": factories.PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret, -1)})
    assert response.status_code == 302, response.content[:3000]
    return secret


@pytest.mark.parametrize("role", [Role.EXPERT, Role.COMPANY_STAFF, Role.ADMIN])
def test_staff_roles_without_totp_are_sent_to_set_it_up(role, mfa_required, company):
    user = factories.make_user(role, company=company if role == Role.COMPANY_STAFF else None)
    client = Client()
    assert sign_in(client, user.email).status_code == 302
    home = {Role.EXPERT: "reports:queue", Role.COMPANY_STAFF: "reports:portal"}.get(
        role, "reports:overview"
    )
    response = client.get(reverse(home))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Session requests to the API get a JSON refusal instead of a redirect.
    api = client.get("/api/v1/reports/")
    assert api.status_code == 403 and api.json()["detail"].startswith("Set up two-factor")
    assert api.json()["errors"][0]["code"] == "mfa_required"
    # The pages needed to set it up (and to sign out) stay reachable.
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200


def test_volunteers_may_skip_two_factor(mfa_required, volunteer):
    client = Client()
    sign_in(client, volunteer.email)
    assert client.get(reverse("reports:mine")).status_code == 200


def test_totp_set_up_then_required_at_every_login(mfa_required, staff):
    client = Client()
    sign_in(client, staff.email)
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(
        user=staff, type=Authenticator.Type.RECOVERY_CODES
    ).exists(), "recovery codes are generated with the first authenticator"
    assert client.get(reverse("reports:portal")).status_code == 200

    client.post(reverse("account_logout"))
    fresh = Client()
    response = sign_in(fresh, staff.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate"), "password alone is not enough"
    assert fresh.get(reverse("reports:portal")).status_code == 302, "not signed in yet"

    wrong = fresh.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in fresh.session
    ok = fresh.post(reverse("mfa_authenticate"), {"code": totp(secret, 0)})
    assert ok.status_code == 302
    assert fresh.get(reverse("reports:portal")).status_code == 200

    # Someone who watched that code being typed cannot replay it.
    thief = Client()
    sign_in(thief, staff.email)
    replay = thief.post(reverse("mfa_authenticate"), {"code": totp(secret, 0)})
    assert replay.status_code == 200 and "_auth_user_id" not in thief.session


def test_recovery_code_signs_in_once(mfa_required, expert):
    client = Client()
    sign_in(client, expert.email)
    activate_totp(client)
    codes = (
        Authenticator.objects.get(user=expert, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    assert len(codes) == 10

    first = Client()
    sign_in(first, expert.email)
    assert first.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("reports:queue")).status_code == 200

    second = Client()
    sign_in(second, expert.email)
    reused = second.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert reused.status_code == 200 and "_auth_user_id" not in second.session


# --- the Django admin login ---------------------------------------------------------------


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login") + "?next=/admin/reports/report/")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("account_login") + "?next=%2Fadmin%2Freports%2Freport%2F"
    )
    # An open redirect through ?next= is not possible.
    # The admin's own password form is gone: posting to it logs nobody in.
    admin_user = factories.make_user(Role.ADMIN)
    client.post(reverse("admin:login"), {"username": admin_user.email, "password": "x"})
    assert "_auth_user_id" not in client.session
    client.post(
        reverse("admin:login"), {"username": admin_user.email, "password": factories.PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    # No open redirect through ?next=: signing in via that link ends on our own admin.
    evil = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert evil["Location"].startswith(reverse("account_login"))
    landed = client.post(
        evil["Location"], {"login": admin_user.email, "password": factories.PASSWORD}, follow=True
    )
    assert landed.status_code == 200
    assert all("evil.example" not in url.split("?")[0] for url, _ in landed.redirect_chain)
    assert landed.request["PATH_INFO"] == "/admin/"


def test_admin_reached_only_with_two_factor(mfa_required, admin_user):
    client = Client()
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    sign_in(client, admin_user.email, HTTP_REFERER="/admin/")
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")
    activate_totp(client)
    assert client.get("/admin/").status_code == 200


def test_signed_in_non_staff_is_refused_by_the_admin(client_for, volunteer):
    client = client_for(volunteer)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_admin_login_is_rate_limited_like_the_site(client, admin_user):
    for _ in range(5):
        sign_in(client, admin_user.email, "wrong-password-123")
    response = sign_in(client, admin_user.email)
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


# --- rate limits ----------------------------------------------------------------------------


@pytest.fixture(params=["locmem", "file"])
def real_cache(request, settings, tmp_path):
    """The embedded default uses a file cache shared by processes; locmem for speed."""
    if request.param == "file":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    from django.core.cache import cache

    cache.clear()
    return request.param


def test_login_failures_lock_the_account_key(real_cache, volunteer):
    client = Client()
    for _ in range(5):
        response = sign_in(client, volunteer.email, "wrong-password-123")
        assert b"Too many failed" not in response.content
    response = sign_in(client, volunteer.email)  # even the right password is refused now
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    other = factories.make_user(Role.VOLUNTEER)
    assert sign_in(Client(), other.email, REMOTE_ADDR="192.0.2.9").status_code == 302


def test_login_attempts_per_ip_get_429(real_cache, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    client = Client()
    statuses = [
        sign_in(client, f"nobody{n}@example.org", "wrong-password-123").status_code
        for n in range(5)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]


def test_signup_is_rate_limited(real_cache, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    client = Client()
    statuses = []
    for n in range(4):
        response = client.post(
            reverse("account_signup"),
            {
                "email": f"new{n}@example.org",
                "password1": "a-long-unusual-pass-971",
                "password2": "a-long-unusual-pass-971",
            },
        )
        statuses.append(response.status_code)
        client.post(reverse("account_logout"))
    assert statuses[:2] == [302, 302]
    assert 429 in statuses[2:]


# --- passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, reason",
    [
        ("short1!", b"too short"),
        ("password123", b"too common"),
        ("8412957730221", b"entirely numeric"),
        ("weakling@example.org", b"too similar"),
    ],
)
def test_weak_password_refused_at_signup(client, password, reason):
    response = client.post(
        reverse("account_signup"),
        {"email": "weakling@example.org", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert reason in response.content
    from spotter.models import User

    assert not User.objects.filter(email="weakling@example.org").exists()


def test_two_factor_pages_have_no_inline_script_or_style(mfa_required, expert):
    from .test_headers import _InlineFinder

    client = Client()
    sign_in(client, expert.email)
    client.get(reverse("mfa_activate_totp"))
    client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    pages = [reverse("mfa_activate_totp"), reverse("account_reauthenticate")]
    bodies = [client.get(url) for url in pages]
    activate_totp(client)
    pages += [reverse("mfa_index"), reverse("mfa_view_recovery_codes")]
    bodies += [client.get(url) for url in pages[2:]]
    fresh = Client()
    sign_in(fresh, expert.email)
    pages.append(reverse("mfa_authenticate"))
    bodies.append(fresh.get(reverse("mfa_authenticate")))
    for url, response in zip(pages, bodies, strict=True):
        assert response.status_code == 200, url
        finder = _InlineFinder()
        finder.feed(response.content.decode())
        assert not finder.problems, (url, finder.problems)
