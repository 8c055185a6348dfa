"""In headless Chromium: the bookmarklet on a listing page opens a prefilled report form, a
pasted screenshot becomes evidence, and the API docs render under our CSP."""

import base64

import pytest

from reports.models import Report
from spotter.models import Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTING_URL = "https://www.example-shop.com/item/4242"
LISTING_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Genuine pangolin scales 500 g — ExampleShop</title></head>
<body><h1>Genuine pangolin scales</h1>
<p id="pitch">Wild-harvested scales, discreet shipping worldwide.</p>
<p>Other text that is not selected.</p></body></html>"""


def login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def test_bookmarklet_prefills_the_form_and_pasted_image_becomes_evidence(
    live_server, page, settings
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    species = factories.get_species()
    scales = factories.get_product_type("scales")
    volunteer = factories.make_user(Role.VOLUNTEER, email="spotter@example.org")

    login(page, base, volunteer.email)
    page.goto(f"{base}/reports/mine/")
    href = page.get_attribute("[data-testid=bookmarklet]", "href")
    assert href.startswith("javascript:") and base in href

    # The "listing" is served by the browser itself at a member platform's real-looking URL:
    # no network, and the page runs under its own origin as a real listing would.
    page.context.route(
        "https://www.example-shop.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=LISTING_HTML),
    )
    page.goto(LISTING_URL)
    page.evaluate(
        """(href) => {
            const range = document.createRange();
            range.selectNodeContents(document.getElementById("pitch"));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            const link = document.createElement("a");  // as if clicked in the bookmarks bar
            link.id = "bookmarklet";
            link.href = href;
            document.body.appendChild(link);
        }""",
        href,
    )
    with page.context.expect_page() as new_window:
        # element.click() keeps the selection, as clicking a bookmark does.
        page.evaluate("document.getElementById('bookmarklet').click()")
    form = new_window.value
    form.wait_for_load_state()
    assert form.url.startswith(f"{base}/reports/new/?listing_url=")
    assert form.input_value("#id_listing_url") == LISTING_URL
    assert form.input_value("#id_listing_title") == "Genuine pangolin scales 500 g — ExampleShop"
    assert form.input_value("#id_listing_text") == (
        "Wild-harvested scales, discreet shipping worldwide."
    )

    # Paste a screenshot (Ctrl+V) into the paste zone: a ClipboardEvent carrying a PNG file.
    png = base64.b64encode(factories.png_bytes(120, 80)).decode()
    form.select_option("#id_species", str(species.pk))
    form.select_option("#id_product_type", str(scales.pk))
    form.evaluate(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const file = new File([bytes], "clipboard.png", { type: "image/png" });
            const data = new DataTransfer();
            data.items.add(file);
            const zone = document.querySelector("[data-paste-target]");
            const init = { clipboardData: data, bubbles: true, cancelable: true };
            zone.dispatchEvent(new ClipboardEvent("paste", init));
        }""",
        png,
    )
    assert "pasted-" in form.inner_text(".paste-list")
    assert form.evaluate("document.getElementById('id_screenshots').files.length") == 1
    form.click("form.report-form button[type=submit]")
    form.wait_for_selector("text=submitted for expert review")

    report = Report.objects.get()
    assert report.volunteer == volunteer and report.listing_url == LISTING_URL
    assert report.listing_text == "Wild-harvested scales, discreet shipping worldwide."
    assert report.company.slug == "shopco"
    evidence = report.evidence.get()
    assert evidence.original_name.startswith("pasted-") and evidence.width == 120


def test_api_docs_render_under_the_csp(live_server, page):
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda exc: violations.append(str(exc)))
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=20_000)
    assert page.locator(".opblock").count() >= 25
    assert page.get_by_text("Cyber Spotter API").first.is_visible()
    assert violations == []
