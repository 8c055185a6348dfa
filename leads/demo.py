"""Demo data of the leads app, added when ``manage.py load_demo`` sends ``demo_loaded``.

A demo lead spotter (``lead@example.org``, certified through the real quizzes), both taking part
in the demo round with the demo volunteer; one of the volunteer's waiting reports pre-screened
"needs more evidence", and a question of the volunteer answered by the lead. Idempotent: run
twice, nothing is added twice. The round is the rounds app's demo round (rounds.demo).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from reports.demo import DEMO_PASSWORD
from reports.models import Report, ReportStatus
from rounds.demo import create_demo_round
from rounds.models import Participant, ParticipantStatus, Round
from spotter.models import Role, User
from spotter.services import create_user_with_role
from training.demo import certify_demo_volunteer

from . import services
from .models import PreScreen, PreScreenVerdict, Question

LEAD_EMAIL = "lead@example.org"
VOLUNTEER_EMAIL = "volunteer@example.org"

NOTE = {
    "en": "A close-up of the item and the seller's description would help the expert.",
    "fr": "Un gros plan de l'objet et la description du vendeur aideraient l'expert.",
    "zh-hans": "物品特写和卖家描述会对专家有帮助。",
}
QUESTION = {
    "en": "How do I show that the listing is still online after I flagged it?",
    "fr": "Comment montrer que l'annonce est encore en ligne après mon signalement ?",
    "zh-hans": "举报后，我如何证明该商品信息仍然在线？",
}
ANSWER = {
    "en": "Take a second screenshot with the date visible; the expert can compare both.",
    "fr": "Faites une seconde capture d'écran avec la date visible ; l'expert pourra comparer.",
    "zh-hans": "再截一张显示日期的截图，专家可以对比两张截图。",
}


def _three(texts: dict[str, str]) -> str:
    return "\n".join(texts[language] for language in ("en", "fr", "zh-hans"))


def demo_round() -> Round | None:
    """The rounds app's demo round (made once, through its services)."""
    return create_demo_round()


def demo_lead() -> User:
    lead = User.objects.filter(email=LEAD_EMAIL).first()
    if lead is None:
        lead = create_user_with_role(
            email=LEAD_EMAIL,
            role=Role.VOLUNTEER,
            password=DEMO_PASSWORD,
            display_name="Mei (demo lead spotter)",
            country="SG",
        )
    certify_demo_volunteer(lead)
    if not lead.is_lead_spotter:
        lead.is_lead_spotter = True
        lead.save(update_fields=["is_lead_spotter"])
    return lead


def _take_part(round_: Round, user: User) -> None:
    participant, created = Participant.objects.get_or_create(
        round=round_,
        volunteer=user,
        defaults={"status": ParticipantStatus.ACTIVE, "joined_at": timezone.now()},
    )
    if not created and participant.status != ParticipantStatus.ACTIVE:
        participant.status = ParticipantStatus.ACTIVE
        participant.save(update_fields=["status"])


@transaction.atomic
def load_leads_demo() -> User | None:
    volunteer = User.objects.filter(email=VOLUNTEER_EMAIL).first()
    if volunteer is None:
        return None
    round_ = demo_round()
    if round_ is None:
        return None
    lead = demo_lead()
    _take_part(round_, lead)
    _take_part(round_, volunteer)
    waiting = list(
        Report.objects.filter(volunteer=volunteer, status=ReportStatus.SUBMITTED).order_by(
            "submitted_at", "id"
        )
    )
    if waiting and not PreScreen.objects.filter(lead=lead).exists():
        services.prescreen(
            lead=lead,
            report=waiting[0],
            verdict=PreScreenVerdict.NEEDS_EVIDENCE,
            note=_three(NOTE),
        )
    if waiting and not Question.objects.filter(asked_by=volunteer).exists():
        question = services.ask_question(
            volunteer=volunteer, report=waiting[-1], text=_three(QUESTION)
        )
        services.answer_question(author=lead, question=question, text=_three(ANSWER))
    return lead


def on_demo_loaded(sender, *, accounts: list, **kwargs) -> None:
    lead = load_leads_demo()
    if lead is not None and all(email != LEAD_EMAIL for email, _role in accounts):
        accounts.append((LEAD_EMAIL, "lead spotter (volunteer)"))
