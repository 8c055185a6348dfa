"""Reads of the leads app: pre-screen accuracy per lead, and a report's pre-screens/questions.

Accuracy is computed from the ``outcome`` stored on each PreScreen (written once by the
``report_changed`` bookkeeping receiver): agreed ÷ (agreed + disagreed), with the shared 95%
Wilson interval (``spotter.stats``). Pending pre-screens are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from spotter.models import Role, User
from spotter.stats import AccuracyEstimate

from .models import Answer, PreScreen, PreScreenOutcome, Question


@dataclass(frozen=True)
class PreScreenAccuracy:
    agreed: int
    disagreed: int
    pending: int

    @property
    def estimate(self) -> AccuracyEstimate:
        # AccuracyEstimate's "confirmed" is the successes: here, agreements with the expert.
        return AccuracyEstimate(self.agreed, self.disagreed)

    @property
    def decided(self) -> int:
        return self.agreed + self.disagreed


def _counts():
    return {
        "agreed": Count("pk", filter=Q(outcome=PreScreenOutcome.AGREED)),
        "disagreed": Count("pk", filter=Q(outcome=PreScreenOutcome.DISAGREED)),
        "pending": Count("pk", filter=Q(outcome=PreScreenOutcome.PENDING)),
    }


def prescreen_accuracy(lead: User) -> PreScreenAccuracy:
    return PreScreenAccuracy(**PreScreen.objects.filter(lead=lead).aggregate(**_counts()))


def recent_prescreens(lead: User, limit: int = 20) -> list[PreScreen]:
    return list(
        PreScreen.objects.filter(lead=lead)
        .select_related("report")
        .only("verdict", "note", "created_at", "outcome", "expert_action", "report__reference")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class LeadRow:
    lead: User
    accuracy: PreScreenAccuracy


def lead_table() -> QuerySet[User]:
    """Every lead spotter with their pre-screen counts (admins), most decided first."""
    prefix = {
        "ps_agreed": Count("prescreens", filter=Q(prescreens__outcome=PreScreenOutcome.AGREED)),
        "ps_disagreed": Count(
            "prescreens", filter=Q(prescreens__outcome=PreScreenOutcome.DISAGREED)
        ),
        "ps_pending": Count("prescreens", filter=Q(prescreens__outcome=PreScreenOutcome.PENDING)),
    }
    return (
        User.objects.filter(is_lead_spotter=True, role=Role.VOLUNTEER)
        .annotate(**prefix)
        .order_by("-ps_agreed", "-ps_disagreed", "pk")
    )


def lead_rows(users) -> list[LeadRow]:
    return [LeadRow(u, PreScreenAccuracy(u.ps_agreed, u.ps_disagreed, u.ps_pending)) for u in users]


def thread(report) -> list[Question]:
    """The report's questions with their answers (two queries)."""
    questions = list(Question.objects.filter(report=report).order_by("created_at", "id"))
    by_question: dict[int, list[Answer]] = {q.pk: [] for q in questions}
    answers = Answer.objects.filter(question__report=report).select_related("author")
    for answer in answers.order_by("created_at", "id"):
        by_question[answer.question_id].append(answer)
    for question in questions:
        question.thread_answers = by_question[question.pk]
    return questions
