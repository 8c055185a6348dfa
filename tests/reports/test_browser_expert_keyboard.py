"""Issue 13 in Chromium: an expert works the queue with the keyboard only (shortcuts.js),
canned replies fill the text, and screenshots open full size (review.js)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import CannedReply, Report, ReportStatus, Species, SpeciesGroup
from spotter.models import Role
from tests import factories
from tests.test_browser_loop import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page, expression="document.activeElement.textContent.trim()"):
    return page.evaluate(expression)


@pytest.fixture
def queue_world():
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    volunteer = factories.make_user(Role.VOLUNTEER)
    # A group of their own: the queue filtered by it holds exactly these two reports.
    group = SpeciesGroup.objects.create(slug="keys-group", name="Keys group", order=50)
    species = Species.objects.create(
        scientific_name="Testudo keysii",
        common_name_en="Keys tortoise",
        group=group,
        cites_appendix="II",
    )
    older = factories.make_report(volunteer, species=species)
    newer = factories.make_report(volunteer, species=species)
    Report.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(hours=5))
    CannedReply.objects.create(
        kind="rejection", language="en", title="Replica", text="Looks like resin to us."
    )
    expert = factories.make_user(Role.EXPERT, email="keys@example.org")
    return expert, older, newer


def test_keyboard_only_review(live_server, page, queue_world):
    expert, older, newer = queue_world
    base = live_server.url
    login(page, base, expert.email)
    page.goto(f"{base}/review/?group=keys-group")
    page.wait_for_load_state("networkidle")  # htmx has loaded the notification count

    # j/k move through the queue; Enter opens the selected report.
    page.keyboard.press("j")
    assert focused(page) == older.reference
    page.keyboard.press("j")
    assert focused(page) == newer.reference
    page.keyboard.press("k")
    assert focused(page) == older.reference
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/review/{older.reference}/**")

    # ? shows the help dialog; Esc closes it.
    page.keyboard.press("?")
    assert page.locator("#shortcut-help").evaluate("d => d.open")
    assert page.locator("#shortcut-help").get_by_text("Next report in the queue").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#shortcut-help").evaluate("d => d.open")

    # c claims.
    page.keyboard.press("c")
    page.wait_for_selector(f"text=You are reviewing {older.reference}")
    assert Report.objects.get(pk=older.pk).status == ReportStatus.IN_REVIEW

    # a goes to the confirm form, r to the rejection reason.
    page.keyboard.press("a")
    assert focused(page, "document.activeElement.closest('details').dataset.shortcut") == (
        "confirm"
    )
    page.keyboard.press("r")  # in a field: not a shortcut
    assert focused(page, "document.activeElement.closest('details').dataset.shortcut") == (
        "confirm"
    )
    page.keyboard.press("Escape")  # leaves the field
    page.keyboard.press("r")
    assert focused(page, "document.activeElement.name") == "reason"
    page.keyboard.press("ArrowDown")  # the first reason
    page.keyboard.press("Tab")
    assert focused(page, "document.activeElement.name") == "canned"
    page.keyboard.press("ArrowDown")  # the canned reply fills the explanation
    assert page.input_value("#reject_note") == "Looks like resin to us."
    page.keyboard.press("Tab")
    assert focused(page, "document.activeElement.name") == "note"
    # Typing in a field never fires a shortcut.
    page.keyboard.type(" Not ivory.")
    assert page.input_value("#reject_note") == "Looks like resin to us. Not ivory."
    assert page.url.endswith(f"/review/{older.reference}/?group=keys-group")
    page.keyboard.press("Tab")
    page.once("dialog", lambda dialog: dialog.accept())  # "are you sure?" (app.js)
    page.keyboard.press("Enter")

    # The next report of the queue opens, with what was done.
    page.wait_for_url(f"**/review/{newer.reference}/?group=keys-group")
    page.wait_for_selector(f"text={older.reference} rejected.")
    rejected = Report.objects.get(pk=older.pk)
    assert rejected.status == ReportStatus.REJECTED
    assert rejected.expert_note == "Looks like resin to us. Not ivory."

    # n: nothing else waits (the one here is skipped) → back to the queue.
    page.keyboard.press("n")
    page.wait_for_selector("text=Nothing else is waiting in this queue.")
    assert page.url.endswith("/review/?group=keys-group")


def test_screenshot_opens_full_size_and_esc_closes(live_server, page, queue_world):
    expert, older, _newer = queue_world
    base = live_server.url
    login(page, base, expert.email)
    page.goto(f"{base}/review/{older.reference}/")
    page.focus("a[data-zoom]")
    page.keyboard.press("Enter")
    dialog = page.locator("#evidence-zoom")
    assert dialog.evaluate("d => d.open")
    page.wait_for_function("document.querySelector('#evidence-zoom img').naturalWidth > 0")
    assert focused(page, "document.activeElement.dataset.zoomToggle") == ""
    page.keyboard.press("Enter")  # zoom to the real size
    assert dialog.locator(".zoom-frame.zoomed").count() == 1
    assert focused(page, "document.activeElement.getAttribute('aria-pressed')") == "true"
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert focused(page, "document.activeElement.hasAttribute('data-zoom')")
