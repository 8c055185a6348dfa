"""Reminders: behind / not behind, grace days, preferences respected, once per week."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Channel, Kind, Notification
from notifications.services import set_preferences
from notifications.text import describe
from reports import events
from rounds import reminders, services, tasks
from rounds.models import Participant
from tests import factories

from .conftest import make_round, report_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def week2_round(round_admin):
    # Week 2, three full days over: 10 a week pro-rated is 10 × 3/7 ≈ 4.3 expected by now.
    return make_round(round_admin, days_ago=10, weekly_target_listings=10)


def _behind_notes(user):
    return Notification.objects.filter(user=user, kind=Kind.ROUND_BEHIND)


def test_behind_participant_is_reminded_once_per_week_in_app_and_by_email(
    week2_round, volunteer, django_capture_on_commit_callbacks
):
    services.join(volunteer=volunteer, round=week2_round)
    report_on(volunteer, timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_round_reminders() == 1
    note = _behind_notes(volunteer).get()
    assert note.data["week"] == 2 and note.data["flagged"] == 1 and note.data["target"] == 10
    assert Participant.objects.get(volunteer=volunteer).reminded_week == 2
    assert len(mail.outbox) == 1 and volunteer.email in mail.outbox[0].to
    message = describe(note)
    assert "1 of 10" in message.title and message.url == f"/rounds/{week2_round.slug}/"
    # Again the same week: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_round_reminders() == 0
    assert _behind_notes(volunteer).count() == 1 and len(mail.outbox) == 1
    # Next week, still behind: told again.
    in_week3 = timezone.localdate() + timedelta(days=6)
    assert reminders.send_round_reminders(today=in_week3) == 1
    assert _behind_notes(volunteer).count() == 2


def test_not_behind_is_not_reminded(week2_round, volunteer):
    services.join(volunteer=volunteer, round=week2_round)
    for _ in range(5):
        report_on(volunteer, timezone.localdate())
    assert reminders.send_round_reminders() == 0
    assert not _behind_notes(volunteer).exists()


def test_nobody_is_reminded_in_the_first_days_of_a_week(round_admin, volunteer):
    round = make_round(round_admin, days_ago=8)  # week 2, one full day over
    services.join(volunteer=volunteer, round=round)
    assert reminders.send_round_reminders() == 0


def test_left_and_invited_and_outsiders_are_not_reminded(week2_round, volunteer, other_volunteer):
    services.join(volunteer=other_volunteer, round=week2_round)
    services.leave(volunteer=other_volunteer, round=week2_round)
    services.invite(actor=week2_round.created_by, round=week2_round, emails=[volunteer.email])
    factories.make_user()  # not in the round
    assert reminders.send_round_reminders() == 0


def test_preference_off_means_no_notification_and_site_means_no_email(
    week2_round, volunteer, other_volunteer, django_capture_on_commit_callbacks
):
    set_preferences(user=volunteer, choices={Kind.ROUND_BEHIND: Channel.OFF})
    set_preferences(user=other_volunteer, choices={Kind.ROUND_BEHIND: Channel.SITE})
    services.join(volunteer=volunteer, round=week2_round)
    services.join(volunteer=other_volunteer, round=week2_round)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_round_reminders()
    assert not _behind_notes(volunteer).exists()
    assert _behind_notes(other_volunteer).count() == 1
    assert mail.outbox == []
    # Off still counts as this week's decision: no retry later the same week.
    assert Participant.objects.get(volunteer=volunteer).reminded_week == 2


def test_the_celery_task_and_the_embedded_loop_run_the_reminders(week2_round, volunteer):
    services.join(volunteer=volunteer, round=week2_round)
    assert tasks.send_round_reminders.name == "rounds.tasks.send_round_reminders"
    assert tasks.send_round_reminders() == 1
    Participant.objects.update(reminded_week=None)
    events.worker_tick.send(sender=None)  # runs (the throttle key is fresh in tests)
    assert _behind_notes(volunteer).count() == 1  # same dedupe key: told once per week
    assert Participant.objects.get(volunteer=volunteer).reminded_week == 2


def test_finding_who_is_behind_takes_two_queries_whatever_the_size(
    week2_round, django_assert_num_queries
):
    for _ in range(6):
        person = factories.make_user()
        services.join(volunteer=person, round=week2_round)
        report_on(person, timezone.localdate())
    from rounds import selectors

    with django_assert_num_queries(2):
        behind = selectors.behind_participants(week2_round)
    assert len(behind) == 6 and all(mine.flagged == 1 for _, mine in behind)
