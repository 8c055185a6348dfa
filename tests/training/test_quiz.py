"""The quiz cannot be gamed: server-side scoring, one submission, fresh shuffles."""

import pytest
from django.urls import reverse

from spotter.errors import NotAllowed, SpotterError
from spotter.models import AuditEvent
from training import services
from training.models import AttemptAnswer, Choice, Question, QuizAttempt

from .conftest import build_module, correct_answers, make_user, wrong_answers

pytestmark = pytest.mark.django_db


def test_attempt_draws_questions_per_quiz_from_the_active_bank(learner, groups):
    module = build_module("big", questions=15)
    retired = list(module.questions.all()[:3])
    Question.objects.filter(pk__in=[q.pk for q in retired]).update(is_active=False)
    attempt = services.start_attempt(user=learner, module=module)
    assert len(attempt.question_ids) == 10 == len(set(attempt.question_ids))
    assert not set(attempt.question_ids) & {q.pk for q in retired}
    for row in attempt.layout:
        assert sorted(row["c"]) == sorted(
            Choice.objects.filter(question_id=row["q"]).values_list("pk", flat=True)
        )


def test_small_bank_uses_every_question(learner, groups):
    module = build_module("small", questions=4)
    attempt = services.start_attempt(user=learner, module=module)
    assert attempt.question_count == 4


def test_open_attempt_is_continued_not_redrawn(learner, core):
    first = services.start_attempt(user=learner, module=core)
    assert services.start_attempt(user=learner, module=core) == first
    services.submit_attempt(attempt=first, user=learner, answers={})
    assert services.start_attempt(user=learner, module=core) != first


def test_shuffle_differs_across_attempts(learner, groups):
    module = build_module("shuffle", questions=13)
    layouts = []
    for _ in range(4):
        attempt = services.start_attempt(user=learner, module=module)
        layouts.append(attempt.layout)
        services.submit_attempt(attempt=attempt, user=learner, answers={})
    question_orders = {tuple(row["q"] for row in layout) for layout in layouts}
    choice_orders = {
        tuple(tuple(row["c"]) for row in sorted(layout, key=lambda r: r["q"])) for layout in layouts
    }
    assert len(question_orders) > 1
    assert len(choice_orders) > 1


def test_choice_from_another_question_scores_nothing(learner, core):
    attempt = services.start_attempt(user=learner, module=core)
    right = correct_answers(attempt)
    ids = attempt.question_ids
    # Answer every question with the *correct choice of the next question*.
    forged = {q: right[ids[(i + 1) % len(ids)]] for i, q in enumerate(ids)}
    result = services.submit_attempt(attempt=attempt, user=learner, answers=forged).attempt
    assert result.correct_count == 0 and result.score_percent == 0 and not result.passed
    assert not AttemptAnswer.objects.filter(attempt=result, choice__isnull=False).exists()


def test_questions_outside_the_attempt_are_ignored(learner, core, elephants):
    attempt = services.start_attempt(user=learner, module=core)
    other = dict(
        Choice.objects.filter(question__module=elephants, is_correct=True).values_list(
            "question_id", "pk"
        )
    )
    answers = {**wrong_answers(attempt), **other}
    result = services.submit_attempt(attempt=attempt, user=learner, answers=answers).attempt
    assert result.correct_count == 0 and result.question_count == 10
    assert AttemptAnswer.objects.filter(attempt=result).count() == 10


def test_unanswered_questions_count_as_wrong(learner, core):
    attempt = services.start_attempt(user=learner, module=core)
    answers = dict(list(correct_answers(attempt).items())[:5])
    result = services.submit_attempt(attempt=attempt, user=learner, answers=answers).attempt
    assert (result.correct_count, result.score_percent, result.passed) == (5, 50, False)


def test_resubmitting_does_not_double_count_or_change_the_score(learner, core):
    attempt = services.start_attempt(user=learner, module=core)
    first = services.submit_attempt(attempt=attempt, user=learner, answers=wrong_answers(attempt))
    events = AuditEvent.objects.count()
    again = services.submit_attempt(attempt=attempt, user=learner, answers=correct_answers(attempt))
    assert again.already_submitted and again.attempt.score_percent == 0
    assert again.attempt.submitted_at == first.attempt.submitted_at
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 10
    assert QuizAttempt.objects.filter(user=learner, passed=True).count() == 0
    assert AuditEvent.objects.count() == events


def test_someone_elses_attempt_cannot_be_submitted(learner, core):
    attempt = services.start_attempt(user=learner, module=core)
    with pytest.raises(NotAllowed):
        services.submit_attempt(attempt=attempt, user=make_user(), answers=correct_answers(attempt))


def test_empty_bank_is_refused(learner, groups):
    module = build_module("empty", questions=0)
    with pytest.raises(SpotterError):
        services.start_attempt(user=learner, module=module)


# --- Through HTTP ---------------------------------------------------------------------------


def post_answers(client, module, attempt, answers):
    data = {"attempt": attempt.pk, **{f"q{q}": c for q, c in answers.items()}}
    return client.post(reverse("training:quiz", args=[module.slug]), data)


def test_quiz_page_renders_question_ids_and_choice_ids(login, learner, core):
    client = login(learner)
    response = client.get(reverse("training:quiz", args=[core.slug]))
    assert response.status_code == 200
    attempt = QuizAttempt.objects.get(user=learner)
    html = response.content.decode()
    for row in attempt.layout:
        assert f'data-question-id="{row["q"]}"' in html
        # Choices appear in the order stored on the attempt.
        positions = [html.index(f'name="q{row["q"]}" value="{c}"') for c in row["c"]]
        assert positions == sorted(positions)
    # Nothing in the page says which choice is right.
    assert (
        "correct" not in html.split('<form method="post" action="/training/')[1].split("</form>")[0]
    )


def test_http_resubmission_keeps_the_first_result(login, learner, core):
    client = login(learner)
    client.get(reverse("training:quiz", args=[core.slug]))
    attempt = QuizAttempt.objects.get(user=learner)
    response = post_answers(client, core, attempt, wrong_answers(attempt))
    assert response.status_code == 302
    assert response["Location"] == reverse("training:result", args=[attempt.pk])
    post_answers(client, core, attempt, correct_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.score_percent == 0 and not attempt.passed
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_garbage_answers_are_ignored(login, learner, core):
    client = login(learner)
    client.get(reverse("training:quiz", args=[core.slug]))
    attempt = QuizAttempt.objects.get(user=learner)
    response = client.post(
        reverse("training:quiz", args=[core.slug]),
        {"attempt": attempt.pk, "qabc": "1", "q1": "x", "q": "", "q99999": "5"},
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.correct_count == 0


@pytest.mark.parametrize("attempt_id", ["abc", "1\x00", "2.5", "9" * 5000])
def test_an_attempt_id_that_cannot_be_one_is_a_404(login, learner, core, attempt_id):
    client = login(learner)
    client.get(reverse("training:quiz", args=[core.slug]))
    url = reverse("training:quiz", args=[core.slug])
    assert client.post(url, {"attempt": attempt_id}).status_code == 404


def test_huge_answer_numbers_are_ignored(login, learner, core):
    client = login(learner)
    client.get(reverse("training:quiz", args=[core.slug]))
    attempt = QuizAttempt.objects.get(user=learner)
    question = attempt.question_ids[0]
    data = {"attempt": attempt.pk, f"q{question}": "9" * 5000, f"q{'9' * 100}": "1"}
    response = client.post(reverse("training:quiz", args=[core.slug]), data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.correct_count == 0


def test_cannot_post_to_another_users_attempt(login, learner, core):
    attempt = services.start_attempt(user=learner, module=core)
    intruder = login(make_user())
    response = post_answers(intruder, core, attempt, correct_answers(attempt))
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_result_page_shows_wrong_answers_with_the_right_one_and_why(login, learner, core):
    client = login(learner)
    client.get(reverse("training:quiz", args=[core.slug]))
    attempt = QuizAttempt.objects.get(user=learner)
    answers = correct_answers(attempt)
    wrong_q = attempt.question_ids[0]
    answers[wrong_q] = wrong_answers(attempt)[wrong_q]
    response = post_answers(client, core, attempt, answers)
    page = client.get(response["Location"]).content.decode()
    question = Question.objects.get(pk=wrong_q)
    right = question.choices.get(is_correct=True)
    given = Choice.objects.get(pk=answers[wrong_q])
    assert "90%" in page and 'data-passed="true"' in page
    assert page.count('class="card wrong-answer"') == 1
    assert f'data-question-id="{wrong_q}"' in page
    for text in (question.prompt, right.text, given.text, question.explanation):
        assert text in page


def test_result_page_is_private(login, learner, core):
    attempt = services.start_attempt(user=learner, module=core)
    services.submit_attempt(attempt=attempt, user=learner, answers={})
    response = login(make_user()).get(reverse("training:result", args=[attempt.pk]))
    assert response.status_code == 404
