"""Reads about rounds: who is in which round, which reports are a round's, and its figures.

This is the ONE place that says which reports belong to a round (``round_reports``): the round
page, the volunteer's home panel, the reminders and the round report all read it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from .models import Participant, ParticipantStatus, Round


def active_rounds_for(user, today: date | None = None) -> QuerySet[Round]:
    """The rounds running ``today`` in which ``user`` is an active participant (usually one).

    Public: other apps (leads) scope their work to the volunteers of a user's round with it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Round.objects.none()
    today = today or timezone.localdate()
    return Round.objects.filter(
        starts_on__lte=today,
        ends_on__gte=today,
        participants__volunteer=user,
        participants__status=ParticipantStatus.ACTIVE,
    ).distinct()


def round_participants(round: Round) -> QuerySet[Participant]:
    """The round's active participants (status "taking part"), with volunteer and team."""
    return (
        Participant.objects.filter(round=round, status=ParticipantStatus.ACTIVE)
        .select_related("volunteer", "team")
        .order_by("joined_at", "id")
    )
