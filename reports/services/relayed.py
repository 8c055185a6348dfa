"""A report submitted on someone else's behalf: a member of the programme relays what an
outside source saw (a tip from the public, tips/) and stands behind it as the report's reporter.

The same listing rules, duplicate detection and evidence as ``submit_report``, with one event
(``report.submitted``, its data naming the source). What differs is who: the reporter is the
programme member who completed the report — a volunteer (the caller decides which volunteers,
e.g. lead spotters) or an expert — so the training gate and the volunteers' hourly limit do not
apply, and an expert who relays a report cannot review it (``reports.actions``: nobody reviews
their own report). Company staff never report.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from spotter.errors import InvalidState, NotAllowed
from spotter.models import Role, User

from .. import events, listings
from ..evidence import ProcessedImage
from ..listings import company_for_domain
from ..models import Report, ReportStatus
from ..urlnorm import normalize_listing_url
from ..validation import LISTING_FIELDS, ListingDetails
from .submission import _attach_evidence, _lock_listing

RELAYING_ROLES = (Role.VOLUNTEER, Role.EXPERT, Role.ADMIN)


def submit_relayed_report(
    *,
    reporter: User,
    details: ListingDetails,
    images: list[ProcessedImage],
    image_names: list[str] | None = None,
    source: str,
    source_reference: str,
) -> Report:
    """Create a report whose reporter is ``reporter``, from ``source`` (e.g. "tip")."""
    if not reporter.is_active or reporter.role not in RELAYING_ROLES:
        raise NotAllowed(_("Only programme volunteers and experts can submit reports."))
    if not 1 <= len(images) <= 5:
        raise InvalidState(_("Attach between 1 and 5 screenshots."))
    normalized = normalize_listing_url(details.listing_url)
    with transaction.atomic():
        _lock_listing(listings.lock_name(normalized))
        original = listings.open_report_of_listing(normalized)
        report = Report(
            volunteer=reporter,
            listing_url=details.listing_url.strip(),
            normalized_url=normalized.url,
            listing_key=normalized.listing_key,
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
        events.report_transition(
            report=report,
            actor=reporter,
            action=events.SUBMITTED,
            data={
                "duplicate_of": original.reference if original else None,
                "source": source,
                "source_reference": source_reference,
            },
        )
    return report
