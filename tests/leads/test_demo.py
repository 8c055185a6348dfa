"""The leads demo: a lead spotter in the demo round with a pre-screen and an answered question."""

from __future__ import annotations

import pytest

from leads import permissions
from leads.demo import LEAD_EMAIL
from leads.models import PreScreen, Question
from reports.reference import load_reference_data
from rounds.models import Round
from spotter.models import User
from training.content import load_training_content
from training.demo import demo_loaded, load_demo_data

pytestmark = pytest.mark.django_db


def test_demo_loaded_adds_a_lead_with_duties(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_reference_data()
    load_training_content()
    accounts = load_demo_data()
    demo_loaded.send(sender=None, accounts=accounts)
    lead = User.objects.get(email=LEAD_EMAIL)
    assert permissions.is_lead(lead)
    assert (LEAD_EMAIL, "lead spotter (volunteer)") in accounts
    assert Round.objects.count() == 1  # the rounds app's demo round, shared
    prescreen = PreScreen.objects.get(lead=lead)
    assert prescreen.verdict == "needs_evidence"
    question = Question.objects.get()
    assert question.answers.get().author == lead
    assert list(permissions.prescreen_queue(lead))  # something left to pre-screen
    # Run again: nothing added twice.
    demo_loaded.send(sender=None, accounts=accounts)
    assert PreScreen.objects.count() == 1 and Question.objects.count() == 1
