"""axe-core and phone width over the round pages (admin and volunteer), before they join the
project-wide axe world at merge: no serious or critical violation, nothing scrolls sideways."""

import pytest

from rounds import services
from spotter.models import Role
from tests import factories
from tests.a11y.browser import BLOCKING, login, new_context, run_axe

from .conftest import make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_round_pages_are_accessible_at_both_widths(live_server, browser):
    base = live_server.url
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    admin = factories.make_user(Role.ADMIN, email="admin@example.org")
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")
    expert = factories.make_user(Role.EXPERT)
    round = make_round(admin, title="Pangolin week", briefing="Look for **scales**.")
    team = services.create_team(actor=admin, round=round, name="Team Pangolin")
    participant = services.join(volunteer=volunteer, round=round)
    services.assign_team(actor=admin, participant=participant, team=team)
    factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    factories.make_report(volunteer)
    slug = round.slug
    pages = {
        admin.email: [
            "/rounds/",
            "/rounds/new/",
            f"/rounds/{slug}/",
            f"/rounds/{slug}/edit/",
            f"/rounds/{slug}/invite/",
            f"/rounds/{slug}/teams/",
            f"/rounds/{slug}/report/",
        ],
        volunteer.email: [
            "/rounds/",
            f"/rounds/{slug}/",
            f"/rounds/{slug}/report/",
            "/reports/mine/",
        ],
    }
    problems = []
    for width in (1366, 390):
        for email, paths in pages.items():
            context = new_context(browser, width)
            page = context.new_page()
            page.set_default_timeout(15_000)
            login(page, base, email)
            for path in paths:
                page.goto(base + path)
                for violation in run_axe(page):
                    if violation["impact"] in BLOCKING:
                        problems.append((width, path, violation["id"], violation["targets"]))
                sideways = page.evaluate(
                    "document.scrollingElement.scrollWidth - window.innerWidth"
                )
                if sideways > 1:
                    problems.append((width, path, "scrolls sideways", sideways))
            context.close()
    assert problems == []
