"""At phone size (390 × 844): no page scrolls sideways, the decision box of the review page and
the action box of a notice start on the first screen, and a report's status and platform are
visible in My reports and the queue without scrolling sideways."""

import pytest

from tests.a11y.browser import artifacts_dir, login, new_context
from tests.a11y.world import EMAILS, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
PAGE_WIDTH = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
BOX_TOP = "s => document.querySelector(s).getBoundingClientRect().top"
# Cells (by the column's header text) that lie outside the window or outside their table box.
HIDDEN_CELLS = """headers => {
    const table = document.querySelector('.table-wrap table');
    const wrap = table.closest('.table-wrap').getBoundingClientRect();
    const ths = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    const out = [];
    for (const header of headers) {
        const index = ths.indexOf(header);
        if (index < 0) { out.push(header + ': no such column'); continue; }
        for (const row of table.querySelectorAll('tbody tr')) {
            const r = row.children[index].getBoundingClientRect();
            const edge = Math.min(window.innerWidth, wrap.right) + 1;
            if (r.width === 0 || r.left < 0 || r.right > edge)
                out.push(header + ': ' + Math.round(r.left) + '–' + Math.round(r.right));
        }
    }
    return out;
}"""


def test_phone_layout(live_server, browser):
    base = live_server.url
    world = build_world()
    checks = {
        "volunteer": [
            ("/reports/new/", None, None),
            ("/reports/mine/", None, ("Platform", "Status")),
        ],
        "expert": [
            ("/review/", None, ("Platform", "Status")),
            (f"/review/{world.refs['claimed']}/", "section.actions", None),
        ],
        "staff": [
            (f"/company/reports/{world.refs['forwarded']}/", "section.actions", None),
        ],
    }
    problems, out = [], artifacts_dir()
    for role, pages in checks.items():
        context = new_context(browser, width=WIDTH)
        page = context.new_page()
        login(page, base, EMAILS[role])
        for path, box, columns in pages:
            page.goto(f"{base}{path}")
            slug = "-".join(path.strip("/").split("/")[:2])
            page.screenshot(path=str(out / f"phone-{role}-{slug}.png"), full_page=True)
            scroll_width, inner = page.evaluate(PAGE_WIDTH)
            if scroll_width > inner:
                problems.append(f"{path}: page {scroll_width}px wide in a {inner}px window")
            if box:
                top = page.evaluate(BOX_TOP, box)
                if top >= HEIGHT:
                    problems.append(f"{path}: {box} starts at {top:.0f}px, below the first screen")
            if columns:
                hidden = page.evaluate(HIDDEN_CELLS, list(columns))
                problems += [f"{path}: {cell}" for cell in hidden]
        context.close()
    assert not problems, "\n".join(problems)
