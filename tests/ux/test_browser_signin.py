"""The sign-in button shows that the (deliberately slow) password check is under way."""

import pytest

from spotter.models import Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUTTON = "form[data-busy-form] button[type=submit]"


def test_sign_in_button_is_busy_while_signing_in_and_restored_on_pageshow(live_server, page):
    user = factories.make_user(Role.VOLUNTEER)
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.text_content(BUTTON).strip() == "Sign In"
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    # Keep the page: a submit listener added after busy.js's cancels the navigation (busy.js
    # has already run), as if the server were still hashing the password.
    page.evaluate(
        "window.__hold = e => e.preventDefault(); window.addEventListener('submit', window.__hold)"
    )
    page.click(BUTTON)
    page.wait_for_function(f"document.querySelector('{BUTTON}').disabled")
    assert page.text_content(BUTTON).strip() == "Signing in…"
    assert page.get_attribute("form[data-busy-form]", "aria-busy") == "true"
    # Back to the page from the back/forward cache: the button works again.
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert not page.is_disabled(BUTTON)
    assert page.text_content(BUTTON).strip() == "Sign In"
    # For real: the form is sent although its button disables itself.
    page.evaluate("window.removeEventListener('submit', window.__hold)")
    page.click(BUTTON)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.locator("nav form button[type=submit]").count() == 1  # the sign-out button
