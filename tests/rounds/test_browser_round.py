"""A round from creation to report in headless Chromium, through the real pages: the admin
creates it with the form, a volunteer joins and flags, an expert confirms, the admin reads the
round report."""

import pytest

from reports.models import Report, ReportStatus
from rounds.models import Participant, ParticipantStatus, Round
from spotter.models import Role
from tests import factories
from tests.browser import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_round_from_creation_to_report(live_server, page, tmp_path):
    base = live_server.url
    page.set_default_timeout(15_000)
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    species = factories.get_species()
    factories.get_product_type("scales")
    admin = factories.make_user(Role.ADMIN, email="admin@example.org")
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")
    factories.make_user(Role.EXPERT, email="expert@example.org")
    shot = tmp_path / "listing.png"
    shot.write_bytes(factories.png_bytes(320, 200))

    # 1. The admin creates a round with the form (dates are prefilled: today + four weeks).
    login(page, base, admin.email)
    page.goto(f"{base}/rounds/")
    page.click("text=New round")
    page.fill("#id_title", "Pangolin week")
    page.fill("#id_title_fr", "Semaine du pangolin")
    page.fill("#id_title_zh", "穿山甲周")
    page.fill("#id_briefing", "Look for **pangolin scales** on marketplaces.")
    page.fill("#id_briefing_fr", "Cherchez des écailles de pangolin.")
    page.fill("#id_briefing_zh", "寻找穿山甲鳞片。")
    page.fill("#id_weekly_target_listings", "5")
    page.click("form.round-form button[type=submit]")
    page.wait_for_selector("text=Round created.")
    round = Round.objects.get()
    assert round.translations["fr"]["title"] == "Semaine du pangolin"
    logout(page, base)

    # 2. The volunteer finds it, joins, and flags a listing.
    login(page, base, volunteer.email)
    page.goto(f"{base}/rounds/")
    page.click("text=Pangolin week")
    assert "pangolin scales" in page.inner_text("[data-testid=briefing]")
    page.click("button:has-text('Join the round')")
    page.wait_for_selector("[data-testid=my-week]")
    assert Participant.objects.get().status == ParticipantStatus.ACTIVE
    page.goto(f"{base}/reports/new/")
    page.fill("#id_listing_url", "https://www.example-shop.com/item/777")
    page.fill("#id_listing_title", "Pangolin scales 1 kg")
    page.select_option("#id_species", str(species.pk))
    page.select_option("#id_product_type", label="Scales")
    page.set_input_files("#id_screenshots", str(shot))
    page.click("form.report-form button[type=submit]")
    page.wait_for_selector("text=submitted for expert review")
    factories.make_report(volunteer)  # a second one, left waiting
    page.goto(f"{base}/reports/mine/")
    panel = page.inner_text("[data-testid=round-panel]")
    assert "Pangolin week" in panel and "You flagged 2 of 5 listings this week." in panel
    logout(page, base)

    # 3. The expert confirms the first report.
    report = Report.objects.get(listing_title="Pangolin scales 1 kg")
    login(page, base, "expert@example.org")
    page.click(f"text={report.reference}")
    page.click("button:has-text('Claim for review')")
    page.click("button:has-text('Confirm and forward')")
    page.wait_for_selector("text=confirmed")
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED
    logout(page, base)

    # 4. The admin reads the round report.
    login(page, base, admin.email)
    page.goto(f"{base}/rounds/{round.slug}/")
    page.click("text=Round report")
    assert page.inner_text("[data-testid=fig-flagged]") == "2"
    assert page.inner_text("[data-testid=fig-confirmed]") == "1"
    assert page.inner_text("[data-testid=fig-share]") == "100%"
    assert "95% CI" in page.inner_text("[data-testid=fig-ci]")
    assert volunteer.display_name in page.inner_text("[data-testid=volunteer-board]")
    page.emulate_media(media="print")
    assert not page.is_visible("header.topbar")
    page.screenshot(path=str(tmp_path / "round-report.png"), full_page=True)
