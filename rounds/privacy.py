"""Rounds in a person's data export, and what closing the account does (see spotter.privacy).

A volunteer's participations are exported. When the account is closed, open invitations are
deleted and an active participation becomes "left" (from now): the participation of the past
stays, like their reports, so the round's figures do not change; the account itself is
anonymised by spotter.
"""

from django.utils import timezone

from spotter.privacy import PersonalData, register_personal_data

from .models import Participant, ParticipantStatus


def _sections(user) -> dict:
    rows = Participant.objects.filter(volunteer=user).select_related("round", "team")
    return {
        "round_participations": [
            {
                "round": p.round.title,
                "starts_on": p.round.starts_on.isoformat(),
                "ends_on": p.round.ends_on.isoformat(),
                "status": p.status,
                "team": p.team.name if p.team_id else None,
                "invited_at": p.invited_at.isoformat() if p.invited_at else None,
                "joined_at": p.joined_at.isoformat() if p.joined_at else None,
                "left_at": p.left_at.isoformat() if p.left_at else None,
            }
            for p in rows
        ]
    }


def _erase(user) -> None:
    Participant.objects.filter(volunteer=user, status=ParticipantStatus.INVITED).delete()
    Participant.objects.filter(volunteer=user, status=ParticipantStatus.ACTIVE).update(
        status=ParticipantStatus.LEFT, left_at=timezone.now()
    )


def register() -> None:
    register_personal_data(
        PersonalData(
            app_label="rounds",
            sections=_sections,
            exported_in_sections=("participant",),
            erase=_erase,
        )
    )
