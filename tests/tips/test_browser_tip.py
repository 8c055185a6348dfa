"""In headless Chromium: an anonymous visitor sends a tip (the real JavaScript proof of work runs,
at a low difficulty), then an expert turns it into a report from the triage queue."""

from __future__ import annotations

import pytest

from reports.models import Report, ReportStatus
from spotter.models import Role
from tests import factories
from tests.browser import login
from tips.models import Tip, TipStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_tip_then_expert_converts_it(live_server, browser, settings, tmp_path):
    settings.TIPS_POW_BITS = 8  # a few hundred hashes: fast, but the search really runs
    settings.TIPS_MIN_FILL_SECONDS = 1
    company = factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    species = factories.get_species()
    factories.get_product_type("scales")
    expert = factories.make_user(Role.EXPERT, email="expert@example.org")
    shot = tmp_path / "listing.png"
    shot.write_bytes(factories.png_bytes(320, 200))
    base = live_server.url

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # 1. An anonymous visitor follows the home page's link and fills the form.
    page.goto(f"{base}/")
    page.click("[data-testid=home-tip-link]")
    page.fill("#id_listing_url", "https://www.example-shop.com/item/555?utm_source=x")
    page.fill("#id_note", "Scales sold as 'armour flakes'.")
    page.set_input_files("#id_screenshot", str(shot))
    page.wait_for_selector("form[data-pow-solved=true]")  # the JS found its nonce
    assert page.input_value("input[name=pow_nonce]") != ""
    page.wait_for_timeout(1100)  # the minimum fill time
    page.click("form[data-testid=tip-form] button[type=submit]")
    reference = page.inner_text("[data-testid=tip-reference]")
    tip = Tip.objects.get()
    assert reference == tip.reference
    assert tip.screenshot.width == 320
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 1
    context.close()

    # 2. An expert finds it in the triage queue and turns it into a report.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, base, expert.email)
    page.click("[data-testid=nav-tips]")
    page.click(f"text={tip.reference}")
    assert page.inner_text("[data-testid=tip-url]") == tip.listing_url
    page.click("a:has-text('Turn into a report')")
    page.fill("#id_listing_title", "Pangolin scales")
    page.select_option("#id_species", str(species.pk))
    page.select_option("#id_product_type", label="Scales")
    page.click("form.report-form button[type=submit]")
    page.wait_for_selector("[data-testid=tip-report]")
    tip.refresh_from_db()
    report = Report.objects.get()
    assert tip.status == TipStatus.CONVERTED and tip.report == report
    assert report.volunteer == expert and report.company == company
    assert report.status == ReportStatus.SUBMITTED and report.evidence.count() == 1
    assert page.inner_text("[data-testid=tip-report]") == report.reference
    context.close()
    assert errors == []


def test_tip_pages_have_no_serious_accessibility_problems(live_server, browser, settings):
    from tests.a11y.browser import BLOCKING, WIDTHS, new_context, run_axe

    from .helpers import make_tip

    settings.TIPS_POW_BITS = 4
    factories.get_species()
    factories.get_product_type("scales")
    expert = factories.make_user(Role.EXPERT, email="expert@example.org")
    tip = make_tip(note="Scales")
    base = live_server.url
    problems = []
    for width in WIDTHS:
        context = new_context(browser, width)
        page = context.new_page()
        page.goto(f"{base}/tip/")
        page.wait_for_selector("form[data-pow-solved=true]", state="attached")
        page.click("form[data-testid=tip-form] button[type=submit]")  # an empty URL: errors shown
        page.wait_for_selector("[data-error-summary]")
        problems += [("form", width, v) for v in run_axe(page) if v["impact"] in BLOCKING]
        login(page, base, expert.email)
        for path in ("/tips/", f"/tips/{tip.reference}/", f"/tips/{tip.reference}/convert/"):
            page.goto(base + path)
            problems += [(path, width, v) for v in run_axe(page) if v["impact"] in BLOCKING]
            sideways = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            if sideways > 1:
                problems.append((path, width, f"scrolls sideways by {sideways}px"))
        context.close()
    assert problems == []
