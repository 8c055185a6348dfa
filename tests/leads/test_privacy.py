"""Questions and pre-screens in the data export; a closed account's questions are deleted."""

from __future__ import annotations

import pytest

from leads import services
from leads.models import PreScreen, Question
from spotter.privacy import close_account, export_user_data

pytestmark = pytest.mark.django_db


def test_export_and_closure(lead, newer, waiting_report):
    services.prescreen(lead=lead, report=waiting_report, verdict="looks_good", note="Clear")
    question = services.ask_question(volunteer=newer, report=waiting_report, text="Mine?")
    services.answer_question(author=lead, question=question, text="Yes.")
    asked = export_user_data(newer)
    assert asked["lead_questions"][0]["text"] == "Mine?"
    written = export_user_data(lead)
    assert written["prescreens"][0]["note"] == "Clear"
    assert written["lead_answers"][0]["text"] == "Yes."
    close_account(user=newer)
    assert not Question.objects.exists()
    close_account(user=lead)
    assert PreScreen.objects.count() == 1  # review history stays, the lead is anonymised
