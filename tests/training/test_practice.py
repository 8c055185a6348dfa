"""Experts turn decided reports into practice questions, with the identity removed."""

import pytest
from django.urls import reverse

from spotter.errors import NotAllowed, SpotterError
from spotter.models import AuditEvent, Role
from training import services
from training.models import Question, QuestionKind

from .conftest import make_user

pytestmark = pytest.mark.django_db

IDENTIFYING = ("gx_traders88", "https://", "example-shop.com", "gx@example.com", "138 0013 8000")


def test_confirmed_report_becomes_an_anonymous_listing_question(
    decided_report, trainer_expert, core, pangolins
):
    report = decided_report("confirmed")
    question = services.create_practice_question(report=report, expert=trainer_expert)
    assert question.module == pangolins and question.kind == QuestionKind.LISTING
    assert question.source_report == report and question.is_active
    visible = " ".join(
        [question.prompt, question.listing_title, question.listing_text, question.explanation]
    )
    for text in IDENTIFYING + (
        report.volunteer.email,
        report.volunteer.pseudonym,
        report.reference,
    ):
        assert text not in visible, text
    assert "Pangolin scales 500 g" in question.listing_title
    assert question.image == ""  # screenshots show the seller: never copied
    right = question.choices.get(is_correct=True)
    assert right.text.startswith("Prohibited")
    assert "confirmed" in question.explanation and "Scales of Manis" in question.explanation
    assert "CITES Appendix I" in question.explanation


def test_rejected_report_makes_not_prohibited_the_right_answer(
    decided_report, trainer_expert, pangolins
):
    report = decided_report("rejected", note="Resin replica, no wildlife claim.")
    question = services.create_practice_question(report=report, expert=trainer_expert)
    assert question.choices.get(is_correct=True).text.startswith("Not prohibited")
    assert "Not a wildlife product" in question.explanation


def test_practice_question_is_idempotent_per_report(decided_report, trainer_expert, pangolins):
    report = decided_report()
    first = services.create_practice_question(report=report, expert=trainer_expert)
    again = services.create_practice_question(report=report, expert=make_user(Role.EXPERT))
    assert first == again and Question.objects.filter(source_report=report).count() == 1
    assert AuditEvent.objects.filter(action="training.practice_question_created").count() == 1


def test_falls_back_to_the_core_module(decided_report, trainer_expert, core):
    question = services.create_practice_question(report=decided_report(), expert=trainer_expert)
    assert question.module == core


def test_undecided_report_is_refused(make_report, trainer_expert, core):
    with pytest.raises(SpotterError):
        services.create_practice_question(report=make_report(), expert=trainer_expert)
    assert not Question.objects.filter(source_report__isnull=False).exists()


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.ADMIN])
def test_non_experts_are_refused(decided_report, core, role):
    with pytest.raises(NotAllowed):
        services.create_practice_question(report=decided_report(), expert=make_user(role))


def test_practice_question_joins_the_quiz_bank(decided_report, trainer_expert, pangolins, learner):
    question = services.create_practice_question(report=decided_report(), expert=trainer_expert)
    pangolins.questions.exclude(pk=question.pk).update(is_active=False)
    attempt = services.start_attempt(user=learner, module=pangolins)
    assert attempt.question_ids == [question.pk]


# --- Through HTTP ---------------------------------------------------------------------------


def test_expert_button_on_review_page_makes_the_question(
    login, decided_report, trainer_expert, pangolins
):
    report = decided_report()
    reviewer = make_user(Role.EXPERT)
    client = login(reviewer)
    review = client.get(reverse("reports:review", args=[report.reference])).content.decode()
    url = reverse("training:practice_question", args=[report.reference])
    assert f'action="{url}"' in review
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:review", args=[report.reference])
    assert Question.objects.get(source_report=report).created_by == reviewer
    review = client.get(reverse("reports:review", args=[report.reference])).content.decode()
    assert f'action="{url}"' not in review and "is a practice question" in review


def test_no_button_for_undecided_reports(login, make_report, trainer_expert, core):
    report = make_report()
    review = login(trainer_expert).get(reverse("reports:review", args=[report.reference]))
    assert "practice" not in review.content.decode().lower()


def test_undecided_report_over_http_shows_an_error(login, make_report, trainer_expert, core):
    report = make_report()
    response = login(trainer_expert).post(
        reverse("training:practice_question", args=[report.reference]), follow=True
    )
    assert "Only decided reports" in response.content.decode()
    assert not Question.objects.filter(source_report=report).exists()


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.ADMIN])
def test_practice_endpoint_is_expert_only(login, decided_report, core, role):
    report = decided_report()
    response = login(make_user(role)).post(
        reverse("training:practice_question", args=[report.reference])
    )
    assert response.status_code == 403
    assert not Question.objects.filter(source_report=report).exists()


def test_get_is_not_allowed(login, decided_report, trainer_expert, core):
    report = decided_report()
    response = login(trainer_expert).get(
        reverse("training:practice_question", args=[report.reference])
    )
    assert response.status_code == 405
