"""Deployment hardening: check --deploy is clean, security headers and CSP on every page, and no
inline script, style attribute or event handler in our templates (CSP would block them)."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

# The real production defaults (no SECURE_SSL_REDIRECT=false as the test settings have).
DEPLOY_ENV = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cyberspotter",
    "SECRET_KEY": "k3Jx9-PqL2v_8Zt#Wm4nR7yB1cF6hD0sG5aE2uV9iO3pT8lN4qM7wX1zC6bY0jK5",
    "ALLOWED_HOSTS": "spotter.example.org",
}


def _production_env() -> dict[str, str]:
    """Only what a production host sets: nothing from the test run leaks in."""
    keep = ("PATH", "HOME", "LANG", "PYTHONPATH")
    return {**{k: os.environ[k] for k in keep if k in os.environ}, **DEPLOY_ENV}


def test_check_deploy_reports_nothing_with_production_settings():
    env = _production_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_security_settings_in_a_fresh_process():
    env = _production_env()
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='spotter.settings'; "
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY, s.SESSION_COOKIE_HTTPONLY)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "True",
        "DENY",
        "same-origin",
        "True",
    ], out.stderr


def _pages(users) -> list[tuple[Client, str]]:
    volunteer, expert, staff, admin, report = users
    c = Client()
    pages = [(c, reverse(name)) for name in ("home", "account_login", "account_signup")]
    pages += [(c, reverse("account_reset_password"))]
    for user, names in (
        (
            volunteer,
            [
                "reports:submit",
                "reports:mine",
                "quality:accuracy",
                "profile",
                "close_account",
                "training:home",
                "mfa_index",
                "account_email",
                "account_change_password",
            ],
        ),
        (expert, ["reports:queue"]),
        (staff, ["reports:portal"]),
        (admin, ["reports:overview"]),
    ):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        pages += [(client, reverse(name)) for name in names]
    detail = [
        (volunteer, reverse("reports:detail", args=[report.reference])),
        (expert, reverse("reports:review", args=[report.reference])),
        (staff, reverse("reports:company_detail", args=[report.reference])),
        (admin, reverse("reports:detail", args=[report.reference])),
    ]
    for user, url in detail:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        pages.append((client, url))
    return pages


@pytest.fixture
def users(volunteer, expert, staff, admin_user, company):
    report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    return volunteer, expert, staff, admin_user, report


def test_security_headers_on_every_page(users):
    for client, url in _pages(users):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self._in_inline_script = True
            self.problems.append(f"inline <script> at {self.getpos()}")
        if "style" in names:
            self.problems.append(f'style="" on <{tag}> at {self.getpos()}')
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}> at {self.getpos()}")
        href = (names.get("href") or "").strip().lower()
        # The one exception is the "Flag this listing" bookmarklet, a link made to be dragged to
        # the bookmarks bar; on our own pages CSP (no 'unsafe-inline') stops it from running.
        if href.startswith("javascript:") and names.get("data-testid") != "bookmarklet":
            self.problems.append(f"javascript: link at {self.getpos()}")
        if tag == "style":
            self.problems.append(f"<style> element at {self.getpos()}")


def test_no_inline_script_style_or_handlers_in_our_pages(users):
    problems = {}
    for client, url in _pages(users):
        finder = _InlineFinder()
        finder.feed(client.get(url).content.decode())
        if finder.problems:
            problems[url] = finder.problems
    assert not problems, problems
