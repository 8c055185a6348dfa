"""Shared people for the leads tests: a lead spotter and a newer volunteer in one running round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rounds.models import Participant, ParticipantStatus, Round
from spotter.models import Role
from tests import factories


def make_round(slug="r1", *, starts=-3, ends=20) -> Round:
    today = timezone.localdate()
    return Round.objects.create(
        slug=slug,
        title=f"Round {slug}",
        starts_on=today + timedelta(days=starts),
        ends_on=today + timedelta(days=ends),
    )


def join(round_, user, status=ParticipantStatus.ACTIVE) -> Participant:
    return Participant.objects.create(round=round_, volunteer=user, status=status)


@pytest.fixture
def running_round(db):
    return make_round()


@pytest.fixture
def lead(running_round):
    user = factories.make_user(
        Role.VOLUNTEER, email="lena.lead@example.org", display_name="Lena Lead"
    )
    user.is_lead_spotter = True
    user.save(update_fields=["is_lead_spotter"])
    join(running_round, user)
    return user


@pytest.fixture
def newer(running_round):
    """A newly certified volunteer taking part in the lead's round."""
    user = factories.make_user(
        Role.VOLUNTEER, email="nora.newer@example.org", display_name="Nora Newer"
    )
    join(running_round, user)
    return user


@pytest.fixture
def waiting_report(newer, company):
    return factories.make_report(newer)
