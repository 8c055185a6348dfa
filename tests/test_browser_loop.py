"""The whole loop in headless Chromium, through the real UI, in every role — at desktop width
and again at phone width (390 × 844), where no page may scroll sideways."""

import pytest

from reports.models import Report, ReportStatus
from spotter.models import Role
from tests import factories
from tests.browser import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=sorted(VIEWPORTS))
def loop_page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    overflow: list[tuple[str, int]] = []
    page.on("load", lambda p: overflow.append((p.url, _sideways(p))))
    yield page
    context.close()
    # Every page the loop loaded, at either width: none scrolls sideways.
    assert [row for row in overflow if row[1] > 1] == []
    assert len(overflow) >= 10


def _sideways(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def test_whole_loop(live_server, loop_page, tmp_path):
    page = loop_page
    base = live_server.url
    company = factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    species = factories.get_species()
    factories.get_product_type("scales")
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")
    factories.make_user(Role.EXPERT, email="expert@example.org")
    factories.make_user(Role.COMPANY_STAFF, company=company, email="staff@example.org")
    shot = tmp_path / "listing.png"
    shot.write_bytes(factories.png_bytes(320, 200))

    # 1. The volunteer flags a listing with a screenshot.
    login(page, base, volunteer.email)
    page.goto(f"{base}/reports/new/")
    page.fill("#id_listing_url", "https://www.example-shop.com/item/123?utm_source=feed")
    page.fill("#id_listing_title", "Pangolin scales 500 g, bulk")
    page.select_option("#id_species", str(species.pk))
    page.select_option("#id_product_type", label="Scales")
    page.fill("#id_listing_text", "Genuine scales. Discreet shipping.")
    page.fill("#id_price", "120")
    page.fill("#id_currency", "USD")
    page.set_input_files("#id_screenshots", str(shot))
    page.click("form.report-form button[type=submit]")
    page.wait_for_selector("text=submitted for expert review")
    report = Report.objects.get()
    assert report.company == company and report.evidence.count() == 1
    logout(page, base)

    # 2. The expert claims and confirms it from the queue.
    login(page, base, "expert@example.org")
    page.click(f"text={report.reference}")
    page.click("button:has-text('Claim for review')")
    page.click("button:has-text('Confirm and forward')")
    page.wait_for_selector("text=confirmed")
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED
    logout(page, base)

    # 3. Company staff see it in their portal and record "removed".
    login(page, base, "staff@example.org")
    page.click(f"text={report.reference}")
    assert "vol@example.org" not in page.content()
    page.select_option("#id_outcome", "removed")
    page.once("dialog", lambda dialog: dialog.accept())  # the "are you sure?" of app.js
    page.click("button:has-text('Record outcome')")
    page.wait_for_selector("text=Outcome recorded")
    logout(page, base)

    # 4. The volunteer sees the outcome and an accuracy of 100%.
    login(page, base, volunteer.email)
    page.goto(f"{base}/reports/{report.reference}/")
    assert page.inner_text("[data-testid=outcome]") == "Listing removed"
    page.goto(f"{base}/reports/accuracy/")
    assert page.inner_text("[data-testid=accuracy]") == "100%"
    page.screenshot(path=str(tmp_path / "accuracy.png"))
