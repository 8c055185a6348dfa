"""Dashboards: every chart's CSV reconciles with a plain count of the reports table."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quality.rollups import refresh, sync
from quality.stats import bucket_bounds, hours_bucket
from reports import services
from reports.models import Report, ReportStatus
from spotter.models import Role
from tests import factories

from .conftest import backdate, decide, elephant

pytestmark = pytest.mark.django_db

CHARTS = ["headline", "weekly", "funnel", "regions", "groups", "companies", "languages"]


@pytest.fixture
def dataset(company, other_company):
    """Reports in two regions, two species groups, two platforms plus a non-member one, in
    this month and in earlier months, in every state."""
    expert = factories.make_user(Role.EXPERT)
    us = [factories.make_user(Role.VOLUNTEER, country="US") for _ in range(2)]
    fr = factories.make_user(Role.VOLUNTEER, country="FR")
    staff = factories.make_user(Role.COMPANY_STAFF, company=company)
    other_staff = factories.make_user(Role.COMPANY_STAFF, company=other_company)
    ivory = elephant()
    made = []

    def report(volunteer, **kwargs):
        item = factories.make_report(volunteer, **kwargs)
        made.append(item)
        return item

    for i, volunteer in enumerate([*us, fr, us[0], fr, us[1]]):
        r = report(volunteer, listing_language=["en", "fr", "zh"][i % 3])
        decide(r, expert)
        services.record_outcome(report=r, staff=staff, outcome=["removed", "already_gone"][i % 2])
    for volunteer in (us[0], fr):
        decide(report(volunteer, species=ivory), expert, "rejected")
    r = report(fr, url="https://other-market.com/a", species=ivory)
    decide(r, expert)
    services.record_outcome(report=r, staff=other_staff, outcome="removed")
    decide(report(us[1], url="https://other-market.com/b"), expert)  # open notice
    decide(report(us[0], url="https://nonmember.example.net/c"), expert)  # confirmed only
    report(fr)  # pending
    dup_of = report(us[0])
    factories.make_report(us[1], url=dup_of.listing_url)  # duplicate
    withdrawn = report(fr)
    services.withdraw_report(report=withdrawn, volunteer=fr)
    made = [Report.objects.get(pk=r.pk) for r in made]
    for hours, r in zip((3, 20, 50, 7.5, 130, 2), made, strict=False):
        # Realistic, different times to act (the services ran a few milliseconds apart).
        Report.objects.filter(pk=r.pk).update(outcome_at=r.forwarded_at + timedelta(hours=hours))
        sync(r.pk)
    for r, days in zip(made[:4], (35, 70, 35, 400), strict=True):
        backdate(r, days)
    overdue = made[-5]  # the open notice on other-market.com
    Report.objects.filter(pk=overdue.pk).update(act_due_at=datetime(2000, 1, 1, tzinfo=UTC))
    refresh()  # the counters' backlog, as a dashboard page drains it before reading
    return {"staff": staff, "other_staff": other_staff, "company": company}


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def month_range(first, last):
    return (
        datetime(first.year, first.month, 1, tzinfo=UTC),
        datetime(last.year + (last.month == 12), last.month % 12 + 1, 1, tzinfo=UTC),
    )


def raw_reports(params):
    """The reports the dashboard should count, straight from the reports table."""
    today = datetime.now(UTC).date()
    end = params.get("end") or today.strftime("%Y-%m")
    if "start" in params:
        start = params["start"]
    else:
        months = int(end[:4]) * 12 + int(end[5:]) - 1 - 11
        start = f"{months // 12:04d}-{months % 12 + 1:02d}"
    low, high = month_range(
        datetime.strptime(start, "%Y-%m").date(), datetime.strptime(end, "%Y-%m").date()
    )
    qs = Report.objects.filter(submitted_at__gte=low, submitted_at__lt=high)
    if params.get("region"):
        qs = qs.filter(volunteer__country=params["region"])
    if params.get("group"):
        qs = qs.filter(species__group__slug=params["group"])
    if params.get("company"):
        qs = qs.filter(company__slug=params["company"])
    return qs.exclude(status=ReportStatus.DUPLICATE)


FILTERS = [
    {},
    {"region": "US"},
    {"group": "elephants"},
    {"company": "shopco"},
    {"region": "FR", "group": "pangolins"},
    {"start": "2010-01", "end": datetime.now(UTC).strftime("%Y-%m")},
]


@pytest.mark.parametrize("params", FILTERS)
def test_every_chart_reconciles_with_raw_reports(client_for, admin_user, dataset, params):
    client = client_for(admin_user)
    page = client.get(reverse("quality:dashboard"), params)
    assert page.status_code == 200
    raw = raw_reports(params)
    live = raw.exclude(status=ReportStatus.WITHDRAWN)

    data = {
        name: csv_rows(client.get(reverse("quality:chart_csv", args=[name]), params))
        for name in CHARTS
    }
    headline = {row["figure"]: row["value"] for row in data["headline"]}
    assert int(headline["reports_submitted"]) == live.count()
    assert int(headline["reports_confirmed"]) == live.filter(verdict="confirmed").count()
    assert int(headline["reports_rejected"]) == live.filter(verdict="rejected").count()
    assert int(headline["reports_forwarded"]) == live.exclude(forwarded_at=None).count()
    assert int(headline["reports_removed"]) == live.filter(outcome="removed").count()
    assert int(headline["volunteers_active"]) == (
        live.values("volunteer").distinct().count()
        if "group" not in params and "company" not in params
        else int(headline["volunteers_active"])
    )

    funnel = {row["stage"]: int(row["reports"]) for row in data["funnel"]}
    assert funnel == {
        "submitted": live.count(),
        "confirmed": live.filter(verdict="confirmed").count(),
        "forwarded": live.exclude(forwarded_at=None).count(),
        "removed": live.filter(outcome="removed").count(),
    }

    weekly_total = sum(int(row["total"]) for row in data["weekly"])
    assert weekly_total == raw.count()  # withdrawn reports are shown in their own colour
    for row in data["weekly"]:
        kind = "week_start" if "week_start" in row else "month_start"
        start = datetime.fromisoformat(row[kind]).replace(tzinfo=UTC)
        end = start + timedelta(weeks=1) if kind == "week_start" else month_range(start, start)[1]
        in_period = raw.filter(submitted_at__gte=start, submitted_at__lt=end)
        assert int(row["total"]) == in_period.count()
        assert int(row["removed"]) == in_period.filter(outcome="removed").count()
        assert int(row["rejected"]) == in_period.filter(status="rejected").count()

    for row in data["regions"]:
        region = live.filter(volunteer__country=row["region"])
        assert int(row["confirmed"]) == region.filter(verdict="confirmed").count()
        assert int(row["decided"]) == region.exclude(verdict="").count()
    assert sum(int(r["decided"]) for r in data["regions"]) == live.exclude(verdict="").count()

    for row in data["groups"]:
        group = live.filter(species__group__name=row["species_group"])
        assert int(row["submitted"]) == group.count()
        assert int(row["confirmed"]) == group.filter(verdict="confirmed").count()

    for row in data["companies"]:
        on = live.filter(company__name=row["platform"])
        assert int(row["forwarded"]) == on.exclude(forwarded_at=None).count()
        assert int(row["removed"]) == on.filter(outcome="removed").count()
        assert int(row["open"]) == on.filter(status__in=["forwarded", "acknowledged"]).count()
        durations = [
            (r.outcome_at - r.forwarded_at).total_seconds() / 3600
            for r in on.exclude(outcome_at=None)
        ]
        if durations:
            # Approximate median: in the same 19%-wide bucket as the true one (odd n), and
            # never outside the buckets of the extremes.
            median = float(row["median_hours_to_act"])
            assert bucket_bounds(hours_bucket(min(durations)))[0] <= median
            assert median <= bucket_bounds(hours_bucket(max(durations)))[1]
            if len(durations) % 2:
                true_median = sorted(durations)[len(durations) // 2]
                assert hours_bucket(median) == hours_bucket(true_median)

    if not any(k in params for k in ("region", "group", "company")):
        for row in data["languages"]:
            language = "" if row["language"] == "unspecified" else row["language"]
            decided = live.filter(listing_language=language).exclude(verdict="")
            assert int(row["confirmed"]) + int(row["rejected"]) == decided.count()


@pytest.mark.parametrize("params", [{}, {"region": "FR"}, {"group": "elephants"}])
def test_last_90_days_reconciles_with_raw_reports(dataset, params):
    from quality.dashboard import Dashboard
    from quality.filters import Filters
    from quality.stats import AccuracyEstimate

    today = datetime.now(UTC).date()
    first = today - timedelta(days=89)
    group_id = (
        Report.objects.filter(species__group__slug=params.get("group", "-"))
        .values_list("species__group_id", flat=True)
        .first()
    )
    filters = Filters(
        start=today.replace(day=1),
        end=today.replace(day=1),
        country=params.get("region", ""),
        group_id=group_id,
    )
    raw = Report.objects.filter(
        submitted_at__gte=datetime(first.year, first.month, first.day, tzinfo=UTC)
    )
    if "region" in params:
        raw = raw.filter(volunteer__country=params["region"])
    if "group" in params:
        raw = raw.filter(species__group_id=group_id)
    expected = AccuracyEstimate(
        raw.filter(verdict="confirmed").count(), raw.filter(verdict="rejected").count()
    )
    assert expected.decided  # the dataset has decided reports in the window
    assert Dashboard(filters).rolling_accuracy == expected
    # Two filters at once: no day counters, so no 90-day figure rather than a wrong one.
    both = Filters(start=filters.start, end=filters.end, country="US", group_id=group_id or 0)
    assert Dashboard(both).rolling_accuracy is None


def test_region_filter_changes_charts_and_numbers(client_for, admin_user, dataset):
    client = client_for(admin_user)
    everyone = client.get(reverse("quality:dashboard")).content.decode()
    us_only = client.get(reverse("quality:dashboard"), {"region": "US"}).content.decode()
    for html, params in ((everyone, {}), (us_only, {"region": "US"})):
        live = raw_reports(params).exclude(status=ReportStatus.WITHDRAWN)
        assert f'data-testid="submitted">{live.count()}<' in html
    assert everyone.count("<rect") != us_only.count("<rect")  # the weekly chart changed
    sentences = us_only.split('data-testid="region-sentences">')[1].split("</ul>")[0]
    assert "US volunteers:" in sentences and "FR volunteers" not in sentences


def test_overdue_share_counts_open_notices_past_their_deadline(client_for, admin_user, dataset):
    rows = csv_rows(client_for(admin_user).get(reverse("quality:chart_csv", args=["companies"])))
    other = next(r for r in rows if r["platform"] == "OtherMarket")
    assert other["overdue_now"] == "1"
    assert float(other["share_overdue"]) == pytest.approx(1 / int(other["forwarded"]))


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2025-13"}, "start", "Use a month like 2025-03."),
        ({"end": "last week"}, "end", "Use a month like 2025-03."),
        ({"region": "USA"}, "region", "Use a two-letter country code"),
        ({"group": "dragons"}, "group", "Select a valid choice"),
        ({"company": "nope"}, "company", "Select a valid choice"),
        ({"start": "2026-05", "end": "2026-01"}, "start", "must not be after"),
        ({"start": "1990-01"}, "start", "Use a month like 2025-03."),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(client_for, admin_user, db, params, field, message):
    client = client_for(admin_user)
    page = client.get(reverse("quality:dashboard"), params)
    assert page.status_code == 400
    assert message in page.content.decode()
    csv_response = client.get(reverse("quality:chart_csv", args=["weekly"]), params)
    assert csv_response.status_code == 400


def test_company_dashboard_shows_only_its_own_notices(client_for, dataset):
    client = client_for(dataset["other_staff"])
    page = client.get(reverse("quality:company_dashboard"), {"company": "shopco"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "ShopCo" not in html
    assert 'data-testid="forwarded">2<' in html  # its two notices, not the programme's
    headline = {
        r["figure"]: r["value"]
        for r in csv_rows(client.get(reverse("quality:chart_csv", args=["headline"])))
    }
    assert headline["notices_received"] == "2" and headline["listings_removed"] == "1"
    assert "reports_rejected" not in headline
    groups = csv_rows(client.get(reverse("quality:chart_csv", args=["groups"])))
    assert set(groups[0]) == {"species_group", "notices", "removed"}
    assert sum(int(r["notices"]) for r in groups) == 2
    assert client.get(reverse("quality:chart_csv", args=["regions"])).status_code == 404
    assert client.get(reverse("quality:dashboard")).status_code == 403


@pytest.mark.parametrize("who", ["volunteer", "expert"])
def test_dashboards_are_not_for_volunteers_or_experts(client_for, who, volunteer, expert):
    client = client_for({"volunteer": volunteer, "expert": expert}[who])
    for name in ("quality:dashboard", "quality:company_dashboard", "quality:transparency"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("quality:chart_csv", args=["weekly"])).status_code == 403


def test_unknown_chart_is_404(client_for, admin_user, db):
    assert client_for(admin_user).get("/dashboard/csv/secrets.csv").status_code == 404


def test_csv_cells_cannot_start_a_formula(client_for, admin_user, volunteer, expert):
    factories.make_company(slug="evil", domains=("evil-shop.com",), name="=HYPERLINK(1)")
    decide(factories.make_report(volunteer, url="https://evil-shop.com/1"), expert)
    body = client_for(admin_user).get(reverse("quality:chart_csv", args=["companies"]))
    assert "'=HYPERLINK(1)" in body.content.decode()


def test_transparency_report_for_a_chosen_year(client_for, admin_user, dataset):
    client = client_for(admin_user)
    sent = Report.objects.exclude(forwarded_at=None)
    year = min(r.forwarded_at.year for r in sent)  # the report moved 400 days back
    in_year = sent.filter(forwarded_at__year=year)
    page = client.get(reverse("quality:transparency"), {"year": year})
    assert page.status_code == 200 and "Article 22" in page.content.decode()
    rows = csv_rows(client.get(reverse("quality:transparency"), {"year": year, "format": "csv"}))
    total = next(r for r in rows if r["section"] == "total")
    assert int(total["notices"]) == in_year.count()
    assert int(total["removed"]) == in_year.filter(outcome="removed").count()
    platforms = {r["label"]: int(r["notices"]) for r in rows if r["section"] == "platforms"}
    assert sum(platforms.values()) == in_year.count()
    products = {r["label"]: int(r["notices"]) for r in rows if r["section"] == "products"}
    assert sum(products.values()) == in_year.count()
    body = client.get(reverse("quality:transparency"), {"year": year, "format": "csv"})
    text = body.content.decode()
    for report in Report.objects.select_related("volunteer"):
        assert report.reference not in text and report.volunteer.email not in text
        assert report.volunteer.pseudonym not in text
    this_year = client.get(reverse("quality:transparency")).content.decode()
    assert str(datetime.now(UTC).year) in this_year


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1999", "Choose a year from 2000 to"),
        ("3000", "Choose a year from 2000 to"),
        ("twenty", "Enter a whole number."),
    ],
)
def test_transparency_bad_year_is_400(client_for, admin_user, db, year, message):
    page = client_for(admin_user).get(reverse("quality:transparency"), {"year": year})
    assert page.status_code == 400
    assert 'id="id_year-error"' in page.content.decode()
    assert message in page.content.decode()


def test_volunteers_table_and_csv(client_for, admin_user, dataset):
    client = client_for(admin_user)
    page = client.get(reverse("quality:volunteers"))
    assert page.status_code == 200 and b"95% CI" in page.content
    rows = csv_rows(client.get(reverse("quality:volunteers"), {"format": "csv"}))
    for row in rows:
        assert "@" not in row["pseudonym"]
    us = csv_rows(client.get(reverse("quality:volunteers"), {"format": "csv", "region": "US"}))
    assert {r["country"] for r in us} == {"US"}


def test_rendered_dashboard_is_reused_until_a_counter_changes(
    client_for, admin_user, volunteer, expert
):
    """The body is one cached fragment keyed by the counters' version (views/dashboards.py)."""
    client = client_for(admin_user)
    decide(factories.make_report(volunteer), expert)
    first = client.get(reverse("quality:dashboard")).content.decode()
    assert 'data-testid="confirmed">1<' in first
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(reverse("quality:dashboard")).content.decode()

    def body(page):  # the page's content, without the per-response CSRF tokens around it
        return page.split('class="filters card"')[1].split("</main>")[0]

    assert body(again) == body(first)
    assert not any(
        "quality_periodcount" in q["sql"] and "SUM" in q["sql"] for q in ctx.captured_queries
    )

    decide(factories.make_report(volunteer), expert)  # the next read drains it: a new version
    assert 'data-testid="confirmed">2<' in client.get(reverse("quality:dashboard")).content.decode()
