"""Helpers shared by the Playwright tests: signing in and out through the real forms."""

from tests import factories


def login(page, base: str, email: str, password: str = factories.PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def logout(page, base: str | None = None) -> None:
    page.click("nav form button[type=submit]")
    page.wait_for_load_state()
