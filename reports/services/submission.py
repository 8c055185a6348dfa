"""A volunteer's transitions (submit, resubmit, withdraw) and what every transition shares:
the errors, the listing details, locking and state checks (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spotter.errors import InvalidState, LimitReached, NotAllowed
from spotter.models import Role, User

from .. import actions, events, gates, limits, listings
from ..evidence import ProcessedImage
from ..listings import company_for_domain
from ..models import Evidence, Report, ReportStatus
from ..urlnorm import normalize_listing_url
from ..validation import LISTING_FIELDS, ListingDetails


def submission_limit_reached(retry_after: int) -> LimitReached:
    """The volunteer used up ``SUBMISSIONS_PER_HOUR`` (pages and API together); the form shows
    the message, the API answers 429 with ``Retry-After: retry_after``."""
    minutes = -(-retry_after // 60)
    return LimitReached(
        ngettext(
            "You can submit at most %(limit)d reports an hour. Try again in %(minutes)d minute.",
            "You can submit at most %(limit)d reports an hour. Try again in %(minutes)d minutes.",
            minutes,
        )
        % {"limit": settings.SUBMISSIONS_PER_HOUR, "minutes": minutes},
        retry_after=retry_after,
    )


def _lock_listing(name: str) -> None:
    """Serialise submissions of one listing (its key, else its normalised URL) so two of them
    cannot both become the 'original'."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
    # SQLite: transactions are IMMEDIATE (see settings), so writers are already serialised.


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _require_state(report: Report, *allowed: str) -> None:
    if report.status not in allowed:
        raise InvalidState(
            _("This report is %(status)s; that action is not possible now.")
            % {"status": report.get_status_display().lower()}
        )


def _attach_evidence(
    report: Report, images: Iterable[ProcessedImage], names: Iterable[str]
) -> list[int]:
    added = []
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
        added.append(evidence.pk)
    return added


def _recorded_value(report: Report, name: str):
    """A listing field's value as the audit event keeps it (JSON): the species by scientific
    name, the product type by slug, a price as text."""
    value = getattr(report, name)
    if name == "species":
        return value.scientific_name if value is not None else ""
    if name == "product_type":
        return value.slug if value is not None else ""
    if value is None:
        return ""
    return value if isinstance(value, int | str) else str(value)


def new_report(
    *, reporter: User, details: ListingDetails, normalized, company=None, routed: bool = False
) -> Report:
    """An unsaved report of ``details`` by ``reporter``: the one place a report's listing fields,
    normalised URL and company routing are set (volunteers' form and API, tips, bulk intake).
    ``routed``: ``company`` was already looked up by the caller (None meaning no member)."""
    domain = normalized.registrable_domain
    return Report(
        volunteer=reporter,
        listing_url=details.listing_url.strip(),
        normalized_url=normalized.url,
        listing_key=normalized.listing_key,
        domain=domain,
        company=company if routed else company_for_domain(domain),
        species_reported=details.species,
        **{name: getattr(details, name) for name in LISTING_FIELDS},
    )


def create_submitted_report(
    *,
    reporter: User,
    details: ListingDetails,
    images: list[ProcessedImage],
    image_names: list[str] | None,
    data: dict,
) -> Report:
    """Save a new report with its screenshots and its one ``report.submitted`` event (``data``
    adds to the event's data); a duplicate if the same listing is already open. The caller has
    checked who may submit."""
    normalized = normalize_listing_url(details.listing_url)
    with transaction.atomic():
        _lock_listing(listings.lock_name(normalized))
        original = listings.open_report_of_listing(normalized)
        report = new_report(reporter=reporter, details=details, normalized=normalized)
        if original is not None:
            report.status = ReportStatus.DUPLICATE
            report.duplicate_of = original
        report.save()
        _attach_evidence(report, images, image_names or [""] * len(images))
        events.report_transition(
            report=report,
            actor=reporter,
            action=events.SUBMITTED,
            data={"duplicate_of": original.reference if original else None, **data},
        )
    return report


def ensure_can_submit(user: User) -> None:
    if user.role != Role.VOLUNTEER:
        raise NotAllowed(_("Only volunteers can submit reports."))
    problem = gates.submission_problem(user)  # training: only certified spotters
    if problem:
        raise NotAllowed(problem)
    # Only a look (nothing counted), so both doors refuse before decoding any upload.
    retry_after = limits.spent(
        "submissions", user.pk, limit=settings.SUBMISSIONS_PER_HOUR, period=3600
    )
    if retry_after is not None:
        raise submission_limit_reached(retry_after)


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
        raise InvalidState(_("Attach between 1 and 5 screenshots."))
    normalize_listing_url(details.listing_url)  # a bad URL is refused before the limit counts
    retry_after = limits.hit(
        "submissions", volunteer.pk, limit=settings.SUBMISSIONS_PER_HOUR, period=3600
    )
    if retry_after is not None:
        raise submission_limit_reached(retry_after)
    return create_submitted_report(
        reporter=volunteer, details=details, images=images, image_names=image_names, data={}
    )


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
        actions.ensure_may(report, volunteer, actions.RESUBMIT)
        _require_state(report, *actions.STATES[actions.RESUBMIT])
        if report.evidence.count() + len(images) > 5:
            raise InvalidState(_("A report holds at most 5 screenshots."))
        changed, before, after = [], {}, {}
        for name in LISTING_FIELDS:
            new = getattr(details, name)
            if getattr(report, name) != new:
                before[name] = _recorded_value(report, name)
                setattr(report, name, new)
                after[name] = _recorded_value(report, name)
                changed.append(name)
        if "species" in changed:
            report.species_reported = report.species
        report.status = ReportStatus.SUBMITTED
        report.save()
        added = _attach_evidence(report, images, image_names or [""] * len(images))
        # Before/after of each changed field and the new screenshots: the review page shows
        # the expert what changed since their request (reports.resubmission).
        events.report_transition(
            report=report,
            actor=volunteer,
            action=events.RESUBMITTED,
            from_state=ReportStatus.NEEDS_INFO,
            data={
                "changed": changed,
                "before": before,
                "after": after,
                "screenshots_added": len(images),
                "screenshot_ids": added,
            },
        )
    return report


def withdraw_report(*, report: Report, volunteer: User) -> Report:
    with transaction.atomic():
        report = _locked(report)
        actions.ensure_may(report, volunteer, actions.WITHDRAW)
        _require_state(report, *actions.STATES[actions.WITHDRAW])
        previous = report.status
        report.status = ReportStatus.WITHDRAWN
        report.save(update_fields=["status", "updated_at"])
        events.report_transition(
            report=report, actor=volunteer, action=events.WITHDRAWN, from_state=previous
        )
    return report
