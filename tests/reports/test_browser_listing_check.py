"""Issue 15 in Chromium: typing another URL shape of an already-reported eBay listing shows
the "already reported" warning under the field, without reloading the page."""

import pytest

from spotter.models import Role
from tests import factories
from tests.test_browser_loop import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_another_shape_of_a_reported_listing_warns(live_server, page):
    base = live_server.url
    factories.make_company(slug="ebay", domains=("ebay.com", "ebay.co.uk"), name="eBay")
    factories.make_report(
        factories.make_user(Role.VOLUNTEER), url="https://www.ebay.com/itm/256123456789"
    )
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")

    login(page, base, volunteer.email)
    page.goto(f"{base}/reports/new/")
    page.evaluate("window.__same_page = true")  # gone if the page reloads
    page.locator("#id_listing_url").press_sequentially(
        "https://m.ebay.co.uk/itm/Carved-bangle/256123456789", delay=5
    )
    warning = page.locator("[data-listing-check=known]")
    warning.wait_for()
    assert "already reported" in warning.inner_text()
    assert "Hosted by eBay" in page.locator("#listing-check").inner_text()
    assert page.evaluate("window.__same_page") is True

    # Another listing: the warning goes away.
    page.fill("#id_listing_url", "https://www.ebay.com/itm/256000000001")
    page.locator("[data-listing-check=known]").wait_for(state="detached")
    assert page.evaluate("window.__same_page") is True
