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

from django.utils.translation import gettext as _

from spotter.errors import InvalidState, NotAllowed
from spotter.models import Role, User

from ..evidence import ProcessedImage
from ..models import Report
from ..validation import ListingDetails
from .submission import create_submitted_report

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
    return create_submitted_report(
        reporter=reporter,
        details=details,
        images=images,
        image_names=image_names,
        data={"source": source, "source_reference": source_reference},
    )
