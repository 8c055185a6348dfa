from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.models import Report
from reports.permissions import access_report
from spotter.converters import parse_id
from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role

from . import selectors, services
from .models import AttemptAnswer, Choice, Lesson, LessonView, Module, Question, QuizAttempt


def _published_module(slug: str) -> Module:
    return get_object_or_404(
        Module.objects.select_related("species_group"), slug=slug, is_published=True
    )


def _status_context(user) -> dict:
    progress = selectors.learner_progress(user)
    status = selectors.certification_status(user, progress)
    return {"progress": progress, "status": status, "is_volunteer": user.role == Role.VOLUNTEER}


@login_required
def home(request):
    return render(request, "training/home.html", _status_context(request.user))


@login_required
def start(request):
    """Where a newcomer begins ("Start with the core module" in the header and My reports):
    the first published core module, or the module list when there is none."""
    core = selectors.first_core_module()
    if core is None:
        return redirect("training:home")
    return redirect("training:module", slug=core.slug)


@login_required
def progress(request):
    context = _status_context(request.user)
    context["attempts"] = selectors.recent_attempts(request.user)
    return render(request, "training/progress.html", context)


@login_required
def module_detail(request, slug):
    module = _published_module(slug)
    lessons = list(module.lessons.only("pk", "order", "title", "module_id"))
    read = set(
        LessonView.objects.filter(user=request.user, lesson__module=module).values_list(
            "lesson_id", flat=True
        )
    )
    attempts = QuizAttempt.objects.filter(
        user=request.user, module=module, submitted_at__isnull=False
    ).order_by("-submitted_at")[:5]
    return render(
        request,
        "training/module.html",
        {"module": module, "lessons": lessons, "read": read, "attempts": attempts},
    )


@login_required
def lesson_detail(request, slug, order):
    module = _published_module(slug)
    lesson = get_object_or_404(Lesson, module=module, order=order)
    # Reading is progress, not a decision: no audit event, and re-reading changes nothing.
    LessonView.objects.get_or_create(user=request.user, lesson=lesson)
    siblings = list(module.lessons.values_list("order", flat=True))
    position = siblings.index(lesson.order)
    return render(
        request,
        "training/lesson.html",
        {
            "module": module,
            "lesson": lesson,
            "previous": siblings[position - 1] if position > 0 else None,
            "next": siblings[position + 1] if position + 1 < len(siblings) else None,
            "position": position + 1,
            "count": len(siblings),
        },
    )


def _parse_answers(post) -> dict[int, int]:
    answers = {}
    for key, value in post.items():
        question, choice = parse_id(key[1:]), parse_id(value)
        if key.startswith("q") and question is not None and choice is not None:
            answers[question] = choice
    return answers


def _questions_in_layout(attempt: QuizAttempt) -> list[tuple[Question, list[Choice]]]:
    """The attempt's questions and choices, in the order stored for this attempt (2 queries)."""
    questions = Question.objects.in_bulk(attempt.question_ids)
    choices = Choice.objects.in_bulk([c for row in attempt.layout for c in row["c"]])
    return [
        (questions[row["q"]], [choices[c] for c in row["c"] if c in choices])
        for row in attempt.layout
        if row["q"] in questions
    ]


@login_required
def quiz(request, slug):
    module = _published_module(slug)
    if request.method == "POST":
        attempt = get_object_or_404(
            QuizAttempt,
            pk=parse_id(request.POST.get("attempt")) or 0,
            user=request.user,
            module=module,
        )
        submission = services.submit_attempt(
            attempt=attempt, user=request.user, answers=_parse_answers(request.POST)
        )
        if submission.certificate is not None:
            messages.success(
                request,
                _("Congratulations: you are a certified spotter until %(date)s.")
                % {"date": date_format(submission.certificate.expires_at, "DATE_FORMAT")},
            )
        return redirect("training:result", attempt_id=submission.attempt.pk)
    try:
        attempt = services.start_attempt(user=request.user, module=module)
    except SpotterError as exc:
        messages.error(request, str(exc))
        return redirect("training:module", slug=module.slug)
    return render(
        request,
        "training/quiz.html",
        {"module": module, "attempt": attempt, "items": _questions_in_layout(attempt)},
    )


@login_required
def result(request, attempt_id):
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("module").prefetch_related(
            Prefetch("answers", queryset=AttemptAnswer.objects.select_related("choice"))
        ),
        pk=attempt_id,
        user=request.user,
        submitted_at__isnull=False,
    )
    answers = {a.question_id: a for a in attempt.answers.all()}
    items = []
    for question, choices in _questions_in_layout(attempt):
        answer = answers.get(question.pk)
        correct = [c for c in choices if c.is_correct]
        items.append({"question": question, "answer": answer, "correct": correct})
    wrong = [item for item in items if not (item["answer"] and item["answer"].is_correct)]
    context = _status_context(request.user)
    context.update({"attempt": attempt, "module": attempt.module, "wrong": wrong})
    # A pass that made the volunteer certified leads straight to their (first) report.
    context["has_reports"] = Report.objects.filter(volunteer=request.user).exists()
    return render(request, "training/result.html", context)


@role_required(Role.ADMIN)
def stats(request):
    return render(request, "training/stats.html", {"stats": selectors.training_stats()})


@require_POST
@role_required(Role.EXPERT)
def make_practice_question(request, reference):
    report = access_report(request.user, reference, Report.objects.select_related("species"))
    try:
        question = services.create_practice_question(report=report, expert=request.user)
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Practice question added to the module “%(module)s”.") % {"module": question.module},
        )
    return redirect("reports:review", reference=reference)
