"""Keyword proposals of lead spotters go in the fast lane: first in the curation queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keywords import services as keyword_services
from keywords.permissions import proposes_in_fast_lane
from spotter.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_lead_proposals_are_fast_lane(lead, volunteer, expert):
    assert proposes_in_fast_lane(lead)
    assert not proposes_in_fast_lane(volunteer) and not proposes_in_fast_lane(expert)
    fast = keyword_services.propose_term(actor=lead, text="white gold", language="en")
    plain = keyword_services.propose_term(actor=volunteer, text="ivory bangle", language="en")
    assert fast.fast_lane and not plain.fast_lane


def test_lead_without_certificate_is_not_fast_lane(db):
    lead = factories.make_user(Role.VOLUNTEER, certified=False, is_lead_spotter=True)
    assert not proposes_in_fast_lane(lead)


def test_curation_queue_puts_fast_lane_first(client_for, lead, volunteer, expert):
    keyword_services.propose_term(actor=volunteer, text="aaa old word", language="en")
    keyword_services.propose_term(actor=lead, text="zzz lead word", language="en")
    url = reverse("keywords:library") + "?status=proposed"
    body = client_for(expert).get(url).content.decode()
    assert body.index("zzz lead word") < body.index("aaa old word")
    assert 'data-testid="fast-lane"' in body
