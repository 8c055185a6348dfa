"""Who may do what with rounds: one function per rule, used by views, templates and services.

- Admins (Role.ADMIN) create and edit rounds, invite volunteers, make teams and assign people,
  and see every round with names.
- Volunteers see open rounds and the rounds they are in or invited to; a certified volunteer
  joins an open round, or accepts an invitation, while the round is not over; a participant
  leaves.
- The round report: admins, and volunteers who took part (active or left).
- Experts and company staff have no round pages (company staff never see anything about
  volunteers).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from spotter.models import Role
from spotter.permissions import is_role
from training.selectors import active_certificate

from . import selectors
from .models import Enrolment, Participant, ParticipantStatus, Round


def can_manage_rounds(user) -> bool:
    return is_role(user, Role.ADMIN)


def can_list_rounds(user) -> bool:
    return is_role(user, Role.ADMIN, Role.VOLUNTEER)


def can_view_round(user, round: Round, participant: Participant | None = None) -> bool:
    if can_manage_rounds(user):
        return True
    if not is_role(user, Role.VOLUNTEER):
        return False
    if round.enrolment == Enrolment.OPEN:
        return True
    participant = participant or selectors.participation(round, user)
    return participant is not None


def can_view_report(user, round: Round) -> bool:
    if can_manage_rounds(user):
        return True
    return is_role(user, Role.VOLUNTEER) and selectors.took_part(round, user)


def join_problem(user, round: Round, participant: Participant | None) -> str | None:
    """Why ``user`` may not join ``round`` now (None: they may). One rule for the button and
    the service."""
    if not is_role(user, Role.VOLUNTEER):
        return _("Only volunteers take part in rounds.")
    if round.ends_on < timezone.localdate():
        return _("This round is over.")
    if participant is not None and participant.status == ParticipantStatus.ACTIVE:
        return _("You are already taking part in this round.")
    invited = participant is not None  # invited, or took part before and left
    if round.enrolment == Enrolment.INVITED and not invited:
        return _("This round is by invitation only.")
    if active_certificate(user) is None:
        return _("Only certified spotters take part in rounds: finish your training first.")
    return None


def can_leave(user, participant: Participant | None) -> bool:
    return (
        participant is not None
        and participant.volunteer_id == getattr(user, "pk", None)
        and participant.status == ParticipantStatus.ACTIVE
    )
