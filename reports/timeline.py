"""A report's timeline as each viewer may see it: the one place that decides who sees what.

The audit log keeps machine codes (``report.needs_info``, ``delivery.sent``…). Pages show
:func:`timeline_for`'s entries instead: one translated sentence per event, the actor named by
``reports.permissions.actor_label_for``, and the event's free text only where this viewer may read
it (the expert's question or rejection note goes to the volunteer; a company sees only the events
about its own handling). Views and downloads of evidence are logged on every page view; they are
an access trail for admins, not news for anyone else, so only admins get them.

Every action recorded against a report has a sentence here (tests/ux/test_timeline.py scans the
code for them), or one a higher app adds with :func:`register_action`; an action without one is
shown to admins only, as "Other activity".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from spotter.models import Role, User

from . import events
from .models import Outcome, Report, ReportStatus
from .permissions import actor_label_for
from .selectors import report_timeline

# Who is looking, as far as the timeline is concerned.
VOLUNTEER = "volunteer"  # the report's own volunteer (also an expert or staff who submitted it)
EXPERT = "expert"
COMPANY = "company"
ADMIN = "admin"

EVERYONE = frozenset({VOLUNTEER, EXPERT, COMPANY, ADMIN})
REVIEW_SIDE = frozenset({VOLUNTEER, EXPERT, ADMIN})  # the report's verification, before a company
COMPANY_SIDE = frozenset({COMPANY, ADMIN})  # how the delivery to the company went
ADMINS = frozenset({ADMIN})

# action -> (sentence, who sees the event, who reads the event's text)
RULES: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    events.SUBMITTED: (_("The report was submitted."), REVIEW_SIDE, ADMINS),
    events.CLAIMED: (_("An expert started reviewing the report."), REVIEW_SIDE, ADMINS),
    events.RELEASED: (
        _("The expert put the report back in the review queue."),
        REVIEW_SIDE,
        ADMINS,
    ),
    events.CONFIRMED: (_("An expert confirmed the report."), EVERYONE, REVIEW_SIDE),
    events.REJECTED: (_("An expert rejected the report."), REVIEW_SIDE, REVIEW_SIDE),
    events.NEEDS_INFO: (_("An expert asked for more information:"), REVIEW_SIDE, REVIEW_SIDE),
    events.RESUBMITTED: (
        _("The volunteer added the requested information and sent the report back for review."),
        REVIEW_SIDE,
        REVIEW_SIDE,
    ),
    events.WITHDRAWN: (_("The volunteer withdrew the report."), REVIEW_SIDE, REVIEW_SIDE),
    events.FORWARDED: (_("The report was forwarded to the platform's team."), EVERYONE, ADMINS),
    events.ACKNOWLEDGED: (_("The platform's team acknowledged the report."), EVERYONE, ADMINS),
    events.OUTCOME: (_("The platform's team reported the outcome:"), EVERYONE, EVERYONE),
    events.OUTCOME_CORRECTED: (
        _("The platform's team corrected the outcome:"),
        EVERYONE,
        EVERYONE,
    ),
    events.MERGED: (_("An expert merged the report into another report."), REVIEW_SIDE, ADMINS),
    events.MERGE_KEPT: (
        _("An expert merged another report of the same listing into this report."),
        REVIEW_SIDE,
        ADMINS,
    ),
    events.ASSIGNED: (
        _("The notice was assigned to a colleague at the platform."),
        COMPANY_SIDE,
        ADMINS,
    ),
    events.MESSAGE_POSTED: (
        _("A message was posted on the notice's thread."),
        frozenset({EXPERT, COMPANY, ADMIN}),
        ADMINS,
    ),
    "delivery.sent": (_("The report was delivered to the platform's team."), COMPANY_SIDE, ADMINS),
    "delivery.dead": (
        _("Delivery to the platform's team failed after every retry."),
        ADMINS,
        ADMINS,
    ),
    "delivery.retried": (_("The delivery to the platform's team was retried."), ADMINS, ADMINS),
    "report.escalated": (
        _("The overdue report was escalated to the platform's escalation contact."),
        COMPANY_SIDE,
        ADMINS,
    ),
    "report.package_downloaded": (
        _("The report's evidence package was downloaded."),
        ADMINS,
        ADMINS,
    ),
    "evidence.viewed": (_("A screenshot was viewed."), ADMINS, ADMINS),
    "evidence.original_downloaded": (
        _("An original screenshot file was downloaded."),
        ADMINS,
        ADMINS,
    ),
    "evidence.link_opened": (
        _("A screenshot was opened from a link in a notice."),
        ADMINS,
        ADMINS,
    ),
    "evidence.originals_purged": (
        _("The original screenshot files were deleted under the retention policy."),
        REVIEW_SIDE,
        ADMINS,
    ),
}


def register_action(action: str, sentence, seen_by: frozenset[str], read_by: frozenset[str]):
    """A higher app's event on a report gets its sentence here (from its AppConfig.ready()), so
    reports never imports it: e.g. rechecks' takedown checks."""
    RULES[action] = (sentence, seen_by, read_by)


DUPLICATE_SENTENCE = _(
    "The report was submitted; the listing had already been reported, so it was linked to the "
    "earlier report."
)
OTHER_SENTENCE = _("Other activity.")
# Merges name the other report (its reference only: never its volunteer).
MERGED_SENTENCES = {
    events.MERGED: (_("Merged into %(ref)s."), "merged_into"),
    events.MERGE_KEPT: (_("%(ref)s was merged into this report."), "merged"),
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    sentence: str
    actor: str
    detail: str  # the event's text, "" when there is none or this viewer may not read it


def audience(viewer: User, report: Report) -> str:
    if viewer.is_programme_admin:
        return ADMIN
    if report.volunteer_id == viewer.pk:
        return VOLUNTEER
    if viewer.role == Role.COMPANY_STAFF:
        return COMPANY
    if viewer.role == Role.EXPERT:
        return EXPERT
    return VOLUNTEER


def visible_actions(who: str) -> list[str]:
    return [action for action, (_s, seen_by, _r) in RULES.items() if who in seen_by]


def _detail(event) -> str:
    """The event's free text; an outcome's label is rendered in the viewer's language when the
    event keeps the outcome code and the note apart (the stored reason is in the language of
    whoever recorded it)."""
    data = event.data or {}
    if event.action in (events.OUTCOME, events.OUTCOME_CORRECTED) and "note" in data:
        try:
            label = Outcome(data.get("outcome")).label
        except ValueError:
            return event.reason
        return f"{label}. {data['note']}".strip()
    return event.reason


def timeline_for(report: Report, viewer: User) -> list[TimelineEntry]:
    """The report's events this viewer may see, oldest first, as display entries."""
    who = audience(viewer, report)
    qs = report_timeline(report)
    if who != ADMIN:
        # Filtered in the database: view events can outnumber everything else by far.
        qs = qs.filter(action__in=visible_actions(who))
    entries = []
    for event in qs:
        sentence, _seen_by, read_by = RULES.get(event.action, (OTHER_SENTENCE, ADMINS, ADMINS))
        if event.action == events.SUBMITTED and event.to_state == ReportStatus.DUPLICATE:
            sentence = DUPLICATE_SENTENCE
        if event.action in MERGED_SENTENCES:
            template, key = MERGED_SENTENCES[event.action]
            if (event.data or {}).get(key):
                sentence = template % {"ref": event.data[key]}
        entries.append(
            TimelineEntry(
                at=event.created_at,
                sentence=str(sentence),
                actor=str(actor_label_for(viewer, report, event.actor)),
                detail=_detail(event) if who in read_by else "",
            )
        )
    return entries
