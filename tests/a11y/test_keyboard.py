"""The three main tasks with the keyboard alone (Tab, Shift+Tab, Enter, Space, typing), and a
visible focus indicator on every element the keyboard stops at:

- a volunteer flags a listing (the file chooser is opened with Space);
- an expert claims, then confirms a report;
- company staff record the outcome of a notice."""

import pytest

from reports.models import Report, ReportStatus
from tests import factories
from tests.a11y.browser import login, new_context
from tests.a11y.world import EMAILS, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_STATE = """() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = !!s.boxShadow && s.boxShadow !== 'none';
    const cls = typeof el.className === 'string' ? el.className.trim() : '';
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (cls ? '.' + cls.split(/\\s+/).join('.') : '');
    return {name, visible: outline || shadow};
}"""


class Keyboard:
    """Moves focus with Tab / Shift+Tab only and records any stop without a focus indicator."""

    def __init__(self, page):
        self.page = page
        self.invisible: list[str] = []

    def tab_to(self, selector: str, *, back: bool = False, limit: int = 80) -> None:
        key = "Shift+Tab" if back else "Tab"
        for _ in range(limit):
            self.page.keyboard.press(key)
            state = self.page.evaluate(FOCUS_STATE)
            if not state["visible"]:
                self.invisible.append(state["name"])
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} not reached with {key}")

    def choose(self, selector: str, label_start: str) -> None:
        """Pick an option of the focused <select> by typing (the browser's type-ahead)."""
        self.page.keyboard.type(label_start, delay=20)
        chosen = self.page.evaluate(
            "s => { const el = document.querySelector(s); "
            "return el.options[el.selectedIndex].text }",
            selector,
        )
        assert chosen.startswith(label_start), chosen


def start(browser, base, role):
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, base, EMAILS[role])
    return context, page, Keyboard(page)


def test_flag_review_and_notice_with_the_keyboard_only(live_server, browser, tmp_path):
    base = live_server.url
    world = build_world()
    shot = tmp_path / "listing.png"
    shot.write_bytes(factories.png_bytes(320, 200))

    # 1. The volunteer flags a listing.
    context, page, keys = start(browser, base, "volunteer")
    page.goto(f"{base}/reports/new/")
    keys.tab_to("#id_listing_url")
    page.keyboard.type("https://www.ebay.com/itm/777001")
    keys.tab_to("#id_listing_title")
    page.keyboard.type("XK-7001 62 g")
    keys.tab_to("#id_listing_url", back=True)  # Shift+Tab goes back in reading order
    keys.tab_to("#id_species")
    keys.choose("#id_species", "Chinese pangolin")
    keys.tab_to("#id_product_type")
    keys.choose("#id_product_type", "Scales")
    keys.tab_to("#id_screenshots")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(shot))
    keys.tab_to("form.report-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "submitted for expert review" in page.inner_text("main")
    report = Report.objects.get(listing_title="XK-7001 62 g")
    assert report.status == ReportStatus.SUBMITTED and report.evidence.count() == 1
    context.close()

    # 2. The expert claims and confirms a waiting report.
    context, page, keys = start(browser, base, "expert")
    page.goto(f"{base}/review/{world.refs['waiting']}/")
    keys.tab_to("form[action$='/claim/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    keys.tab_to("form[action$='/confirm/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Report.objects.get(reference=world.refs["waiting"]).status == ReportStatus.FORWARDED
    context.close()

    # 3. Company staff record the outcome of a notice.
    context, page, keys = start(browser, base, "staff")
    page.goto(f"{base}/company/reports/{world.refs['forwarded']}/")
    keys.tab_to("#id_outcome")
    keys.choose("#id_outcome", "Listing removed")
    keys.tab_to("form[action$='/outcome/'] button[type=submit]")
    page.once("dialog", lambda dialog: dialog.accept())  # app.js's confirmation
    with page.expect_navigation():
        page.keyboard.press("Enter")
    report = Report.objects.get(reference=world.refs["forwarded"])
    assert report.status == ReportStatus.CLOSED and report.outcome == "removed"
    context.close()

    assert not keys.invisible, keys.invisible
