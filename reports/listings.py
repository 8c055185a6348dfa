"""Which reports are about one listing, and what a volunteer typing its URL may learn of them.

Two reports are about the same listing when their listing keys are equal (the platform's own
id, reports.listing_ids), or their normalised URLs are. Submission links a new report to the
open one (reports.services.submission); the submit form asks ``check_listing`` while the URL is
typed (reports.views.volunteer.listing_check) and warns before the form is filled.

What the warning may say is decided here, once: the earlier report's reference and state only
when the volunteer may see that report (reports.permissions.visible_reports: their own); for
anyone else's, only that the listing is already known to the programme — never whose report it
is, nor its state or details.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from spotter.errors import InvalidInput
from spotter.models import User

from .models import OPEN_STATUSES, MemberCompany, PlatformDomain, Report, ReportStatus
from .permissions import visible_reports
from .urlnorm import NormalizedURL, normalize_listing_url


def company_for_domain(registrable_domain: str) -> MemberCompany | None:
    link = (
        PlatformDomain.objects.select_related("company")
        .filter(domain=registrable_domain, company__is_active=True)
        .first()
    )
    return link.company if link else None


def same_listing(normalized: NormalizedURL) -> Q:
    """Reports of this listing: the same listing key, or the same normalised URL."""
    condition = Q(normalized_url=normalized.url)
    if normalized.listing_key:
        condition |= Q(listing_key=normalized.listing_key)
    return condition


def lock_name(normalized: NormalizedURL) -> str:
    """What concurrent submissions of one listing serialise on."""
    return normalized.listing_key or normalized.url


def open_report_of_listing(normalized: NormalizedURL) -> Report | None:
    """The earliest report still holding the listing (a new one becomes its duplicate)."""
    return (
        Report.objects.filter(same_listing(normalized), status__in=OPEN_STATUSES)
        .order_by("submitted_at", "pk")
        .first()
    )


@dataclass(frozen=True)
class ListingCheck:
    """What the submit form tells a volunteer about the URL they are typing."""

    listing_key: str = ""
    company: MemberCompany | None = None
    own_report: Report | None = None  # the latest report of it they may see (their own)
    known: bool = False  # a report they may not see is open: "already known to the programme"

    @property
    def already_reported(self) -> bool:
        return self.own_report is not None or self.known


def _earlier_reports(normalized: NormalizedURL) -> QuerySet[Report]:
    return Report.objects.filter(same_listing(normalized)).exclude(
        status__in=[ReportStatus.WITHDRAWN, ReportStatus.DUPLICATE]
    )


def check_listing(user: User, raw_url: str) -> ListingCheck | None:
    """What ``user`` may be told about this URL's listing; None when it is not (yet) a valid
    listing URL (the form's own validation says why on submit)."""
    try:
        normalized = normalize_listing_url(raw_url)
    except InvalidInput:
        return None
    company = company_for_domain(normalized.registrable_domain)
    earlier = _earlier_reports(normalized)
    seen = visible_reports(user, earlier)
    own = seen.order_by("-submitted_at").first()
    known = earlier.filter(status__in=OPEN_STATUSES).exclude(pk__in=seen.values("pk")).exists()
    return ListingCheck(
        listing_key=normalized.listing_key,
        company=company,
        own_report=own,
        known=known,
    )
