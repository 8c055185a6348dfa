"""End to end: forwarded → outcome "removed" → checks at 24 h / 72 h through the proxy →
discrepancy flagged to the company and the admins, on the timeline, the review page, the admin
page, the transparency report and the dashboard; relistings; the switch."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from quality.transparency import build_report
from rechecks import selectors, services, tasks
from rechecks.classify import Verdict
from rechecks.fetch import Fetched
from rechecks.models import CheckStatus, FlagKind, ListingCheck, TakedownFlag
from reports import services as report_services
from reports.models import Outcome, Report
from reports.timeline import timeline_for
from tests import factories

from .conftest import SHOP_HOST
from .servers import page

pytestmark = pytest.mark.django_db

LIVE = "An independent check found the listing still online."
DISCREPANCY = "Outcome discrepancy: the platform said the listing was gone"


def _forwarded(platform, company, expert, path="/itm/1"):
    report = factories.make_confirmed_report(expert=expert, url=platform.url(path, host=SHOP_HOST))
    report.refresh_from_db()
    assert report.company_id == company.pk and report.forwarded_at is not None
    return report


def _time_passes(report, hours):
    Report.objects.filter(pk=report.pk).update(
        outcome_at=F("outcome_at") - timedelta(hours=hours),
        forwarded_at=F("forwarded_at") - timedelta(hours=hours),
    )
    ListingCheck.objects.filter(report=report).update(due_at=F("due_at") - timedelta(hours=hours))
    report.refresh_from_db()


def test_company_said_removed_but_still_live_at_72_hours(
    egress, proxy, company, staff, expert, admin_user, client_for
):
    egress.html("/itm/1", page("ebay_live_en.html"))
    report = _forwarded(egress, company, expert)
    checks = ListingCheck.objects.filter(report=report)
    assert sorted(checks.values_list("stage_hours", flat=True)) == [24, 72, 168]
    assert all(c.due_at == report.forwarded_at + timedelta(hours=c.stage_hours) for c in checks)

    report_services.record_outcome(report=report, staff=staff, outcome=Outcome.REMOVED)
    report.refresh_from_db()
    # The clock restarts at the outcome.
    checks = ListingCheck.objects.filter(report=report)
    assert all(c.due_at == report.outcome_at + timedelta(hours=c.stage_hours) for c in checks)

    _time_passes(report, 80)
    assert tasks.run_due_checks() == 2  # 24 h and 72 h are due, 7 days is not
    by_stage = {c.stage_hours: c for c in ListingCheck.objects.filter(report=report)}
    assert by_stage[24].status == CheckStatus.LIVE
    assert by_stage[24].http_status == 200 and by_stage[24].rule == "http:200"
    assert by_stage[24].final_url == egress.url("/itm/1", host=SHOP_HOST)
    assert len(by_stage[24].content_sha256) == 64
    assert by_stage[24].snapshot.startswith("Antique carved bangle")
    # The same domain a moment later: the rate limit puts the 72 h check back.
    assert by_stage[72].status == CheckStatus.PENDING and by_stage[72].deferrals == 1
    assert not TakedownFlag.objects.exists()  # live at 24 h is not yet a discrepancy
    assert proxy.targets == [f"127.0.0.1:{egress.port}"]

    cache.clear()  # the interval has passed
    ListingCheck.objects.filter(pk=by_stage[72].pk).update(due_at=timezone.now())
    assert tasks.run_due_checks() == 1
    assert tasks.run_due_checks() == 0
    flag = TakedownFlag.objects.get()
    assert (flag.kind, flag.report_id, flag.company_id) == (
        FlagKind.DISCREPANCY,
        report.pk,
        company.pk,
    )
    assert flag.listing_check.stage_hours == 72

    told = Notification.objects.filter(kind=Kind.OUTCOME_DISCREPANCY, report=report)
    assert set(told.values_list("user_id", flat=True)) == {staff.pk, admin_user.pk}
    assert selectors.discrepancy_counts() == {company.pk: 1}

    expert_sentences = [e.sentence for e in timeline_for(report, expert)]
    assert expert_sentences.count(LIVE) == 2
    assert any(s.startswith(DISCREPANCY) for s in expert_sentences)
    staff_sentences = [e.sentence for e in timeline_for(report, staff)]
    assert LIVE not in staff_sentences
    assert any(s.startswith(DISCREPANCY) for s in staff_sentences)

    review = client_for(expert).get(reverse("reports:review", args=[report.reference]))
    body = review.content.decode()
    assert "Independent takedown checks" in body and "http:200" in body
    assert by_stage[24].content_sha256 in body

    overview = client_for(admin_user).get(reverse("rechecks:overview")).content.decode()
    assert report.reference in overview and company.name in overview

    year = report.outcome_at.year
    platforms = {row.label: row for row in build_report(year).tables()[1].rows}
    assert platforms[company.name].outcome_discrepancies == 1
    assert build_report(year).total.discrepancies == 1

    dashboard = client_for(admin_user).get(reverse("quality:dashboard")).content.decode()
    assert "Outcome discrepancies" in dashboard


def test_removed_listing_is_recorded_and_no_discrepancy(egress, company, staff, expert):
    egress.html("/itm/2", page("ebay_ended_en.html"))
    report = _forwarded(egress, company, expert, "/itm/2")
    report_services.record_outcome(report=report, staff=staff, outcome=Outcome.REMOVED)
    _time_passes(report, 30)
    assert tasks.run_due_checks() == 1
    check = ListingCheck.objects.get(report=report, stage_hours=24)
    assert (check.status, check.rule) == (CheckStatus.REMOVED, "ebay:removed:ended-en")
    assert "This listing was ended" in check.snapshot
    assert not TakedownFlag.objects.exists()


def test_a_removed_listing_live_again_is_relisted(egress, company, staff, expert):
    report = _forwarded(egress, company, expert, "/itm/3")
    report_services.record_outcome(report=report, staff=staff, outcome=Outcome.ALREADY_GONE)
    first, second = ListingCheck.objects.filter(report=report).order_by("stage_hours")[:2]
    url = report.listing_url
    services.record_check(
        check_id=first.pk,
        fetched=Fetched(url=url, final_url=url, http_status=404),
        verdict=Verdict(CheckStatus.REMOVED, "http:404"),
    )
    services.record_check(
        check_id=second.pk,
        fetched=Fetched(url=url, final_url=url, http_status=200, body=b"<p>on sale</p>"),
        verdict=Verdict(CheckStatus.LIVE, "http:200", "on sale"),
    )
    kinds = set(TakedownFlag.objects.filter(report=report).values_list("kind", flat=True))
    # Live again after a removal; and live at the 72 h check after "already gone".
    assert kinds == {FlagKind.RELISTED, FlagKind.DISCREPANCY}
    # Recording the same check again changes nothing.
    assert (
        services.record_check(
            check_id=second.pk,
            fetched=Fetched(url=url, final_url=url, http_status=404),
            verdict=Verdict(CheckStatus.REMOVED, "http:404"),
        )
        is None
    )


def test_a_new_report_of_a_removed_listing_is_linked(egress, company, staff, expert, client_for):
    old = _forwarded(egress, company, expert, "/itm/4")
    report_services.record_outcome(report=old, staff=staff, outcome=Outcome.REMOVED)
    new = factories.make_report(url=old.listing_url)
    assert new.listing_key == old.listing_key
    flag = TakedownFlag.objects.get(report=new)
    assert (flag.kind, flag.related_report_id) == (FlagKind.RELISTED, old.pk)
    # Shown to experts on both reports; the old report is not reopened.
    old.refresh_from_db()
    assert old.status == "closed"
    page_new = client_for(expert).get(reverse("reports:review", args=[new.reference]))
    assert old.reference in page_new.content.decode()
    page_old = client_for(expert).get(reverse("reports:review", args=[old.reference]))
    assert new.reference in page_old.content.decode()


def test_switched_off_without_a_proxy(settings, company, staff, expert, admin_user, client_for):
    settings.RECHECK_PROXY_URL = ""
    report = factories.make_confirmed_report(
        expert=expert, url="https://www.example-shop.com/itm/5"
    )
    report_services.record_outcome(report=report, staff=staff, outcome=Outcome.REMOVED)
    assert not ListingCheck.objects.exists()
    ListingCheck.objects.create(report=report, stage_hours=24, due_at=timezone.now())
    assert tasks.run_due_checks() == 0
    assert ListingCheck.objects.get().status == CheckStatus.PENDING
    overview = client_for(admin_user).get(reverse("rechecks:overview")).content.decode()
    assert "Switched off." in overview and "RECHECK_PROXY_URL" in overview
    about = client_for(admin_user).get(reverse("rechecks:about")).content.decode()
    assert "currently switched off" in about


def test_overview_queries_do_not_grow_with_flags(
    company, admin_user, client_for, django_assert_max_num_queries
):
    def add_flags(n):
        for _ in range(n):
            report = factories.make_report(url=f"https://www.example-shop.com/itm/{_next()}")
            services_flag(report)

    add_flags(2)
    client = client_for(admin_user)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("rechecks:overview"))
    add_flags(6)
    with django_assert_max_num_queries(len(small)):
        assert client.get(reverse("rechecks:overview")).status_code == 200


_counter = iter(range(10_000, 99_999))


def _next():
    return next(_counter)


def services_flag(report):
    from django.db import transaction

    with transaction.atomic():
        services.raise_flag(kind=FlagKind.DISCREPANCY, report=report)
        services.raise_flag(kind=FlagKind.RELISTED, report=report, dedupe=f"r:{report.pk}")
