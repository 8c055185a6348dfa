"""Volunteer accuracy with intervals, its trend and breakdowns, calibration, lead spotter."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from quality.personal import personal_dashboard
from quality.selectors import VolunteerData, lead_spotter_offer, volunteer_accuracy
from quality.stats import AccuracyEstimate
from reports import services
from spotter.models import AuditEvent, Role
from tests import factories

from .conftest import backdate, decide, elephant

pytestmark = pytest.mark.django_db


def test_my_accuracy_counts_each_decided_report_once_with_its_interval(
    client_for, volunteer, expert, company
):
    for _ in range(3):
        decide(factories.make_report(volunteer), expert)
    decide(factories.make_report(volunteer), expert, "rejected", note="resin replica")
    factories.make_report(volunteer)  # pending: not counted
    open_report = factories.make_report(volunteer)
    factories.make_report(volunteer, url=open_report.listing_url)  # duplicate: not counted
    services.withdraw_report(report=open_report, volunteer=volunteer)  # withdrawn: not counted
    needs_info = factories.make_report(volunteer)
    services.claim_report(report=needs_info, expert=expert)
    services.request_info(report=needs_info, expert=expert, message="Species?")  # not yet

    page = client_for(volunteer).get(reverse("quality:accuracy"))
    assert page.status_code == 200
    expected = AccuracyEstimate(3, 1)
    assert volunteer_accuracy(volunteer) == expected
    html = page.content.decode()
    assert '<span class="num" data-testid="accuracy">75%</span>' in html
    assert expected.ci_text in html  # "95% CI 30–95%"
    assert "resin replica" in html and "Not a wildlife product" in html
    assert "ShopCo" in html  # by platform
    assert "Pangolins" in html  # by species group


def test_programme_accuracy_weights_each_report_once(client_for, admin_user, expert, company):
    careful = factories.make_user(Role.VOLUNTEER, country="US")
    busy = factories.make_user(Role.VOLUNTEER, country="US")
    decide(factories.make_report(careful), expert)
    decide(factories.make_report(busy), expert)
    decide(factories.make_report(busy), expert, "rejected")
    decide(factories.make_report(busy), expert, "rejected")
    page = client_for(admin_user).get(reverse("quality:dashboard"))
    html = page.content.decode()
    # 2 confirmed of 4 decided reports: 50%, not the mean of 100% and 33%.
    assert '<span class="num" data-testid="accuracy">50%</span>' in html
    assert AccuracyEstimate(2, 2).sentence("US volunteers") in html


def test_rolling_90_days_and_trend(volunteer, expert, company):
    old = factories.make_report(volunteer)
    decide(old, expert, "rejected")
    backdate(old, days=120)
    recent = factories.make_report(volunteer)
    decide(recent, expert)
    backdate(recent, days=10)
    decide(factories.make_report(volunteer), expert)

    context = personal_dashboard(volunteer)
    assert context["accuracy"] == AccuracyEstimate(2, 1)
    assert context["rolling"] == AccuracyEstimate(2, 0)
    weekly = {p.start: p.accuracy for p in context["weekly"]}
    today = date.today()
    this_week = today - timedelta(days=today.weekday())
    assert weekly[this_week] == AccuracyEstimate(1, 0)
    ten_days_ago = today - timedelta(days=10)
    assert weekly[ten_days_ago - timedelta(days=ten_days_ago.weekday())] == AccuracyEstimate(1, 0)
    monthly = {p.start: p.accuracy for p in context["monthly"]}
    assert sum((a for a in monthly.values()), AccuracyEstimate(0, 0)) == AccuracyEstimate(2, 1)


def test_breakdowns_by_group_platform_and_language(volunteer, expert, company, other_company):
    decide(factories.make_report(volunteer, listing_language="en"), expert)
    decide(
        factories.make_report(volunteer, url="https://other-market.com/2", listing_language="zh"),
        expert,
        "rejected",
    )
    decide(factories.make_report(volunteer, species=elephant()), expert)
    context = personal_dashboard(volunteer)
    assert dict(context["groups"]) == {
        "Pangolins": AccuracyEstimate(1, 1),
        "Elephants": AccuracyEstimate(1, 0),
    }
    assert dict(context["platforms"]) == {
        "ShopCo": AccuracyEstimate(2, 0),
        "OtherMarket": AccuracyEstimate(0, 1),
    }
    assert dict(context["languages"]) == {
        "en": AccuracyEstimate(1, 0),
        "zh": AccuracyEstimate(0, 1),
        "unspecified": AccuracyEstimate(1, 0),
    }


def make_practice_answer(user, report, correct: bool):
    from training.models import AttemptAnswer, Choice, Module, Question, QuizAttempt

    module, _ = Module.objects.get_or_create(slug="calibration", defaults={"title": "Practice"})
    question = Question.objects.create(module=module, prompt="Prohibited?", source_report=report)
    right = Choice.objects.create(question=question, text="yes", is_correct=True)
    wrong = Choice.objects.create(question=question, text="no", is_correct=False)
    attempt = QuizAttempt.objects.create(user=user, module=module, submitted_at=report.decided_at)
    AttemptAnswer.objects.create(
        attempt=attempt, question=question, choice=right if correct else wrong, is_correct=correct
    )


def test_calibration_is_separate_from_field_accuracy(client_for, volunteer, expert, company):
    decide(factories.make_report(volunteer), expert)
    other = factories.make_user(Role.VOLUNTEER)
    cases = [decide(factories.make_report(other), expert) for _ in range(4)]
    for case, correct in zip(cases, (True, True, True, False), strict=True):
        make_practice_answer(volunteer, case, correct)
    own = decide(factories.make_report(volunteer), expert)
    make_practice_answer(volunteer, own, False)  # their own case: left out

    page = client_for(volunteer).get(reverse("quality:accuracy")).content.decode()
    assert '<span class="num" data-testid="accuracy">100%</span>' in page
    assert '<span class="num" data-testid="calibration">75%</span>' in page
    assert volunteer_accuracy(volunteer) == AccuracyEstimate(2, 0)


def test_lead_spotter_rule_with_default_thresholds():
    today = date(2026, 3, 18)
    five_weeks_ago = today - timedelta(days=today.weekday()) - timedelta(weeks=5)

    def offer(confirmed, rejected, recent=0):
        weeks = [
            {
                "kind": "w",
                "start": today - timedelta(days=today.weekday()),
                "submitted": recent,
                "confirmed": recent,
                "rejected": 0,
            }
        ]
        weeks.append(
            {
                "kind": "w",
                "start": five_weeks_ago,
                "submitted": confirmed + rejected,
                "confirmed": confirmed - recent,
                "rejected": rejected,
            }
        )
        tally = {
            "dimension": "all",
            "value": "",
            "submitted": confirmed + rejected,
            "confirmed": confirmed,
            "rejected": rejected,
            "forwarded": 0,
            "removed": 0,
        }
        return lead_spotter_offer(None, VolunteerData(today, [tally], weeks))

    assert offer(35, 0).eligible  # lower bound 35/(35 + 1.96²) = 0.901 ≥ 0.90, for 4 weeks
    assert not offer(30, 0).eligible  # 30 of 30 still has a lower bound of 0.886
    assert offer(190, 10).eligible  # 95%, lower bound 0.910
    assert not offer(180, 20).eligible  # 90%, lower bound 0.852
    assert not offer(40, 0, recent=10).eligible  # 30/30 three weeks ago: not stable yet
    assert "at least 30" in offer(20, 0).reason


def test_lead_spotter_offer_and_accept(client_for, volunteer, expert, company, settings):
    settings.LEAD_SPOTTER_MIN_DECIDED = 5
    settings.LEAD_SPOTTER_MIN_LOWER_BOUND = 0.5
    settings.LEAD_SPOTTER_STABLE_WEEKS = 1
    client = client_for(volunteer)
    for _ in range(4):
        decide(factories.make_report(volunteer), expert)
    assert b'data-testid="lead-offer"' not in client.get(reverse("quality:accuracy")).content
    response = client.post(reverse("quality:accept_lead_spotter"), follow=True)
    assert b"at least 5 decided reports" in response.content
    volunteer.refresh_from_db()
    assert not volunteer.is_lead_spotter

    decide(factories.make_report(volunteer), expert)  # 5/5: lower bound 0.566
    assert b'data-testid="lead-offer"' in client.get(reverse("quality:accuracy")).content
    response = client.post(reverse("quality:accept_lead_spotter"), follow=True)
    assert b"Welcome, lead spotter" in response.content
    volunteer.refresh_from_db()
    assert volunteer.is_lead_spotter
    event = AuditEvent.objects.get(action="user.lead_spotter_accepted")
    assert event.actor == volunteer and event.data["decided"] == 5
    assert client.get(reverse("quality:accept_lead_spotter")).status_code == 405


def test_lead_spotter_accept_is_for_volunteers_only(client_for, expert):
    assert client_for(expert).post(reverse("quality:accept_lead_spotter")).status_code == 403
