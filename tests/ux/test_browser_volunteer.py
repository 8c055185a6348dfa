"""Issue 13, volunteers, in Chromium: the "needs your input" badge, filter and resubmit page;
the draft autosave of the flag form; onboarding of an uncertified newcomer; the bookmarklet
kept off phone widths."""

import pytest

from reports import services
from reports.models import Report
from spotter.models import Role
from tests import factories
from tests.test_browser_loop import login
from tests.training.conftest import build_module
from training.models import Choice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Which country is the seller shipping from?"


def wait_for_draft(page, key, text):
    """Wait until draft.js saved ``text`` (polled: the CSP forbids wait_for_function's eval)."""
    for _ in range(50):
        if text in (page.evaluate("key => localStorage.getItem(key)", key) or ""):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no draft with {text!r} saved")


def test_needs_input_badge_filter_and_resubmit_page(live_server, page):
    base = live_server.url
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")
    expert = factories.make_user(Role.EXPERT)
    factories.make_report(volunteer, listing_title="Still in the queue")
    report = factories.make_report(volunteer, listing_title="Scales, asked about")
    services.claim_report(report=report, expert=expert)
    services.request_info(report=report, expert=expert, message=QUESTION)

    login(page, base, volunteer.email)
    assert page.inner_text("[data-testid=needs-input-badge]") == "1"
    page.click("nav a:has([data-testid=needs-input-badge])")
    page.click("[data-testid=needs-input-filter]")
    page.wait_for_url("**/reports/mine/?needs=1")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and "Scales, asked about" in rows.inner_text()
    assert QUESTION in page.inner_text("[data-testid=info-request]")

    page.click("[data-testid=info-request] a")
    page.wait_for_url(f"**/reports/{report.reference}/edit/")
    assert QUESTION in page.inner_text("[data-testid=expert-question]")
    thumb = page.locator("[data-testid=already-attached] img")
    assert thumb.count() == 1
    thumb.evaluate("img => img.decode()")  # loads through the evidence view, for the owner
    assert thumb.evaluate("img => img.naturalWidth") > 0
    # What was asked and what is attached come before the fields.
    above = page.evaluate(
        "document.querySelector('[data-testid=already-attached]').compareDocumentPosition("
        "document.querySelector('#id_listing_url')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert above


def test_flag_form_draft_survives_reload_and_is_cleared_on_submit(live_server, page, tmp_path):
    base = live_server.url
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    species = factories.get_species()
    factories.get_product_type("scales")
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")
    shot = tmp_path / "listing.png"
    shot.write_bytes(factories.png_bytes(320, 200))
    key = f"cyber-spotter:report-draft:{volunteer.pk}"

    login(page, base, volunteer.email)
    page.goto(f"{base}/reports/new/")
    assert page.is_hidden("[data-testid=draft-notice]")
    page.fill("#id_listing_url", "https://www.example-shop.com/item/77")
    page.fill("#id_listing_title", "Ivory bangle, old stock")
    page.select_option("#id_species", str(species.pk))
    page.fill("#id_listing_text", "Real ivory, discreet shipping.")
    wait_for_draft(page, key, "discreet")

    page.reload()
    assert page.is_visible("[data-testid=draft-notice]")
    assert page.input_value("#id_listing_title") == "Ivory bangle, old stock"
    assert page.input_value("#id_listing_text") == "Real ivory, discreet shipping."
    assert page.input_value("#id_species") == str(species.pk)

    # Discard empties the fields and forgets the draft.
    page.click("[data-draft-discard]")
    assert page.is_hidden("[data-testid=draft-notice]")
    assert page.input_value("#id_listing_title") == ""
    assert page.evaluate("key => localStorage.getItem(key)", key) is None

    # Type again, come back, finish and submit: the draft is gone afterwards.
    page.fill("#id_listing_url", "https://www.example-shop.com/item/78")
    page.fill("#id_listing_title", "Pangolin scales 1 kg")
    wait_for_draft(page, key, "1 kg")
    page.goto(f"{base}/reports/mine/")
    page.goto(f"{base}/reports/new/")
    assert page.input_value("#id_listing_title") == "Pangolin scales 1 kg"
    page.select_option("#id_species", str(species.pk))
    page.select_option("#id_product_type", label="Scales")
    page.set_input_files("#id_screenshots", str(shot))
    page.click("button:has-text('Submit report')")
    page.wait_for_selector("text=submitted for expert review")
    assert Report.objects.get().listing_title == "Pangolin scales 1 kg"
    assert page.evaluate("key => localStorage.getItem(key)", key) is None
    page.goto(f"{base}/reports/new/")
    assert page.input_value("#id_listing_title") == ""
    assert page.is_hidden("[data-testid=draft-notice]")


def test_refused_submit_keeps_the_draft(live_server, page):
    base = live_server.url
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")
    key = f"cyber-spotter:report-draft:{volunteer.pk}"
    login(page, base, volunteer.email)
    page.goto(f"{base}/reports/new/")
    page.fill("#id_listing_title", "Tiger bone wine")
    page.click("button:has-text('Submit report')")  # no address: refused
    page.wait_for_selector("[data-error-summary]")
    wait_for_draft(page, key, "Tiger bone")
    page.goto(f"{base}/reports/new/")
    assert page.input_value("#id_listing_title") == "Tiger bone wine"


def test_newcomer_is_led_to_training_then_to_the_first_listing(live_server, page, settings):
    settings.QUIZ_PASS_PERCENT = 80
    base = live_server.url
    build_module("core", is_core=True)
    build_module("elephants", order=10)
    newcomer = factories.make_user(Role.VOLUNTEER, email="new@example.org", certified=False)

    login(page, base, newcomer.email)
    assert page.url.endswith("/reports/mine/")
    assert page.locator("a[href='/reports/new/']").count() == 0
    assert page.is_visible("nav >> text=Finish training to flag listings")
    assert page.locator("[data-testid=bookmarklet]").count() == 0
    page.click("text=Start with the core module")
    page.wait_for_url("**/training/core/")

    for slug in ("core", "elephants"):
        page.goto(f"{base}/training/{slug}/quiz/")
        for fieldset in page.locator("fieldset[data-question-id]").all():
            question_id = int(fieldset.get_attribute("data-question-id"))
            choice = Choice.objects.get(question_id=question_id, is_correct=True).pk
            page.check(f"input[name=q{question_id}][value='{choice}']")
        page.click("form.quiz button[type=submit]")
        page.wait_for_selector("[data-passed=true]")

    page.click("[data-testid=flag-first]")
    page.wait_for_url("**/reports/new/")
    assert page.is_visible("form.report-form")
    assert page.is_visible("nav >> text=Flag a listing")


@pytest.mark.parametrize(("width", "shown"), [(390, False), (1280, True)])
def test_bookmarklet_only_on_desktop_width(live_server, browser, width, shown):
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        login(page, live_server.url, volunteer.email)
        page.goto(f"{live_server.url}/reports/mine/")
        assert page.is_visible("[data-testid=bookmarklet]") is shown
        assert page.is_visible("[data-testid=flag-by-address]")  # works on a phone too
    finally:
        context.close()
