"""The leads app in a person's data export and account closure (registered with spotter.privacy).

Exported: the questions a volunteer asked, the answers and the pre-screens they wrote. Closing an
account deletes the questions the volunteer asked (with their answers): a help thread on their
own report, with free text that may say who they are. Pre-screens and answers written by a lead
stay: they are part of the review history and of the lead accuracy figures, and name no one once
the account is anonymised (the same choice as keyword proposals).
"""

from spotter.privacy import PersonalData, register_personal_data

from .models import Answer, PreScreen, Question


def _sections(user) -> dict:
    return {
        "lead_questions": [
            {"report": q.report.reference, "text": q.text, "created_at": q.created_at.isoformat()}
            for q in Question.objects.filter(asked_by=user).select_related("report")
        ],
        "lead_answers": [
            {
                "report": a.question.report.reference,
                "text": a.text,
                "created_at": a.created_at.isoformat(),
            }
            for a in Answer.objects.filter(author=user).select_related("question__report")
        ],
        "prescreens": [
            {
                "report": p.report.reference,
                "verdict": p.verdict,
                "note": p.note,
                "outcome": p.outcome,
                "created_at": p.created_at.isoformat(),
            }
            for p in PreScreen.objects.filter(lead=user).select_related("report")
        ],
    }


def _erase(user) -> None:
    Question.objects.filter(asked_by=user).delete()


def register() -> None:
    register_personal_data(
        PersonalData(
            app_label="leads",
            sections=_sections,
            exported_in_sections=("question", "answer", "prescreen"),
            erase=_erase,
        )
    )
