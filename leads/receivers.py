"""Receivers of the leads app, connected in LeadsConfig.ready().

- ``report_changed`` (reports): when an expert first decides a report, its pending pre-screens
  get their outcome. Bookkeeping only, in the decision's transaction.
- ``question_asked`` / ``question_answered`` (leads.signals): the notifications (the lead spotters
  of the asker's running rounds; the asker). ``notify`` emails after the commit.
"""

from __future__ import annotations

from django.urls import reverse

from notifications.models import Kind
from notifications.services import notify
from reports import events

from . import scope, services, signals

DECISIONS = (events.CONFIRMED, events.REJECTED, events.NEEDS_INFO)
EXCERPT = 140


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def on_report_changed(sender, *, report, action, **kwargs) -> None:
    if action in DECISIONS:
        services.record_prescreen_outcomes(report=report, action=action)


def on_question_asked(sender, *, question, actor, **kwargs) -> None:
    report = question.report
    path = reverse("leads:questions", args=[report.reference])
    for lead in scope.leads_of(report.volunteer_id):
        notify(
            user=lead,
            kind=Kind.QUESTION_ASKED,
            report=report,
            data={"excerpt": _excerpt(question.text), "path": path},
        )


def on_question_answered(sender, *, answer, actor, **kwargs) -> None:
    question = answer.question
    if question.asked_by_id == actor.pk:
        return
    notify(
        user=question.asked_by,
        kind=Kind.QUESTION_ANSWERED,
        report=question.report,
        data={"excerpt": _excerpt(answer.text)},
    )


def connect() -> None:
    events.report_changed.connect(on_report_changed, dispatch_uid="leads.prescreen_outcomes")
    signals.question_asked.connect(on_question_asked, dispatch_uid="leads.notify_asked")
    signals.question_answered.connect(on_question_answered, dispatch_uid="leads.notify_answered")
