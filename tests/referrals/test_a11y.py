"""axe-core and phone width over the referral pages (admin pages and the partner's form)."""

import pytest

from referrals import services
from referrals.notices import outcome_link
from spotter.models import Role
from tests import factories
from tests.a11y.browser import BLOCKING, HEIGHTS, WIDTHS, login, new_context, run_axe

from .helpers import make_partner, non_member_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_referral_pages_have_no_serious_axe_violation_and_fit_a_phone(live_server, browser):
    base = live_server.url
    admin = factories.make_user(Role.ADMIN, email="admin@example.org")
    make_partner(name="Wildlife Crime Watch — a partner with a rather long name", worldwide=True)
    report = non_member_report(location="Kunming, 中国")
    services.route_report(report_id=report.pk)  # already routed after the commit, here no-op
    referral = report.referrals.get()
    non_member_report(location="Lyon, France", domain="bazar.fr")
    make_partner(name="Late", jurisdictions=["VN"])  # leaves the French report unrouted
    pages = [
        "/referrals/",
        "/referrals/partners/",
        "/referrals/partners/new/",
        f"/referrals/partners/{referral.partner_id}/",
        f"/referrals/{referral.pk}/outcome/",
        "/referrals/no-route/",
        "/referrals/domains/",
        "/overview/",
    ]
    public = "/" + outcome_link(referral).split("/", 3)[3]
    problems = []
    for signed_in, paths in ((True, pages), (False, [public])):
        context = new_context(browser)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if signed_in:
            login(page, base, admin.email)
        for path in paths:
            assert page.goto(f"{base}{path}").ok, path
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
                blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
                if blocking:
                    problems.append(f"{path} {width}px: {blocking}")
                sideways = page.evaluate(
                    "document.scrollingElement.scrollWidth - window.innerWidth"
                )
                if sideways > 1:
                    problems.append(f"{path} {width}px scrolls sideways by {sideways}px")
            assert page.locator("h1").count() == 1, path
        context.close()
    assert not problems, "\n".join(problems)
