"""Changes owned by the quality app: blind second reviews and the lead-spotter offer.

Same shape as ``reports.services``: lock, check, save, audit event, then mark the counters due
a sync (``quality.rollups.refresh`` applies it).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import fragments
from reports.models import Report, Verdict
from reports.services import claim_report, confirm_report
from spotter.audit import record_event
from spotter.errors import InvalidState, NotAllowed, SpotterError
from spotter.models import Role, User

from . import blind, rollups, sampling
from .models import ReviewVerdict, SamplingDecision, SecondReview, SecondReviewStatus
from .selectors import fast_track_reports, lead_spotter_offer

SAMPLING_SALT = b"quality.second-review.v1"


def second_review_draw(report: Report) -> float:
    """A number in [0, 1) fixed by the report and the server's secret.

    Deterministic (an audit can replay which decisions were sampled) but unpredictable to
    experts, who do not know the secret, so nobody can tell which of their decisions will be
    checked."""
    message = SAMPLING_SALT + b":" + report.reference.encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign_second_review(report: Report) -> SecondReview | None:
    """Called inside the confirm/reject transaction: the decision is sampled for a blind second
    review when its draw is below its adaptive share (quality.sampling); the draw, the share
    and its factors are stored either way, so the choice can be replayed and weighed."""
    if report.verdict not in Verdict.values or report.decided_by_id is None:
        return None
    base = float(settings.SECOND_REVIEW_SHARE)
    if base <= 0:
        return None  # second review switched off: nothing to record
    conf = sampling.config()
    evidence = sampling.evidence_for(report, conf)
    share = sampling.share(evidence, base, conf)
    draw = second_review_draw(report)
    sampled = draw < share.p
    review = None
    if sampled:
        review, created = SecondReview.objects.get_or_create(
            report=report,
            defaults={"first_verdict": report.verdict, "first_expert_id": report.decided_by_id},
        )
        if created:
            record_event(
                actor=None,
                action="second_review.assigned",
                target=review,
                to_state=review.status,
                data={"report": report.reference, "p": round(share.p, 6), "draw": round(draw, 6)},
            )
    SamplingDecision.objects.get_or_create(
        report=report,
        defaults={
            "expert_id": report.decided_by_id,
            "review": review,
            "draw": draw,
            "p": share.p,
            "base": share.base,
            "f_expert": share.f_expert,
            "f_cites": share.f_cites,
            "f_volunteer": share.f_volunteer,
            "sampled": sampled,
            "expert_reviews": evidence.expert_reviews,
            "expert_disagreements": evidence.expert_disagreements,
            "expert_band": share.expert_band,
            "cites_appendix": evidence.cites_appendix,
            "live": evidence.live,
            "volunteer_decided": evidence.volunteer_confirmed + evidence.volunteer_rejected,
            "volunteer_low": share.volunteer_low,
        },
    )
    return review


def second_review_problem(review: SecondReview, expert: User) -> str | None:
    """Why ``expert`` may not give the second opinion on ``review`` (None if they may)."""
    return blind.reviewer_problem(review, expert)


def _check_verdict(verdict: str) -> None:
    if verdict not in ReviewVerdict.values:
        raise InvalidState(_("Choose confirm or reject."))


def submit_second_review(
    *, review: SecondReview, expert: User, verdict: str, note: str = ""
) -> SecondReview:
    """The blind second opinion. Agreement closes the case; disagreement goes to a senior."""
    _check_verdict(verdict)
    with transaction.atomic():
        review = SecondReview.objects.select_for_update().select_related("report").get(pk=review.pk)
        problem = second_review_problem(review, expert)
        if problem:
            raise NotAllowed(problem)
        if review.status != SecondReviewStatus.PENDING:
            raise InvalidState(_("This case already has its second review."))
        agrees = verdict == review.first_verdict
        review.second_expert = expert
        review.second_verdict = verdict
        review.second_note = note.strip()
        review.decided_at = timezone.now()
        review.status = SecondReviewStatus.AGREED if agrees else SecondReviewStatus.ESCALATED
        review.escalated_to_senior = not agrees
        review.save(
            update_fields=[
                "second_expert",
                "second_verdict",
                "second_note",
                "decided_at",
                "status",
                "escalated_to_senior",
            ]
        )
        record_event(
            actor=expert,
            action="second_review.decided",
            target=review,
            from_state=SecondReviewStatus.PENDING,
            to_state=review.status,
            reason=review.second_note,
            data={"verdict": verdict, "agrees": agrees},
        )
        rollups.mark_dirty(review.report_id)
        # The first decision is visible again to this reviewer, and the volunteer's figures may
        # move: the cached lists that show them are replaced (reports/fragments.py).
        fragments.bump_now_and_on_commit(fragments.scopes_for(review.report))
    return review


def senior_problem(review: SecondReview, senior: User) -> str | None:
    if senior.role != Role.EXPERT or not senior.is_senior_expert:
        return _("Only senior experts make the final call.")
    if senior.pk in (review.first_expert_id, review.second_expert_id):
        return _("You already gave an opinion on this case; another senior expert must decide.")
    if review.report.volunteer_id == senior.pk:
        return _("You cannot review a report you submitted.")
    return None


def decide_escalation(
    *, review: SecondReview, senior: User, verdict: str, note: str
) -> SecondReview:
    """A senior expert's final call on a disagreement.

    It is recorded for the agreement statistics and, when it overturns the first verdict,
    flagged on the dashboard for the programme to follow up; it does not rewrite the report's
    own verdict (that would be a report transition of its own)."""
    _check_verdict(verdict)
    if not note.strip():
        raise InvalidState(_("Explain the final call in the note."))
    with transaction.atomic():
        review = SecondReview.objects.select_for_update().select_related("report").get(pk=review.pk)
        problem = senior_problem(review, senior)
        if problem:
            raise NotAllowed(problem)
        if review.status != SecondReviewStatus.ESCALATED:
            raise InvalidState(_("This case is not waiting for a senior expert."))
        review.senior_expert = senior
        review.senior_verdict = verdict
        review.senior_note = note.strip()
        review.senior_decided_at = timezone.now()
        review.status = SecondReviewStatus.RESOLVED
        review.save(
            update_fields=[
                "senior_expert",
                "senior_verdict",
                "senior_note",
                "senior_decided_at",
                "status",
            ]
        )
        record_event(
            actor=senior,
            action="second_review.resolved",
            target=review,
            from_state=SecondReviewStatus.ESCALATED,
            to_state=review.status,
            reason=review.senior_note,
            data={"verdict": verdict, "upholds_first": verdict == review.first_verdict},
        )
        rollups.mark_dirty(review.report_id)
        fragments.bump_now_and_on_commit(fragments.scopes_for(review.report))
    return review


def accept_lead_spotter(*, volunteer: User) -> User:
    """The volunteer accepts the lead-spotter offer (only while they qualify for it)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=volunteer.pk)
        if user.role != Role.VOLUNTEER:
            raise NotAllowed(_("Only volunteers can become lead spotters."))
        if user.is_lead_spotter:
            return user
        offer = lead_spotter_offer(user)
        if not offer.eligible:
            raise InvalidState(offer.reason)
        user.is_lead_spotter = True
        user.save(update_fields=["is_lead_spotter"])
        record_event(
            actor=user,
            action="user.lead_spotter_accepted",
            target=user,
            to_state="lead_spotter",
            data={
                "decided": offer.accuracy.decided,
                "lower_bound": round(offer.accuracy.low, 4),
            },
        )
    volunteer.is_lead_spotter = True
    return user


@dataclass
class FastTrackResult:
    confirmed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)


def confirm_fast_tracked(*, expert: User, references: list[str]) -> FastTrackResult:
    """Confirm low-risk reports from the fast-track batch view, one transaction per report.

    Each reference is looked up through ``fast_track_reports`` (the one fast-track rule) with
    its row locked, so a report that is not — or no longer — eligible (Appendix I, a live
    animal, an untrusted volunteer, already claimed…) is refused whatever was posted; an
    eligible one is claimed and confirmed by the ordinary review services, so forwarding,
    events and second-review sampling all happen as for any confirm."""
    result = FastTrackResult()
    for reference in dict.fromkeys(references):  # once each, in the order given
        try:
            with transaction.atomic():
                report = (
                    fast_track_reports(expert)
                    .select_for_update(of=("self",))
                    .filter(reference=reference)
                    .first()
                )
                if report is None:
                    raise NotAllowed(_("This report cannot be fast-tracked."))
                report = claim_report(report=report, expert=expert)
                confirm_report(report=report, expert=expert)
        except SpotterError as exc:
            result.refused.append((reference, str(exc)))
        else:
            result.confirmed.append(reference)
    if result.confirmed:
        record_event(
            actor=expert,
            action="fast_track.batch_confirmed",
            target=expert,
            data={"confirmed": result.confirmed, "refused": [r for r, _w in result.refused]},
        )
    return result
