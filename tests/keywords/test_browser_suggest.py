"""Suggestions while typing, in Chromium: type, see the matched term, apply the product type and
narrow the species list — no page reload, no CSP violation, CSRF enforced by the live server."""

from __future__ import annotations

import pytest

from keywords.loader import load_keywords
from reports.models import ProductType, SpeciesGroup
from reports.reference import load_reference_data
from spotter.models import Role
from tests import factories
from tests.test_browser_loop import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(db):
    load_reference_data()
    load_keywords()


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def test_typing_chinese_title_suggests_and_applies(live_server, page, library):
    volunteer = factories.make_user(Role.VOLUNTEER, email="typist@example.org")
    ivory = ProductType.objects.get(slug="ivory-carving")
    elephants = SpeciesGroup.objects.get(slug="elephants")
    problems = watch_console(page)
    login(page, live_server.url, volunteer.email)
    page.goto(f"{live_server.url}/reports/new/")
    page.evaluate("window.__sameDocument = true")
    page.locator("#id_listing_title").press_sequentially("出售象牙手镯", delay=40)
    box = page.locator("#keyword-suggestions")
    box.locator("mark", has_text="象牙手镯").wait_for()
    assert elephants.name in box.inner_text()

    box.locator("button[data-keyword-product]").click()
    assert page.input_value("#id_product_type") == str(ivory.pk)
    box.locator(f"button[data-keyword-group='{elephants.name}']").click()
    visible = page.evaluate(
        "[...document.querySelectorAll('#id_species optgroup')]"
        ".filter(g => !g.hidden).map(g => g.label)"
    )
    assert visible == [elephants.name]
    assert page.evaluate("window.__sameDocument") is True  # no reload
    assert not [p for p in problems if "Content Security Policy" in p or "403" in p], problems


def test_typing_english_text_suggests_scales(live_server, page, library):
    volunteer = factories.make_user(Role.VOLUNTEER, email="typist2@example.org")
    scales = ProductType.objects.get(slug="scales")
    login(page, live_server.url, volunteer.email)
    page.goto(f"{live_server.url}/reports/new/")
    page.locator("#id_listing_text").press_sequentially("Selling pangolin scales", delay=20)
    box = page.locator("#keyword-suggestions")
    box.locator("mark", has_text="pangolin scales").wait_for()
    box.locator("button[data-keyword-product]").click()
    assert page.input_value("#id_product_type") == str(scales.pk)
