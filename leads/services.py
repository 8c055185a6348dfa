"""Every change in the leads app is one function here: lock, check, save, audit, one signal.

Nothing here changes a report: a pre-screen is advice to the expert, and a question is a thread
beside the report. Refusals are the domain errors of ``spotter.errors``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import Report
from spotter.audit import record_event
from spotter.errors import InvalidInput, InvalidState, NotAllowed
from spotter.models import User

from . import conf, permissions, signals
from .models import Answer, PreScreen, PreScreenVerdict, Question


def clean_text(text: str | None, *, field: str, required: bool) -> str:
    """The one validation of notes, questions and answers (forms and API call it)."""
    if text is not None and not isinstance(text, str):
        raise InvalidInput(_("Send text."), field=field)
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput(_("Write something first."), field=field)
    if len(text) > int(conf.LEAD_TEXT_MAX):
        raise InvalidInput(
            _("At most %(n)d characters.") % {"n": int(conf.LEAD_TEXT_MAX)}, field=field
        )
    return text


def clean_verdict(verdict: str | None) -> str:
    if verdict not in PreScreenVerdict.values:
        raise InvalidInput(_("Choose “looks good” or “needs more evidence”."), field="verdict")
    return verdict


def _locked_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=report.pk)
    )


def prescreen(*, lead: User, report: Report, verdict: str, note: str = "") -> PreScreen:
    """The lead's first pass on a newer volunteer's report. Never changes the report."""
    verdict = clean_verdict(verdict)
    note = clean_text(note, field="note", required=False)
    with transaction.atomic():
        # Lock the report so the check (still waiting, still in scope) holds until we write.
        report = _locked_report(report)
        if not permissions.can_prescreen(lead, report):
            if not permissions.is_lead(lead):
                raise NotAllowed(_("Only lead spotters pre-screen reports."))
            raise InvalidState(_("This report is no longer waiting for a pre-screen by you."))
        if PreScreen.objects.filter(report=report, lead=lead).exists():
            raise InvalidState(_("You already pre-screened this report."))
        item = PreScreen.objects.create(report=report, lead=lead, verdict=verdict, note=note)
        record_event(
            actor=lead,
            action="lead.prescreened",
            target=item,
            to_state=verdict,
            reason=note,
            data={"report": report.reference},
        )
        signals.prescreened.send(sender=PreScreen, prescreen=item, actor=lead)
    return item


def ask_question(*, volunteer: User, report: Report, text: str) -> Question:
    text = clean_text(text, field="text", required=True)
    with transaction.atomic():
        report = _locked_report(report)
        if not permissions.can_ask(volunteer, report):
            raise NotAllowed(_("Only the volunteer who flagged this report may ask about it."))
        question = Question.objects.create(report=report, asked_by=volunteer, text=text)
        record_event(
            actor=volunteer,
            action="lead.question_asked",
            target=question,
            data={"report": report.reference},
        )
        signals.question_asked.send(sender=Question, question=question, actor=volunteer)
    return question


def answer_question(*, author: User, question: Question, text: str) -> Answer:
    text = clean_text(text, field="text", required=True)
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("report__volunteer")
            .get(pk=question.pk)
        )
        if not permissions.can_answer(author, question.report):
            raise NotAllowed(_("You may not answer questions about this report."))
        answer = Answer.objects.create(question=question, author=author, text=text)
        first = question.answered_at is None
        if first:
            question.answered_at = answer.created_at
            question.save(update_fields=["answered_at"])
        record_event(
            actor=author,
            action="lead.question_answered",
            target=question,
            data={"report": question.report.reference, "answer": answer.pk, "first": first},
        )
        signals.question_answered.send(sender=Answer, answer=answer, actor=author)
    return answer


# --- bookkeeping: pre-screen accuracy ------------------------------------------------------

# The expert decision each pre-screen verdict agrees with. "Needs more evidence" agrees with a
# rejection and with a request for more information; "looks good" with a confirmation.
AGREES_WITH = {
    PreScreenVerdict.LOOKS_GOOD: ("report.confirmed",),
    PreScreenVerdict.NEEDS_EVIDENCE: ("report.rejected", "report.needs_info"),
}


def record_prescreen_outcomes(*, report: Report, action: str) -> int:
    """Give the report's pending pre-screens their outcome from the expert's first decision.

    Called by the ``report_changed`` receiver inside the decision's transaction; only pending
    rows change (a later decision after a resubmission does not rewrite the outcome). Returns
    the number of rows updated."""
    now = timezone.now()
    updated = 0
    for verdict, actions in AGREES_WITH.items():
        outcome = "agreed" if action in actions else "disagreed"
        updated += PreScreen.objects.filter(report=report, outcome="", verdict=verdict).update(
            outcome=outcome, expert_action=action, outcome_at=now
        )
    return updated
