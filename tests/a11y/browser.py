"""Helpers of the browser accessibility tests: the vendored axe-core, the artefacts directory,
signing in and choosing the interface language in a Playwright context."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings

from tests import factories

AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
LANGUAGES = ("en", "fr", "zh-hans")
WIDTHS = (1366, 390)
HEIGHTS = {1366: 768, 390: 844}
BLOCKING = frozenset({"serious", "critical"})


def artifacts_dir() -> Path:
    """Where screenshots and axe summaries go (CI keeps them): $ARTIFACTS_DIR or artifacts/."""
    path = Path(os.environ.get("ARTIFACTS_DIR") or settings.BASE_DIR / "artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def set_language(context, base: str, language: str) -> None:
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def new_context(browser, width: int = WIDTHS[0], **options):
    """A context whose every page gets axe-core as an init script: injected through the DevTools
    protocol (so the site's CSP stays in force) and parsed once per navigation, not evaluated
    again from Python each time."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]}, **options)
    context.add_init_script(path=str(AXE_JS))
    return context


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page, each reduced to rule id, impact, help and targets."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [", ".join(map(str, node["target"])) for node in v["nodes"]][:10],
        }
        for v in result["violations"]
    ]


def write_json(name: str, data) -> Path:
    path = artifacts_dir() / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path
