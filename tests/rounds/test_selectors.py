"""The one definition of a round's reports, and the figures computed from it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from keywords.models import Term
from keywords.services import propose_term
from reports import services as report_services
from reports.models import Report, ReportStatus
from rounds import selectors, services
from rounds.models import Enrolment
from rounds.selectors import Figures, Line
from spotter.models import Role
from spotter.stats import wilson_interval
from tests import factories

from .conftest import make_round, report_on

pytestmark = pytest.mark.django_db


def test_active_rounds_for_and_round_participants(round_admin, volunteer, other_volunteer):
    running = make_round(round_admin, title="Running")
    later = make_round(round_admin, title="Later", days_ago=-5)
    over = make_round(round_admin, title="Over", days_ago=40)
    services.join(volunteer=volunteer, round=running)
    services.join(volunteer=volunteer, round=later)
    services.join(volunteer=other_volunteer, round=running)
    services.leave(volunteer=other_volunteer, round=running)
    assert list(selectors.active_rounds_for(volunteer)) == [running]
    assert list(selectors.active_rounds_for(other_volunteer)) == []  # left
    assert list(selectors.active_rounds_for(round_admin)) == []
    assert set(selectors.active_rounds_for(volunteer, today=later.starts_on)) == {running, later}
    assert over not in selectors.active_rounds_for(volunteer, today=over.starts_on)
    assert [p.volunteer for p in selectors.round_participants(running)] == [volunteer]


def test_round_reports_is_the_participants_reports_inside_the_dates(
    round_admin, volunteer, other_volunteer, company
):
    round = make_round(round_admin, days_ago=10)
    outsider = factories.make_user(Role.VOLUNTEER)
    services.join(volunteer=volunteer, round=round)
    services.join(volunteer=other_volunteer, round=round)
    inside = report_on(volunteer, round.starts_on)
    last_day = report_on(volunteer, timezone.localdate())
    before = report_on(volunteer, round.starts_on - timedelta(days=1))
    not_in_round = report_on(outsider, round.starts_on)
    withdrawn = report_on(volunteer, round.starts_on + timedelta(days=1))
    report_services.withdraw_report(report=withdrawn, volunteer=volunteer)
    # other_volunteer: a report before leaving counts, one after does not.
    kept = report_on(other_volunteer, round.starts_on + timedelta(days=1))
    services.leave(volunteer=other_volunteer, round=round)
    after_leaving = factories.make_report(other_volunteer)
    ids = set(selectors.round_reports(round).values_list("pk", flat=True))
    assert ids == {inside.pk, last_day.pk, kept.pk}
    assert not {before.pk, not_in_round.pk, withdrawn.pk, after_leaving.pk} & ids


def test_focus_only_narrows_to_the_focus(round_admin, volunteer, company, other_company):
    pangolins = factories.get_species().group
    round = make_round(round_admin, species_groups=[pangolins], companies=[company])
    services.join(volunteer=volunteer, round=round)
    in_focus = factories.make_report(volunteer)  # pangolin scales on example-shop.com (company)
    other_platform = factories.make_report(volunteer, url="https://www.other-market.com/item/9")
    assert set(selectors.round_reports(round).values_list("pk", flat=True)) == {
        in_focus.pk,
        other_platform.pk,
    }
    assert list(selectors.round_reports(round, focus_only=True)) == [in_focus]
    round.focus_languages = ["vi"]
    assert list(selectors.round_reports(round, focus_only=True)) == []


def test_figures_count_confirmed_rejected_removed_and_share(
    round_admin, volunteer, other_volunteer, expert, staff
):
    round = make_round(round_admin)
    services.join(volunteer=volunteer, round=round)
    services.join(volunteer=other_volunteer, round=round)
    confirmed = [
        factories.make_confirmed_report(volunteer=volunteer, expert=expert) for _ in range(3)
    ]
    removed = confirmed[0]
    report_services.acknowledge_report(report=removed, staff=staff)
    report_services.record_outcome(report=removed, staff=staff, outcome="removed")
    rejected = factories.make_report(other_volunteer)
    report_services.claim_report(report=rejected, expert=expert)
    report_services.reject_report(report=rejected, expert=expert, reason="not_wildlife")
    factories.make_report(other_volunteer)  # waiting
    totals = selectors.round_figures(round)
    assert totals == Figures(flagged=5, confirmed=3, rejected=1, removed=1, waiting=1)
    assert totals.accuracy.rate == 0.75
    assert totals.accuracy.interval == wilson_interval(3, 4)
    by_volunteer = selectors.figures_by_volunteer(round)
    assert by_volunteer[volunteer.pk] == Figures(3, 3, 0, 1, 0)
    assert by_volunteer[other_volunteer.pk] == Figures(2, 0, 1, 0, 1)
    report = selectors.round_report(round, viewer=round_admin)
    assert report.totals == totals and report.participants == 2
    assert [line.key for line in report.volunteers] == [volunteer.pk, other_volunteer.pk]


def test_ranking_by_confirmed_with_ties_broken_by_the_surer_share_then_removals():
    lines = selectors.rank(
        [
            Line(key=1, label="b", figures=Figures(flagged=20, confirmed=5, rejected=15)),
            Line(key=2, label="a", figures=Figures(flagged=6, confirmed=5, rejected=1)),
            Line(key=3, label="c", figures=Figures(flagged=30, confirmed=2, rejected=0)),
            Line(key=4, label="d", figures=Figures(flagged=6, confirmed=5, rejected=1, removed=2)),
            Line(key=5, label="e", figures=Figures(flagged=6, confirmed=5, rejected=1, removed=2)),
        ]
    )
    # Raw counts do not win (key 3 flagged most); 5 confirmed with 1 rejected beats 5 with 15.
    assert [(line.key, line.rank) for line in lines] == [(4, 1), (5, 1), (2, 3), (1, 4), (3, 5)]


def test_team_lines_sum_members(round_admin, volunteer, other_volunteer, expert):
    round = make_round(round_admin)
    red = services.create_team(actor=round_admin, round=round, name="Red")
    blue = services.create_team(actor=round_admin, round=round, name="Blue")
    for person, team in ((volunteer, red), (other_volunteer, blue)):
        participant = services.join(volunteer=person, round=round)
        services.assign_team(actor=round_admin, participant=participant, team=team)
    factories.make_confirmed_report(volunteer=other_volunteer, expert=expert)
    for _ in range(3):
        factories.make_report(volunteer)  # more flagged, none confirmed
    teams = selectors.team_lines(round, selectors.figures_by_volunteer(round))
    assert [
        (t.label, t.rank, t.members, t.figures.confirmed, t.figures.flagged) for t in teams
    ] == [
        ("Blue", 1, 1, 1, 1),
        ("Red", 2, 1, 0, 3),
    ]


def test_new_terms_are_participants_proposals_during_the_round(round_admin, volunteer):
    round = make_round(round_admin, enrolment=Enrolment.OPEN)
    services.join(volunteer=volunteer, round=round)
    outsider = factories.make_user(Role.VOLUNTEER)
    mine = propose_term(actor=volunteer, text="armour flakes", language="en")
    propose_term(actor=outsider, text="dragon scales", language="en")
    old = propose_term(actor=volunteer, text="old word", language="en")
    Term.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert list(selectors.new_terms(round)) == [mine]


def test_my_week_and_behind(round_admin, volunteer):
    round = make_round(round_admin, days_ago=10, weekly_target_listings=7)  # week 2, day 4
    services.join(volunteer=volunteer, round=round)
    today = timezone.localdate()
    report_on(volunteer, today - timedelta(days=5))  # week 1: does not count for week 2
    report_on(volunteer, today - timedelta(days=1))
    report_on(volunteer, today)
    mine = selectors.my_week(round, volunteer)
    assert (mine.week.number, mine.week.elapsed, mine.flagged) == (2, 3, 2)
    assert mine.expected == 3 and mine.behind and mine.to_go == 5
    report_on(volunteer, today)
    assert not selectors.my_week(round, volunteer).behind
    assert selectors.behind_participants(round) == []


def test_last_week_may_be_short(round_admin):
    round = make_round(round_admin, days_ago=8, length=10)  # week 2 has 3 days
    week = selectors.current_week(round)
    assert (week.number, week.days, week.elapsed) == (2, 3, 1)
    assert week.expected(9) == 3


def test_status_is_not_needed_for_counting(round_admin, volunteer):
    round = make_round(round_admin)
    services.join(volunteer=volunteer, round=round)
    report = factories.make_report(volunteer)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.DUPLICATE)
    assert selectors.round_figures(round).flagged == 1


def test_weekly_progress_folds_days_into_weeks(round_admin, volunteer, other_volunteer, expert):
    round = make_round(round_admin, days_ago=9, weekly_target_listings=4)  # in week 2
    services.join(volunteer=volunteer, round=round)
    services.join(volunteer=other_volunteer, round=round)
    report_on(volunteer, round.starts_on)
    report_on(other_volunteer, round.starts_on + timedelta(days=6))
    confirmed = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    assert confirmed.submitted_at.date() == timezone.localdate()
    rows = selectors.weekly_progress(round)
    assert [(r.week.number, r.figures.flagged, r.figures.confirmed, r.target) for r in rows] == [
        (1, 2, 0, 8),
        (2, 1, 1, 8),
    ]
    assert rows[1].week.elapsed == 2 and rows[0].week.elapsed == 7
    assert selectors.weekly_progress(make_round(round_admin, title="Later", days_ago=-2)) == []
