"""Who a lead may pre-screen: active round mates of a running round who are newer volunteers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from leads import conf, permissions, scope
from rounds.models import ParticipantStatus
from spotter.models import Role
from tests import factories
from training.models import Certificate

from .conftest import join, make_round

pytestmark = pytest.mark.django_db


def _ids(lead):
    return set(scope.prescreen_scope(lead).values_list("pk", flat=True))


def _certified_long_ago(user):
    old = timezone.now() - timedelta(days=conf.LEAD_NEWER_CERTIFIED_DAYS + 30)
    Certificate.objects.filter(user=user).update(issued_at=old)


def test_newer_round_mate_is_in_scope(lead, newer):
    assert _ids(lead) == {newer.pk}
    assert scope.is_in_prescreen_scope(lead, newer.pk)


def test_volunteer_not_in_the_round_is_out_of_scope(lead, newer):
    outsider = factories.make_user(Role.VOLUNTEER)
    assert outsider.pk not in _ids(lead)
    # In another running round the lead does not take part in: still out.
    join(make_round("other"), outsider)
    assert outsider.pk not in _ids(lead)


def test_round_not_running_today_gives_no_scope(db):
    lead = factories.make_user(Role.VOLUNTEER, is_lead_spotter=True)
    mate = factories.make_user(Role.VOLUNTEER)
    for round_ in (make_round("past", starts=-40, ends=-1), make_round("future", starts=1)):
        join(round_, lead)
        join(round_, mate)
    assert _ids(lead) == set()


def test_who_left_the_round_is_out_of_scope(lead, newer, running_round):
    running_round.participants.filter(volunteer=newer).update(status=ParticipantStatus.LEFT)
    assert _ids(lead) == set()


def test_invited_only_volunteer_is_out_of_scope(lead, running_round):
    invited = factories.make_user(Role.VOLUNTEER)
    join(running_round, invited, status=ParticipantStatus.INVITED)
    assert invited.pk not in _ids(lead)


def test_lead_who_left_the_round_has_no_scope(lead, newer, running_round):
    running_round.participants.filter(volunteer=lead).update(status=ParticipantStatus.LEFT)
    assert _ids(lead) == set()


def test_experienced_volunteer_is_not_newer(lead, newer, monkeypatch, expert):
    monkeypatch.setattr(conf, "LEAD_NEWER_MAX_DECIDED", 2)
    factories.make_confirmed_report(volunteer=newer, expert=expert)
    assert newer.pk in _ids(lead)  # one decided report, freshly certified
    factories.make_confirmed_report(volunteer=newer, expert=expert)
    assert newer.pk in _ids(lead)  # two decided, but certified less than D days ago
    _certified_long_ago(newer)
    assert newer.pk not in _ids(lead)  # two decided and certified long ago: not newer


def test_few_decided_reports_is_newer_even_if_certified_long_ago(lead, newer):
    _certified_long_ago(newer)
    assert newer.pk in _ids(lead)


def test_lead_is_never_in_own_scope_and_own_reports_are_not_queued(lead, newer, company):
    own = factories.make_report(lead)
    assert lead.pk not in _ids(lead)
    assert not permissions.can_prescreen(lead, own)
    assert own not in permissions.prescreen_queue(lead)


def test_non_lead_has_no_queue(newer, running_round, company):
    plain = factories.make_user(Role.VOLUNTEER)
    join(running_round, plain)
    report = factories.make_report(newer)
    assert list(permissions.prescreen_queue(plain)) == []
    assert not permissions.can_prescreen(plain, report)


def test_uncertified_lead_has_no_queue(lead, waiting_report):
    Certificate.objects.filter(user=lead).update(revoked=True)
    assert not permissions.is_lead(lead)
    assert list(permissions.prescreen_queue(lead)) == []


def test_leads_of_finds_the_round_leads(lead, newer):
    other_volunteer = factories.make_user(Role.VOLUNTEER)
    assert list(scope.leads_of(newer.pk)) == [lead]
    assert list(scope.leads_of(other_volunteer.pk)) == []
