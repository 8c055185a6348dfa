"""A lead spotter pre-screens in headless Chromium; the expert sees it on the review page."""

from __future__ import annotations

import pytest

from leads.models import PreScreen
from reports.models import Report, ReportStatus
from spotter.models import Role
from tests import factories
from tests.browser import login, logout

from .conftest import join, make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_prescreens_and_expert_sees_it(live_server, page):
    base = live_server.url
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    round_ = make_round("browser-round")
    lead = factories.make_user(Role.VOLUNTEER, email="lead@example.org", is_lead_spotter=True)
    newer = factories.make_user(Role.VOLUNTEER, email="newer@example.org")
    join(round_, lead)
    join(round_, newer)
    factories.make_user(Role.EXPERT, email="expert@example.org")
    report = factories.make_report(newer, listing_title="Pangolin scales, 1 kg")

    login(page, base, lead.email)
    page.click("[data-testid=lead-nav]")
    page.wait_for_selector("h1:has-text('Pre-screen queue')")
    page.click(f"[data-testid=prescreen-link]:has-text('{report.reference}')")
    page.wait_for_selector("text=Pangolin scales, 1 kg")
    assert newer.email not in page.content()
    # Phone width: the pre-screen page never scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 1
    page.set_viewport_size({"width": 1280, "height": 900})
    page.check("input[name=verdict][value=needs_evidence]")
    page.fill("textarea[name=note]", "No close-up of the scales; price tag unreadable.")
    page.click("[data-testid=save-prescreen]")
    page.wait_for_selector("text=Pre-screen saved")
    assert PreScreen.objects.get().verdict == "needs_evidence"
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    logout(page)

    login(page, base, "expert@example.org")
    page.goto(f"{base}/review/{report.reference}/")
    panel = page.locator("[data-testid=lead-prescreens]")
    panel.wait_for()
    text = panel.inner_text()
    assert "Needs more evidence" in text
    assert "No close-up of the scales" in text
    assert lead.pseudonym in text
