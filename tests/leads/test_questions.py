"""Questions on a report: the owner asks, leads of their round and experts answer; who is told."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leads import permissions, services
from leads.models import Question
from notifications.models import Kind, Notification
from notifications.text import describe
from spotter.errors import InvalidInput, NotAllowed
from spotter.models import Role
from tests import factories

from .conftest import join

pytestmark = pytest.mark.django_db


def test_ask_notifies_the_leads_of_the_round(lead, newer, waiting_report):
    elsewhere = factories.make_user(Role.VOLUNTEER, is_lead_spotter=True)  # not in the round
    question = services.ask_question(volunteer=newer, report=waiting_report, text="Close-up?")
    told = Notification.objects.get(kind=Kind.QUESTION_ASKED)
    assert told.user == lead and told.report == waiting_report
    assert not Notification.objects.filter(user=elsewhere).exists()
    message = describe(told)
    assert message.url == reverse("leads:questions", args=[waiting_report.reference])
    assert "Close-up?" in message.body
    assert question.answered_at is None


def test_lead_answer_notifies_the_asker(lead, newer, waiting_report):
    question = services.ask_question(volunteer=newer, report=waiting_report, text="Which shot?")
    services.answer_question(author=lead, question=question, text="The price tag.")
    told = Notification.objects.get(kind=Kind.QUESTION_ANSWERED)
    assert told.user == newer
    assert describe(told).url == reverse("reports:detail", args=[waiting_report.reference])
    assert Question.objects.get().answered_at is not None


def test_expert_may_answer(newer, waiting_report, expert):
    question = services.ask_question(volunteer=newer, report=waiting_report, text="Is it ok?")
    services.answer_question(author=expert, question=question, text="Yes.")
    assert Notification.objects.filter(user=newer, kind=Kind.QUESTION_ANSWERED).exists()


def test_only_the_owner_asks(lead, newer, waiting_report, other_volunteer):
    for user in (lead, other_volunteer):
        with pytest.raises(NotAllowed):
            services.ask_question(volunteer=user, report=waiting_report, text="Mine?")
    with pytest.raises(InvalidInput) as error:
        services.ask_question(volunteer=newer, report=waiting_report, text="   ")
    assert error.value.field == "text"


def test_who_may_answer(lead, newer, waiting_report, staff, admin_user, running_round):
    question = services.ask_question(volunteer=newer, report=waiting_report, text="Hm?")
    outsider_lead = factories.make_user(Role.VOLUNTEER, is_lead_spotter=True)
    plain_mate = factories.make_user(Role.VOLUNTEER)
    join(running_round, plain_mate)
    for user in (outsider_lead, plain_mate, staff, admin_user, newer):
        with pytest.raises(NotAllowed):
            services.answer_question(author=user, question=question, text="No.")
    # A lead answers round mates' questions even when they are no longer "newer".
    assert permissions.can_answer(lead, waiting_report)


def test_questions_page_per_role(client_for, lead, newer, waiting_report, staff, other_volunteer):
    services.ask_question(volunteer=newer, report=waiting_report, text="What to add?")
    url = reverse("leads:questions", args=[waiting_report.reference])
    assert client_for(newer).get(url).status_code == 200
    page = client_for(lead).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "What to add?" in body and newer.email not in body and "Nora Newer" not in body
    assert client_for(staff).get(url).status_code == 404
    assert client_for(other_volunteer).get(url).status_code == 404


def test_ask_and_answer_through_the_pages(client_for, lead, newer, waiting_report):
    url = reverse("leads:questions", args=[waiting_report.reference])
    response = client_for(newer).post(url, {"text": "Do I need the seller page?"})
    assert response.status_code == 302
    question = Question.objects.get()
    answer_url = reverse("leads:answer", args=[question.pk])
    assert client_for(lead).post(answer_url, {"text": "Yes, please."}).status_code == 302
    assert question.answers.get().author == lead
