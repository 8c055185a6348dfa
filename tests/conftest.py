import os
import shutil
import subprocess

import pytest

from reports.models import MemberCompany
from spotter.models import Role

from . import factories

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(request, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    if request.node.get_closest_marker("production") is None:
        # Production-mode tests keep the real Redis cache; the rest get a private one.
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MFA_REQUIRED_ROLES = []
    # Second-review sampling is deterministic per report reference, and references are random:
    # a sampled decision hides the report from other experts (quality.blind), so no test gets
    # one by chance. Tests that need second reviews set the share explicitly.
    settings.SECOND_REVIEW_SHARE = 0.0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    # Requests activate their language on this thread and nothing resets it: every test starts
    # in the default language, whatever the previous test's last request asked for.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def company(db):
    return factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")


@pytest.fixture
def other_company(db):
    return factories.make_company(
        slug="othermarket", domains=("other-market.com",), name="OtherMarket"
    )


@pytest.fixture
def volunteer(db):
    return factories.make_user(Role.VOLUNTEER)


@pytest.fixture
def other_volunteer(db):
    return factories.make_user(Role.VOLUNTEER)


@pytest.fixture
def expert(db):
    return factories.make_user(Role.EXPERT)


@pytest.fixture
def other_expert(db):
    return factories.make_user(Role.EXPERT)


@pytest.fixture
def staff(company):
    return factories.make_user(Role.COMPANY_STAFF, company=company)


@pytest.fixture
def other_staff(other_company):
    return factories.make_user(Role.COMPANY_STAFF, company=other_company)


@pytest.fixture
def admin_user(db):
    return factories.make_user(Role.ADMIN)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return make


@pytest.fixture
def reference_data(db):
    from reports.reference import load_reference_data

    load_reference_data()
    return MemberCompany.objects.all()


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; never downloads a browser."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (.ci/run installs it with apt-get)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def run(cmd, **kwargs):  # small helper for tests that drive processes
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)
