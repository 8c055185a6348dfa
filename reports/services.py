"""Every state change of a report, one function per transition.

Each function follows the same steps: lock the row, check the current state (raise
``TransitionError`` if the move is not allowed), save with ``update_fields``, write an audit
event, and schedule side effects with ``transaction.on_commit`` so nothing is sent for a change
that rolled back. Views, API views, admin actions and Celery tasks all call these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quality import hooks as quality_hooks
from spotter.audit import record_event
from spotter.models import Role, User

from . import forwarding, limits, rollups
from .evidence import ProcessedImage
from .models import (
    OPEN_STATUSES,
    Evidence,
    MemberCompany,
    Outcome,
    PlatformDomain,
    ProductType,
    RejectionReason,
    Report,
    ReportStatus,
    Species,
    Verdict,
)
from .tasks import notify_volunteer
from .urlnorm import normalize_listing_url


class TransitionError(Exception):
    """The requested change is not allowed now; the message is shown to the user."""


class PermissionDenied(TransitionError):
    """The user may not make this change at all."""


class SubmissionLimitReached(TransitionError):
    """The volunteer used up ``SUBMISSIONS_PER_HOUR`` (pages and API together); the form shows
    the message, the API answers 429 with ``Retry-After: retry_after``."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = -(-retry_after // 60)
        super().__init__(
            ngettext(
                "You can submit at most %(limit)d reports an hour. Try again in %(minutes)d "
                "minute.",
                "You can submit at most %(limit)d reports an hour. Try again in %(minutes)d "
                "minutes.",
                minutes,
            )
            % {"limit": settings.SUBMISSIONS_PER_HOUR, "minutes": minutes}
        )


@dataclass
class ListingDetails:
    """What a volunteer tells us about a listing (already validated by a form/serializer)."""

    listing_url: str
    listing_title: str
    product_type: ProductType
    species: Species | None = None
    species_other: str = ""
    listing_text: str = ""
    listing_language: str = ""
    price: Decimal | None = None
    currency: str = ""
    seller_handle: str = ""
    quantity: int | None = None
    listing_location: str = ""
    notes: str = ""
    fields_set: tuple[str, ...] = field(default=())


LISTING_FIELDS = (
    "listing_title",
    "product_type",
    "species",
    "species_other",
    "listing_text",
    "listing_language",
    "price",
    "currency",
    "seller_handle",
    "quantity",
    "listing_location",
    "notes",
)


def company_for_domain(registrable_domain: str) -> MemberCompany | None:
    link = (
        PlatformDomain.objects.select_related("company")
        .filter(domain=registrable_domain, company__is_active=True)
        .first()
    )
    return link.company if link else None


def _lock_url(normalized_url: str) -> None:
    """Serialise submissions of one URL so two of them cannot both become the 'original'."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [normalized_url])
    # SQLite: transactions are IMMEDIATE (see settings), so writers are already serialised.


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _require_state(report: Report, *allowed: str) -> None:
    if report.status not in allowed:
        raise TransitionError(
            _("This report is %(status)s; that action is not possible now.")
            % {"status": report.get_status_display().lower()}
        )


def _attach_evidence(
    report: Report, images: Iterable[ProcessedImage], names: Iterable[str]
) -> None:
    for processed, name in zip(images, names, strict=True):
        evidence = Evidence(
            report=report,
            original_name=name[:255],
            original_sha256=processed.original_sha256,
            original_size=len(processed.original_bytes),
            original_format=processed.original_format,
            image_sha256=processed.clean_sha256,
            width=processed.width,
            height=processed.height,
        )
        ext = processed.original_format.lower().replace("jpeg", "jpg")
        evidence.original.save(f"original.{ext}", ContentFile(processed.original_bytes), save=False)
        evidence.image.save(
            f"image.{processed.clean_extension}", ContentFile(processed.clean_bytes), save=False
        )
        evidence.save()


def ensure_can_submit(user: User) -> None:
    from training.selectors import certification_problem

    if user.role != Role.VOLUNTEER:
        raise PermissionDenied(_("Only volunteers can submit reports."))
    problem = certification_problem(user)
    if problem:
        raise PermissionDenied(problem)
    # Only a look (nothing counted), so both doors refuse before decoding any upload.
    retry_after = limits.spent(
        "submissions", user.pk, limit=settings.SUBMISSIONS_PER_HOUR, period=3600
    )
    if retry_after is not None:
        raise SubmissionLimitReached(retry_after)


def submit_report(
    *,
    volunteer: User,
    details: ListingDetails,
    images: list[ProcessedImage],
    image_names: list[str] | None = None,
) -> Report:
    """Create a report; if the same listing is already open, link it as a duplicate."""
    ensure_can_submit(volunteer)
    if not 1 <= len(images) <= 5:
        raise TransitionError(_("Attach between 1 and 5 screenshots."))
    normalized = normalize_listing_url(details.listing_url)
    retry_after = limits.hit(
        "submissions", volunteer.pk, limit=settings.SUBMISSIONS_PER_HOUR, period=3600
    )
    if retry_after is not None:
        raise SubmissionLimitReached(retry_after)
    with transaction.atomic():
        _lock_url(normalized.url)
        original = (
            Report.objects.filter(normalized_url=normalized.url, status__in=OPEN_STATUSES)
            .order_by("submitted_at")
            .first()
        )
        report = Report(
            volunteer=volunteer,
            listing_url=details.listing_url.strip(),
            normalized_url=normalized.url,
            domain=normalized.registrable_domain,
            company=company_for_domain(normalized.registrable_domain),
            species_reported=details.species,
            **{name: getattr(details, name) for name in LISTING_FIELDS},
        )
        if original is not None:
            report.status = ReportStatus.DUPLICATE
            report.duplicate_of = original
        report.save()
        _attach_evidence(report, images, image_names or [""] * len(images))
        record_event(
            actor=volunteer,
            action="report.submitted",
            target=report,
            to_state=report.status,
            data={"duplicate_of": original.reference if original else None},
        )
        rollups.on_submitted(report)
    return report


def claim_report(*, report: Report, expert: User) -> Report:
    """An expert takes a report from the queue. Two experts can never hold the same one."""
    if expert.role != Role.EXPERT:
        raise PermissionDenied(_("Only experts review reports."))
    with transaction.atomic():
        report = _locked(report)
        if report.volunteer_id == expert.pk:
            raise PermissionDenied(_("You cannot review a report you submitted."))
        if report.status == ReportStatus.IN_REVIEW and report.claimed_by_id == expert.pk:
            return report  # claiming twice is harmless
        _require_state(report, ReportStatus.SUBMITTED)
        previous = report.status
        report.status = ReportStatus.IN_REVIEW
        report.claimed_by = expert
        report.claimed_at = timezone.now()
        report.save(update_fields=["status", "claimed_by", "claimed_at", "updated_at"])
        record_event(
            actor=expert,
            action="report.claimed",
            target=report,
            from_state=previous,
            to_state=report.status,
        )
    return report


def release_report(*, report: Report, expert: User) -> Report:
    """Give a claimed report back to the queue."""
    with transaction.atomic():
        report = _locked(report)
        _require_state(report, ReportStatus.IN_REVIEW)
        if report.claimed_by_id != expert.pk and not expert.is_programme_admin:
            raise PermissionDenied(_("Another expert is reviewing this report."))
        report.status = ReportStatus.SUBMITTED
        report.claimed_by = None
        report.claimed_at = None
        report.save(update_fields=["status", "claimed_by", "claimed_at", "updated_at"])
        record_event(
            actor=expert,
            action="report.released",
            target=report,
            from_state=ReportStatus.IN_REVIEW,
            to_state=report.status,
        )
    return report


def _require_claim(report: Report, expert: User) -> None:
    _require_state(report, ReportStatus.IN_REVIEW)
    if report.claimed_by_id != expert.pk:
        raise PermissionDenied(_("Claim the report before deciding it."))


def confirm_report(
    *, report: Report, expert: User, species: Species | None = None, note: str = ""
) -> Report:
    """Confirm a claimed report (optionally correcting the species) and forward it."""
    with transaction.atomic():
        report = _locked(report)
        _require_claim(report, expert)
        corrected = species is not None and species.pk != report.species_id
        if species is None and report.species_id is None:
            raise TransitionError(_("Choose the species before confirming."))
        now = timezone.now()
        if corrected:
            report.species = species
        report.status = ReportStatus.CONFIRMED
        report.verdict = Verdict.CONFIRMED
        report.decided_by = expert
        report.decided_at = now
        report.expert_note = note
        report.save(
            update_fields=[
                "status",
                "verdict",
                "decided_by",
                "decided_at",
                "expert_note",
                "species",
                "updated_at",
            ]
        )
        record_event(
            actor=expert,
            action="report.confirmed",
            target=report,
            from_state=ReportStatus.IN_REVIEW,
            to_state=report.status,
            reason=note,
            data={"species_corrected_to": report.species.scientific_name} if corrected else {},
        )
        rollups.on_decided(report)
        quality_hooks.after_decision(report)
        if report.company_id is not None:
            forward_report(report=report, actor=expert)
        transaction.on_commit(lambda: _notify(report.pk, "decided"))
    return report


def reject_report(*, report: Report, expert: User, reason: str, note: str = "") -> Report:
    if reason not in RejectionReason.values:
        raise TransitionError(_("Choose a reason for rejecting the report."))
    if reason == RejectionReason.OTHER and not note.strip():
        raise TransitionError(_("Explain the reason in the note."))
    with transaction.atomic():
        report = _locked(report)
        _require_claim(report, expert)
        report.status = ReportStatus.REJECTED
        report.verdict = Verdict.REJECTED
        report.rejection_reason = reason
        report.expert_note = note
        report.decided_by = expert
        report.decided_at = timezone.now()
        report.save(
            update_fields=[
                "status",
                "verdict",
                "rejection_reason",
                "expert_note",
                "decided_by",
                "decided_at",
                "updated_at",
            ]
        )
        record_event(
            actor=expert,
            action="report.rejected",
            target=report,
            from_state=ReportStatus.IN_REVIEW,
            to_state=report.status,
            reason=f"{RejectionReason(reason).label}: {note}".strip(": "),
        )
        rollups.on_decided(report)
        quality_hooks.after_decision(report)
        transaction.on_commit(lambda: _notify(report.pk, "decided"))
    return report


def request_info(*, report: Report, expert: User, message: str) -> Report:
    """Return the report to its volunteer with a question; it leaves the queue until resubmitted."""
    if not message.strip():
        raise TransitionError(_("Say what information is needed."))
    with transaction.atomic():
        report = _locked(report)
        _require_claim(report, expert)
        report.status = ReportStatus.NEEDS_INFO
        report.info_request = message
        report.claimed_by = None
        report.claimed_at = None
        report.save(
            update_fields=["status", "info_request", "claimed_by", "claimed_at", "updated_at"]
        )
        record_event(
            actor=expert,
            action="report.needs_info",
            target=report,
            from_state=ReportStatus.IN_REVIEW,
            to_state=report.status,
            reason=message,
        )
        transaction.on_commit(lambda: _notify(report.pk, "needs_info"))
    return report


def resubmit_report(
    *,
    report: Report,
    volunteer: User,
    details: ListingDetails,
    images: list[ProcessedImage] | None = None,
    image_names: list[str] | None = None,
) -> Report:
    """The volunteer answers a needs-info request: edit the listing details, add screenshots."""
    images = images or []
    with transaction.atomic():
        report = _locked(report)
        if report.volunteer_id != volunteer.pk:
            raise PermissionDenied(_("This is not your report."))
        _require_state(report, ReportStatus.NEEDS_INFO)
        if report.evidence.count() + len(images) > 5:
            raise TransitionError(_("A report holds at most 5 screenshots."))
        changed = []
        for name in LISTING_FIELDS:
            new = getattr(details, name)
            if getattr(report, name) != new:
                setattr(report, name, new)
                changed.append(name)
        if "species" in changed:
            report.species_reported = report.species
        report.status = ReportStatus.SUBMITTED
        report.save()
        _attach_evidence(report, images, image_names or [""] * len(images))
        record_event(
            actor=volunteer,
            action="report.resubmitted",
            target=report,
            from_state=ReportStatus.NEEDS_INFO,
            to_state=report.status,
            data={"changed": changed, "screenshots_added": len(images)},
        )
    return report


def withdraw_report(*, report: Report, volunteer: User) -> Report:
    with transaction.atomic():
        report = _locked(report)
        if report.volunteer_id != volunteer.pk:
            raise PermissionDenied(_("This is not your report."))
        _require_state(report, ReportStatus.SUBMITTED, ReportStatus.NEEDS_INFO)
        previous = report.status
        report.status = ReportStatus.WITHDRAWN
        report.save(update_fields=["status", "updated_at"])
        record_event(
            actor=volunteer,
            action="report.withdrawn",
            target=report,
            from_state=previous,
            to_state=report.status,
        )
    return report


def forward_report(*, report: Report, actor: User | None = None) -> Report:
    """Send a confirmed report to its company: outbox rows now, delivery after commit."""
    with transaction.atomic():
        report = _locked(report)
        _require_state(report, ReportStatus.CONFIRMED)
        if report.company_id is None:
            raise TransitionError(_("This platform is not a coalition member."))
        now = timezone.now()
        report.status = ReportStatus.FORWARDED
        report.forwarded_at = now
        report.ack_due_at = now + timedelta(hours=report.company.ack_sla_hours)
        report.act_due_at = now + timedelta(hours=report.company.act_sla_hours)
        report.save(
            update_fields=["status", "forwarded_at", "ack_due_at", "act_due_at", "updated_at"]
        )
        deliveries = forwarding.create_deliveries(report)
        record_event(
            actor=actor,
            action="report.forwarded",
            target=report,
            from_state=ReportStatus.CONFIRMED,
            to_state=report.status,
            data={
                "company": report.company.slug,
                "channels": sorted(d.channel for d in deliveries),
            },
        )
        rollups.on_forwarded(report)
        forwarding.enqueue_after_commit(deliveries)
    return report


def _require_company_staff(report: Report, staff: User) -> None:
    if staff.role != Role.COMPANY_STAFF or staff.company_id != report.company_id:
        raise PermissionDenied(_("Only this platform's enforcement staff can do that."))


def acknowledge_report(*, report: Report, staff: User) -> Report:
    with transaction.atomic():
        report = _locked(report)
        _require_company_staff(report, staff)
        if report.status == ReportStatus.ACKNOWLEDGED:
            return report
        _require_state(report, ReportStatus.FORWARDED)
        report.status = ReportStatus.ACKNOWLEDGED
        report.acknowledged_at = timezone.now()
        report.save(update_fields=["status", "acknowledged_at", "updated_at"])
        record_event(
            actor=staff,
            action="report.acknowledged",
            target=report,
            from_state=ReportStatus.FORWARDED,
            to_state=report.status,
        )
    return report


def record_outcome(*, report: Report, staff: User, outcome: str, note: str = "") -> Report:
    """The company says what it did; that closes the report and the volunteer is told."""
    if outcome not in Outcome.values:
        raise TransitionError(_("Choose an outcome."))
    if outcome == Outcome.OTHER and not note.strip():
        raise TransitionError(_("Describe the outcome in the note."))
    with transaction.atomic():
        report = _locked(report)
        _require_company_staff(report, staff)
        _require_state(report, ReportStatus.FORWARDED, ReportStatus.ACKNOWLEDGED)
        previous = report.status
        now = timezone.now()
        report.status = ReportStatus.CLOSED
        report.outcome = outcome
        report.outcome_note = note
        report.outcome_at = now
        report.closed_at = now
        if report.acknowledged_at is None:
            report.acknowledged_at = now
        report.save(
            update_fields=[
                "status",
                "outcome",
                "outcome_note",
                "outcome_at",
                "closed_at",
                "acknowledged_at",
                "updated_at",
            ]
        )
        record_event(
            actor=staff,
            action="report.outcome",
            target=report,
            from_state=previous,
            to_state=report.status,
            reason=f"{Outcome(outcome).label}. {note}".strip(),
            data={"outcome": outcome},
        )
        rollups.on_outcome(report)
        transaction.on_commit(lambda: _notify(report.pk, "outcome"))
    return report


def _notify(report_id: int, event: str) -> None:
    notify_volunteer.delay(report_id, event)
