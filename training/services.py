"""Every state change in training, one function per transition.

Same steps as reports.services: check, ``transaction.atomic`` + ``select_for_update``, save,
audit event. Scoring happens here, on the server, from the layout stored on the attempt; the
browser only ever sends "question id -> choice id" pairs.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import RejectionReason, Report, Verdict
from spotter.audit import record_event
from spotter.errors import InvalidState, NotAllowed
from spotter.models import Role, User

from .models import AttemptAnswer, Certificate, Choice, Module, Question, QuestionKind, QuizAttempt
from .selectors import REFRESHER_DAYS, visible_questions


@dataclass
class Submission:
    attempt: QuizAttempt
    certificate: Certificate | None = None  # issued by this submission
    already_submitted: bool = False


def validity_start(now: datetime) -> datetime:
    return now - timedelta(days=settings.CERTIFICATE_VALID_DAYS)


def start_attempt(*, user: User, module: Module) -> QuizAttempt:
    """Continue the learner's open attempt of ``module``, or draw a new one."""
    if not module.is_published:
        raise InvalidState(_("This module is not available."))
    with transaction.atomic():
        # Lock the learner's row so two tabs opening the quiz at once get the same attempt.
        User.objects.select_for_update().filter(pk=user.pk).first()
        open_attempt = (
            QuizAttempt.objects.filter(user=user, module=module, submitted_at__isnull=True)
            .order_by("-started_at")
            .first()
        )
        if open_attempt is not None:
            return open_attempt
        questions = visible_questions(user, Question.objects.filter(module=module, is_active=True))
        bank = list(questions.values_list("pk", flat=True))
        if not bank:
            raise InvalidState(_("This module has no questions yet."))
        rng = random.SystemRandom()
        drawn = rng.sample(bank, min(module.questions_per_quiz, len(bank)))
        choices: dict[int, list[int]] = {pk: [] for pk in drawn}
        for question_id, choice_id in Choice.objects.filter(question_id__in=drawn).values_list(
            "question_id", "pk"
        ):
            choices[question_id].append(choice_id)
        layout = []
        for question_id in drawn:
            order = choices[question_id]
            rng.shuffle(order)
            layout.append({"q": question_id, "c": order})
        attempt = QuizAttempt.objects.create(
            user=user,
            module=module,
            role=user.role,
            layout=layout,
            question_count=len(layout),
            pass_percent=module.pass_percent,
        )
        record_event(
            actor=user,
            action="training.attempt_started",
            target=attempt,
            data={"module": module.slug, "questions": len(layout)},
        )
    return attempt


def submit_attempt(*, attempt: QuizAttempt, user: User, answers: dict[int, int]) -> Submission:
    """Score an attempt once. ``answers`` maps question id -> chosen choice id.

    Anything not in the attempt's stored layout (other questions, choices of another question)
    is ignored; a second submission returns the stored result unchanged."""
    with transaction.atomic():
        attempt = (
            QuizAttempt.objects.select_for_update().select_related("module").get(pk=attempt.pk)
        )
        if attempt.user_id != user.pk:
            raise NotAllowed(_("This is not your quiz."))
        if attempt.is_submitted:
            return Submission(attempt=attempt, already_submitted=True)
        allowed = {row["q"]: set(row["c"]) for row in attempt.layout}
        wanted = {
            q: c for q, c in answers.items() if q in allowed and c in allowed[q]
        }  # silently drop forged pairs: they score nothing
        correct_ids = set(
            Choice.objects.filter(pk__in=wanted.values(), is_correct=True).values_list(
                "pk", flat=True
            )
        )
        rows = [
            AttemptAnswer(
                attempt=attempt,
                question_id=question_id,
                choice_id=wanted.get(question_id),
                is_correct=wanted.get(question_id) in correct_ids,
            )
            for question_id in allowed
        ]
        AttemptAnswer.objects.bulk_create(rows)
        now = timezone.now()
        total = len(rows)
        correct = sum(row.is_correct for row in rows)
        attempt.submitted_at = now
        attempt.correct_count = correct
        attempt.question_count = total
        attempt.score_percent = (correct * 100) // total if total else 0
        # Integer arithmetic, so exactly the pass mark passes (8/10 at 80%).
        attempt.passed = total > 0 and correct * 100 >= attempt.pass_percent * total
        attempt.save(
            update_fields=[
                "submitted_at",
                "correct_count",
                "question_count",
                "score_percent",
                "passed",
            ]
        )
        record_event(
            actor=user,
            action="training.attempt_submitted",
            target=attempt,
            to_state="passed" if attempt.passed else "failed",
            data={
                "module": attempt.module.slug,
                "score_percent": attempt.score_percent,
                "correct": correct,
                "questions": total,
            },
        )
        certificate = maybe_certify(user, now=now) if attempt.passed else None
    return Submission(attempt=attempt, certificate=certificate)


def _qualifies(user: User, since: datetime) -> datetime | None:
    """When ``user`` last completed the certification requirements after ``since``, or None."""
    passes = QuizAttempt.objects.filter(user=user, passed=True, submitted_at__gt=since)
    core = passes.filter(module__is_core=True).order_by("-submitted_at").first()
    species = passes.filter(module__is_core=False).order_by("-submitted_at").first()
    if core is None or species is None:
        return None
    return max(core.submitted_at, species.submitted_at)


def maybe_certify(user: User, *, now: datetime | None = None) -> Certificate | None:
    """Issue a certificate if a volunteer now qualifies; returns the new one, if any.

    Qualifies = a passed core attempt and a passed species-module attempt, both within the
    validity window. A holder whose certificate expires within 30 days renews it by passing
    both again after it was issued (the refresher)."""
    if user.role != Role.VOLUNTEER:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = Certificate.objects.valid(now).filter(user=user).order_by("-expires_at").first()
        since = validity_start(now)
        if current is not None:
            if current.expires_at > now + timedelta(days=REFRESHER_DAYS):
                return None
            since = max(since, current.issued_at)
        if _qualifies(user, since) is None:
            return None
        certificate = Certificate.objects.create(
            user=user,
            issued_at=now,
            expires_at=now + timedelta(days=settings.CERTIFICATE_VALID_DAYS),
        )
        record_event(
            actor=user,
            action="training.certified",
            target=certificate,
            to_state="renewed" if current else "certified",
            data={"expires_at": certificate.expires_at.isoformat()},
        )
    return certificate


def revoke_certificate(*, certificate: Certificate, actor: User, reason: str = "") -> Certificate:
    if not actor.is_programme_admin:
        raise NotAllowed(_("Only coalition admins can revoke certificates."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked:
            return certificate
        certificate.revoked = True
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["revoked", "revoked_at"])
        record_event(
            actor=actor,
            action="training.certificate_revoked",
            target=certificate,
            to_state="revoked",
            reason=reason,
        )
    return certificate


_URL_RE = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_MENTION_RE = re.compile(r"(?<!\w)@[\w.]{2,}")
_PHONE_RE = re.compile(r"\+?\d[\d\s().-]{6,}\d")


def anonymise(text: str, handles: list[str]) -> str:
    """Remove what could identify the seller (or lead a learner to them): links, emails,
    @handles, phone-like numbers and the seller's handle wherever it appears."""
    for handle in filter(None, handles):
        text = re.sub(re.escape(handle), _("[seller]"), text, flags=re.IGNORECASE)
    text = _URL_RE.sub(_("[link removed]"), text)
    text = _EMAIL_RE.sub(_("[contact removed]"), text)
    text = _MENTION_RE.sub(_("[seller]"), text)
    return _PHONE_RE.sub(_("[number removed]"), text)


def _practice_explanation(report: Report, handles: list[str]) -> str:
    if report.verdict == Verdict.CONFIRMED:
        species = report.species
        text = _("Experts confirmed this real listing as prohibited.")
        if species is not None:
            text += " " + _("Species: %(species)s, CITES Appendix %(appendix)s.") % {
                "species": species.common_name(),
                "appendix": species.cites_appendix,
            }
    else:
        text = _("Experts rejected this real report: %(reason)s.") % {
            "reason": RejectionReason(report.rejection_reason).label
            if report.rejection_reason
            else _("no violation")
        }
    if report.expert_note.strip():
        text += " " + _("Expert's note: %(note)s") % {
            "note": anonymise(report.expert_note.strip(), handles)
        }
    return text


def create_practice_question(*, report: Report, expert: User) -> Question:
    """Turn a decided report into an "is this listing prohibited?" question (idempotent).

    The volunteer, the URL and the seller never reach the question; the screenshots are not
    copied either, because they show the seller and the page address."""
    if expert.role != Role.EXPERT:
        raise NotAllowed(_("Only experts can make practice questions."))
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("species")
            .get(pk=report.pk)
        )
        existing = Question.objects.filter(source_report=report).first()
        if existing is not None:
            return existing
        if report.verdict not in (Verdict.CONFIRMED, Verdict.REJECTED):
            raise InvalidState(_("Only decided reports can become practice questions."))
        module = None
        if report.species is not None:
            module = Module.objects.filter(species_group_id=report.species.group_id).first()
        module = module or Module.objects.filter(is_core=True).first()
        if module is None:
            raise InvalidState(_("There is no training module to add the question to."))
        handles = [report.seller_handle.strip()]
        question = Question.objects.create(
            module=module,
            kind=QuestionKind.LISTING,
            prompt=_("Real case: is this listing prohibited under the Coalition policy framework?"),
            listing_title=anonymise(report.listing_title, handles)[:300],
            listing_text=anonymise(report.listing_text, handles),
            explanation=_practice_explanation(report, handles),
            source_report=report,
            created_by=expert,
        )
        confirmed = report.verdict == Verdict.CONFIRMED
        Choice.objects.bulk_create(
            [
                Choice(
                    question=question, text=_("Prohibited: flag it"), is_correct=confirmed, order=1
                ),
                Choice(
                    question=question,
                    text=_("Not prohibited, or not enough to flag"),
                    is_correct=not confirmed,
                    order=2,
                ),
            ]
        )
        record_event(
            actor=expert,
            action="training.practice_question_created",
            target=question,
            data={"report": report.reference, "module": module.slug},
        )
    return question
