"""axe-core over the main pages of every role, in English, French and Chinese, at a laptop
(1366 px) and a phone (390 px) width: no serious or critical violation anywhere.

One browser, one live server, one sign-in per role; the language is the site's language cookie.
The summary (every violation, blocking or not) and a screenshot of each role's main page at both
widths are written to the artefacts directory (tests/a11y/browser.py)."""

import pytest

from tests.a11y.browser import (
    BLOCKING,
    HEIGHTS,
    LANGUAGES,
    WIDTHS,
    artifacts_dir,
    login,
    new_context,
    run_axe,
    set_language,
    write_json,
)
from tests.a11y.world import EMAILS, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_serious_axe_violations(live_server, browser):
    base = live_server.url
    world = build_world()
    out = artifacts_dir()
    summary, blocking = [], []
    for role, pages in world.pages.items():
        context = new_context(browser)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role in EMAILS:
            login(page, base, EMAILS[role])
        for language in LANGUAGES:
            set_language(context, base, language)
            for index, (name, path) in enumerate(pages):
                page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHTS[WIDTHS[0]]})
                response = page.goto(f"{base}{path}")
                assert response.ok, (role, name, response.status)
                assert page.evaluate("() => document.documentElement.lang") == language
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
                    violations = run_axe(page)
                    entry = {
                        "role": role,
                        "page": name,
                        "path": path,
                        "language": language,
                        "width": width,
                        "violations": violations,
                    }
                    summary.append(entry)
                    if any(v["impact"] in BLOCKING for v in violations):
                        blocking.append(entry)
                    if index == 0:
                        page.screenshot(path=str(out / f"{role}-{language}-{width}.png"))
        context.close()
    write_json("axe-summary.json", summary)
    assert not blocking, "\n".join(
        f"{e['role']} {e['page']} {e['language']} {e['width']}px: "
        + "; ".join(
            f"{v['id']} ({v['impact']}) {v['targets']}"
            for v in e["violations"]
            if v["impact"] in BLOCKING
        )
        for e in blocking
    )
