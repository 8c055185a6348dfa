"""In headless Chromium: the bookmarklet works on listing pages with strict CSPs of their own,
clicking it on our page (where our CSP refuses javascript: links) says what to do instead of
doing nothing, and the paste-an-address form opens the same prefilled report form."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Error as PlaywrightError

from spotter.models import Role
from tests import factories

from .test_browser_bookmarklet import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Rhino horn cup, antique — StrictShop"
PITCH = "Carved horn, certificate available on request."
LISTING_HTML = f"""<!doctype html><html><head><meta charset="utf-8"><title>{TITLE}</title></head>
<body><h1>Rhino horn cup</h1><p id="pitch">{PITCH}</p><p>Not selected.</p></body></html>"""
# What real marketplaces send, and worse: no inline script at all (plus Trusted Types), and a
# sandbox that forbids opening windows (then the bookmarklet opens our form in the same tab). A
# sandbox without allow-scripts runs no script at all, bookmarklets included: the paste-an-address
# form is for that case (and for phones).
POLICIES = {
    "/strict/item/7": "default-src 'none'; script-src 'none'; require-trusted-types-for 'script'",
    "/sandboxed/item/7": "default-src 'none'; script-src 'none'; sandbox allow-scripts",
}


class _Listing(BaseHTTPRequestHandler):
    def do_GET(self):
        body = LISTING_HTML.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", POLICIES[self.path])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def listing_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Listing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def signed_in(live_server, page, settings):
    settings.SITE_URL = live_server.url
    volunteer = factories.make_user(Role.VOLUNTEER, email="csp-spotter@example.org")
    login(page, live_server.url, volunteer.email)
    page.goto(f"{live_server.url}/reports/mine/")
    return page.get_attribute("[data-testid=bookmarklet]", "href")


def select_pitch(page):
    page.evaluate(
        """() => {
            const range = document.createRange();
            range.selectNodeContents(document.getElementById("pitch"));
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
        }"""
    )


def run_from_bookmarks_bar(page, href):
    """Navigating the tab to the javascript: URL is what a bookmarks-bar click does (a
    browser-initiated navigation, outside the page's CSP); Playwright reports it as aborted."""
    try:
        page.goto(href)
    except PlaywrightError as exc:
        assert "ERR_ABORTED" in str(exc)


def assert_prefilled(form, base, listing):
    form.wait_for_load_state()
    assert form.url.startswith(f"{base}/reports/new/?listing_url=")
    assert form.input_value("#id_listing_url") == listing
    assert form.input_value("#id_listing_title") == TITLE
    assert form.input_value("#id_listing_text") == PITCH


def test_bookmarklet_on_a_listing_with_a_strict_csp_opens_the_prefilled_form(
    live_server, page, signed_in
):
    with listing_server() as shop:
        listing = f"{shop}/strict/item/7"
        response = page.goto(listing)
        assert "script-src 'none'" in response.headers["content-security-policy"]
        select_pitch(page)
        with page.context.expect_page() as new_tab:
            run_from_bookmarks_bar(page, signed_in)
        assert_prefilled(new_tab.value, live_server.url, listing)
        assert page.url == listing  # the listing stays open behind it


def test_bookmarklet_where_the_listing_may_not_open_windows_uses_the_same_tab(
    live_server, page, signed_in
):
    with listing_server() as shop:
        listing = f"{shop}/sandboxed/item/7"
        page.goto(listing)
        select_pitch(page)
        run_from_bookmarks_bar(page, signed_in)
        page.wait_for_url(f"{live_server.url}/reports/new/?**")
        assert_prefilled(page, live_server.url, listing)
        assert len(page.context.pages) == 1


def test_clicking_it_on_our_page_explains_and_the_address_form_is_the_fallback(
    live_server, page, signed_in
):
    refused = []
    page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    assert page.is_hidden("[data-testid=bookmarklet-hint]")
    page.click("[data-testid=bookmarklet]")
    page.wait_for_selector("[data-testid=bookmarklet-hint]", state="visible")
    page.wait_for_timeout(300)  # time for a refusal to reach the console, had there been one
    assert page.url == f"{live_server.url}/reports/mine/"
    assert refused == []  # our script stopped the click before the CSP had to refuse it

    listing = "https://www.example-shop.com/item/99?ref=share"
    page.fill("#flag-listing-url", listing)
    page.click("[data-testid=flag-by-address] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/reports/new/?**")
    assert page.input_value("#id_listing_url") == listing
