"""The "you are behind this week" reminders: the beat task and the embedded loop both run
``send_round_reminders``.

A participant is behind when the listings they flagged in the current round week (the round's
reports, ``rounds.selectors``) are fewer than the weekly target pro-rated to the days of the week
already over. Nobody is reminded before ``ROUND_REMINDER_GRACE_DAYS`` full days of a week are
over, and nobody more than once per round week (``Participant.reminded_week``).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from . import conf, selectors, services
from .models import Round


def running_rounds(today: date) -> list[Round]:
    return list(Round.objects.filter(starts_on__lte=today, ends_on__gte=today))


def send_round_reminders(today: date | None = None) -> int:
    """Remind every participant behind this week; returns how many were reminded."""
    today = today or timezone.localdate()
    reminded = 0
    for round in running_rounds(today):
        week = selectors.current_week(round, today)
        if week is None or week.elapsed < conf.ROUND_REMINDER_GRACE_DAYS:
            continue
        for participant, mine in selectors.behind_participants(round, today):
            if participant.reminded_week == week.number:
                continue  # already told this week (the service checks again under its lock)
            reminded += services.remind_participant(
                participant=participant,
                week=week.number,
                flagged=mine.flagged,
                target=mine.target,
            )
    return reminded
