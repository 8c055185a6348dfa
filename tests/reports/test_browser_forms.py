"""Issue 13 in Chromium: a failed submit keeps the screenshot and focuses the error summary;
withdrawing asks first."""

import pytest

from reports.models import Report, ReportStatus
from spotter.models import Role
from tests import factories
from tests.test_browser_loop import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_failed_submit_keeps_screenshot_and_focuses_summary(live_server, page, tmp_path):
    base = live_server.url
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    species = factories.get_species()
    factories.get_product_type("scales")
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")
    shot = tmp_path / "listing.png"
    shot.write_bytes(factories.png_bytes(320, 200))

    login(page, base, volunteer.email)
    page.goto(f"{base}/reports/new/")
    page.fill("#id_listing_url", "https://www.example-shop.com/item/5")
    page.select_option("#id_species", str(species.pk))
    page.select_option("#id_product_type", label="Scales")
    page.set_input_files("#id_screenshots", str(shot))
    page.click("button:has-text('Submit report')")  # no title: fails
    page.wait_for_selector("[data-error-summary]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator(".staged-uploads img").count() == 1
    page.fill("#id_listing_title", "Pangolin scales")
    page.click("button:has-text('Submit report')")
    page.wait_for_selector("text=submitted for expert review")
    report = Report.objects.get()
    assert report.evidence.count() == 1

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button:has-text('Withdraw this report')")
    page.wait_for_timeout(300)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED  # said no
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Withdraw this report')")
    page.wait_for_selector("text=Report withdrawn")
    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN
