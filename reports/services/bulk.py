"""Reports that monitoring staff bring in bulk (the intake app's import job).

A monitoring team (TRAFFIC and others) finds listings by the hundred; its members hold the
expert role (or admin). Their reports are created here rather than by ``submit_report``, which
is the volunteer's door (certified spotters only, screenshots required, hourly limit). What is
the same: the listing's normalisation, its company routing, the duplicate rule (an open report
of the same listing), and the one ``report.submitted`` event with its audit entry, so every
receiver (keyword matches, seller indexing, risk score, counters, relisting flags) runs as for
any report. What differs: no screenshots (the monitoring team's spreadsheet is the evidence
trail, the audit event names the batch and row), and ``data["source"] = "intake"``.

The caller owns the transaction (the import job commits rows in chunks); ``report_transition``
refuses to run outside one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from spotter.errors import InvalidInput, NotAllowed
from spotter.models import Role, User
from spotter.permissions import is_role

from .. import events, listings
from ..listings import company_for_domain
from ..models import MemberCompany, Report
from ..urlnorm import NormalizedURL
from ..validation import LISTING_FIELDS, ListingDetails
from .submission import _lock_listing

# Who may bring reports in bulk: the one rule, used by intake.permissions too.
BULK_REPORTER_ROLES = (Role.EXPERT, Role.ADMIN)
SOURCE_INTAKE = "intake"


def ensure_can_submit_in_bulk(user: User) -> None:
    if not is_role(user, *BULK_REPORTER_ROLES):
        raise NotAllowed(_("Only monitoring staff (experts and admins) can import listings."))


def submit_bulk_report(
    *,
    reporter: User,
    details: ListingDetails,
    normalized: NormalizedURL,
    source_data: dict,
    companies: dict[str, MemberCompany | None] | None = None,
) -> Report:
    """One imported listing as a new report, inside the caller's transaction.

    Refuses (``InvalidInput`` on ``listing_url``, code ``duplicate``) when the listing already
    has an open report: an import never creates duplicates, the preview lists them as errors.
    ``companies`` caches the domain → member company routing across a chunk."""
    ensure_can_submit_in_bulk(reporter)
    _lock_listing(listings.lock_name(normalized))
    original = listings.open_report_of_listing(normalized)
    if original is not None:
        raise InvalidInput(
            _("This listing already has an open report (%(reference)s).")
            % {"reference": original.reference},
            field="listing_url",
            code="duplicate",
        )
    domain = normalized.registrable_domain
    if companies is not None:
        if domain not in companies:
            companies[domain] = company_for_domain(domain)
        company = companies[domain]
    else:
        company = company_for_domain(domain)
    report = Report(
        volunteer=reporter,
        listing_url=details.listing_url.strip(),
        normalized_url=normalized.url,
        listing_key=normalized.listing_key,
        domain=domain,
        company=company,
        species_reported=details.species,
        **{name: getattr(details, name) for name in LISTING_FIELDS},
    )
    report.save()
    events.report_transition(
        report=report,
        actor=reporter,
        action=events.SUBMITTED,
        data={"duplicate_of": None, "source": SOURCE_INTAKE, **source_data},
    )
    return report
