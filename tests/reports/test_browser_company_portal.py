"""In Chromium, as company staff: the list shows time left and sorts by urgency, filters by
search and dates (a bad date is a form error), acknowledges selected notices in bulk, assigns a
notice to a colleague, and talks to the programme on the notice's thread."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import Report, ReportStatus
from spotter.models import Role
from tests import factories
from tests.test_browser_loop import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    company = factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    expert = factories.make_user(Role.EXPERT, email="expert@example.org", display_name="Erin X")
    staff = factories.make_user(Role.COMPANY_STAFF, company=company, email="staff@example.org")
    colleague = factories.make_user(
        Role.COMPANY_STAFF, company=company, email="col@example.org", display_name="Colette"
    )
    volunteer = factories.make_user(
        Role.VOLUNTEER, email="vol@example.org", display_name="Wanda Whistle"
    )
    reports = {}
    for title, hours in (("Tiger bone wine", 30), ("Ivory bangle", -50), ("Pangolin scales", 3)):
        report = factories.make_confirmed_report(
            volunteer=volunteer, expert=expert, listing_title=title
        )
        due = timezone.now() + timedelta(hours=hours)
        Report.objects.filter(pk=report.pk).update(ack_due_at=due, act_due_at=due)
        reports[title] = report
    return staff, colleague, volunteer, reports


def _rows(page):
    return page.eval_on_selector_all("tbody tr", "rows => rows.map(r => r.dataset.ref)")


def test_staff_work_the_portal(live_server, page):
    base = live_server.url
    staff, colleague, volunteer, reports = _world()
    ivory, pangolin, tiger = (
        reports["Ivory bangle"],
        reports["Pangolin scales"],
        reports["Tiger bone wine"],
    )
    login(page, base, staff.email)

    # Most urgent first, time left said plainly.
    page.goto(f"{base}/company/reports/")
    assert _rows(page) == [ivory.reference, pangolin.reference, tiger.reference]
    assert page.inner_text(f"tr[data-ref={ivory.reference}] .time-left") == "overdue by 2 d"
    assert page.inner_text(f"tr[data-ref={pangolin.reference}] .time-left") == "due in 2 h"

    # Search and a bad date.
    page.fill("#id_q", "tiger")
    page.click("[data-testid=portal-filters] button[type=submit]")
    page.wait_for_load_state()
    assert _rows(page) == [tiger.reference]
    page.goto(f"{base}/company/reports/?forwarded_from=2025-02-31")
    assert page.is_visible("#id_forwarded_from-error")

    # Select all new notices, acknowledge them in one go.
    page.goto(f"{base}/company/reports/")
    page.check("[data-select-all]")
    assert page.is_checked(f"input[value={tiger.reference}]")
    page.uncheck(f"input[value={tiger.reference}]")
    page.click("[data-testid=bulk-acknowledge]")
    page.wait_for_selector("text=2 notices acknowledged.")
    statuses = dict(Report.objects.values_list("reference", "status"))
    assert statuses[ivory.reference] == ReportStatus.ACKNOWLEDGED
    assert statuses[pangolin.reference] == ReportStatus.ACKNOWLEDGED
    assert statuses[tiger.reference] == ReportStatus.FORWARDED

    # Assign the tiger notice to a colleague, and ask the programme a question.
    page.goto(f"{base}/company/reports/{tiger.reference}/")
    page.select_option("#id_assignee", str(colleague.pk))
    page.click("[data-testid=assignment] button[type=submit]")
    page.wait_for_selector("text=Assigned to Colette.")
    page.fill("#id_body", "Is this wine really tiger bone?")
    page.click("[data-testid=notice-thread] button[type=submit]")
    page.wait_for_selector("text=Message posted.")
    assert page.inner_text("[data-testid=notice-thread] .author") == "you"
    logout(page, base)

    # The colleague finds it under "assigned to me"; the expert answers from the review page.
    login(page, base, colleague.email)
    page.goto(f"{base}/company/reports/")
    page.check("#id_mine")
    page.click("[data-testid=portal-filters] button[type=submit]")
    page.wait_for_load_state()
    assert _rows(page) == [tiger.reference]
    logout(page, base)
    login(page, base, "expert@example.org")
    page.goto(f"{base}/review/{tiger.reference}/")
    assert "Is this wine really tiger bone?" in page.inner_text("[data-testid=notice-thread]")
    page.fill("[data-testid=notice-thread] textarea", "Yes: the label shows it.")
    page.click("[data-testid=notice-thread] button[type=submit]")
    page.wait_for_selector("text=Message posted.")
    logout(page, base)

    # Staff see the answer from "Cyber Spotter expert", never the expert nor the volunteer.
    login(page, base, staff.email)
    page.goto(f"{base}/company/reports/{tiger.reference}/")
    thread = page.inner_text("[data-testid=notice-thread]")
    assert "Cyber Spotter expert" in thread and "Yes: the label shows it." in thread
    body = page.content()
    for secret in ("Erin X", "Wanda Whistle", "vol@example.org", volunteer.pseudonym):
        assert secret not in body
