"""The dashboard in headless Chromium: filter by region, chart and CSV change together."""

import csv
import io
import re

import pytest
from django.conf import settings as django_settings

from reports import services
from spotter.models import Role
from tests import factories

from .conftest import decide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = django_settings.BASE_DIR / "test-artifacts"


def login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def chart_total(page) -> int:
    """Sum of the weekly chart's bars, read from their tooltips ("… · Removed: 3")."""
    titles = page.eval_on_selector_all(
        "#chart-weekly rect title", "nodes => nodes.map(n => n.textContent)"
    )
    return sum(int(re.search(r": (\d+)$", t).group(1)) for t in titles)


def csv_total(page) -> tuple[str, int]:
    href = page.get_attribute("a[data-csv=weekly]", "href")
    response = page.request.get(page.url.split("/dashboard/")[0] + href)
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    return href, sum(int(row["total"]) for row in rows)


def test_admin_filters_dashboard_by_region(live_server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    company = factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    expert = factories.make_user(Role.EXPERT)
    us = factories.make_user(Role.VOLUNTEER, country="US")
    fr = factories.make_user(Role.VOLUNTEER, country="FR")
    for i in range(5):
        report = decide(factories.make_report(us), expert, ("confirmed", "rejected")[i == 4])
        if i < 3:
            services.record_outcome(report=report, staff=staff, outcome="removed")
    for _ in range(3):
        decide(factories.make_report(fr), expert)
    factories.make_report(fr)
    admin = factories.make_user(Role.ADMIN, email="boss@example.org")

    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, base, admin.email)
    page.click("nav >> text=Dashboard")
    page.wait_for_selector("#chart-weekly")
    assert page.inner_text("[data-testid=submitted]") == "9"
    assert chart_total(page) == 9
    href, total = csv_total(page)
    assert total == 9 and "region" not in href
    assert page.locator("#chart-weekly > title").text_content().startswith("Reports per week")
    assert page.locator("#chart-weekly > desc").count() == 1

    page.select_option("#id_region", "US")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"region=US"))
    assert page.inner_text("[data-testid=submitted]") == "5"
    assert page.inner_text("[data-testid=accuracy]") == "80%"
    assert chart_total(page) == 5
    href, total = csv_total(page)
    assert "region=US" in href and total == 5
    assert "US volunteers: 80%" in page.inner_text("[data-testid=region-sentences]")
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    # Readable at phone width: nothing pushes the page wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#chart-weekly")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
    )
    assert max(widths[:2]) <= widths[2], widths
    chart_width = page.evaluate("() => document.querySelector('#chart-weekly').clientWidth")
    assert 250 <= chart_width <= 390
    page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors
