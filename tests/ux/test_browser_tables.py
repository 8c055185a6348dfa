"""At a common laptop width (1366 px) no dashboard table is cut off: the page does not grow
wider than the window, every table scrolls inside its own box, and the box takes focus."""

import pytest

from reports import services
from spotter.models import Role
from tests import factories
from tests.quality.conftest import decide
from tests.quality.test_browser_dashboard import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_tables_fit_at_1366(live_server, page):
    company = factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    expert = factories.make_user(Role.EXPERT)
    volunteer = factories.make_user(Role.VOLUNTEER, country="US")
    for i in range(3):
        report = decide(factories.make_report(volunteer), expert)
        services.record_outcome(report=report, staff=staff, outcome="removed", note="Taken down")
    admin = factories.make_user(Role.ADMIN, email="boss@example.org")
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-weekly")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
    )
    assert max(widths[:2]) <= widths[2], widths
    overflow = page.evaluate(
        """() => {
            const edge = document.querySelector('main').getBoundingClientRect().right;
            return [...document.querySelectorAll('.table-wrap')]
                .filter(w => w.getBoundingClientRect().right > edge + 1).length;
        }"""
    )
    assert overflow == 0
    page.focus(".table-wrap")
    assert page.evaluate("() => document.activeElement.classList.contains('table-wrap')")
