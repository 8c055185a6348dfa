"""Two reports of one listing become one: an expert's (or an admin's) merge.

Duplicates are linked at submission when the URLs say it is the same listing (the listing key or
the normalised URL, reports.listings). When they cannot — a short link, a shop's own mirror, a
shape no rule knows — an expert who sees two reports of one listing merges them: the report
merged in becomes a duplicate of the one kept (``status`` duplicate, ``duplicate_of`` the kept
report, out of every queue, never forwarded), and the kept report records what it absorbed.

A listing is forwarded once: the report merged in must not have been forwarded (the state
check), so a report merged after forwarding is always the one kept and gets no second notice
(``merge_order`` picks it). Screenshots stay on the report that holds them (their hashes and
audit trail are tied to it); the kept report's merge event lists them by hash, and its review
page links the reports merged into it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from spotter.errors import InvalidInput, InvalidState
from spotter.models import User

from .. import actions, events
from ..models import FORWARDED_STATUSES, Report, ReportStatus


def merge_order(first: Report, second: Report) -> tuple[Report, Report]:
    """(kept, merged in) for two reports of one listing: a forwarded report is kept (its
    notice is out), else the earlier one."""
    first_out = first.status in FORWARDED_STATUSES
    second_out = second.status in FORWARDED_STATUSES
    if first_out != second_out:
        return (first, second) if first_out else (second, first)
    if (second.submitted_at, second.pk) < (first.submitted_at, first.pk):
        return second, first
    return first, second


def _check_merge(keep: Report, absorb: Report, actor: User) -> None:
    if keep.pk == absorb.pk:
        raise InvalidInput(_("Enter the reference of another report."), field="other")
    for report in (keep, absorb):
        actions.ensure_may(report, actor, actions.MERGE)
    if keep.status not in actions.STATES[actions.MERGE]:
        raise InvalidState(
            _("%(ref)s is %(status)s; it cannot take in another report.")
            % {"ref": keep.reference, "status": keep.get_status_display().lower()}
        )
    if absorb.status in FORWARDED_STATUSES:
        raise InvalidState(
            _("%(ref)s was already forwarded to the platform; a listing is forwarded once.")
            % {"ref": absorb.reference}
        )
    if absorb.status not in actions.MERGE_ABSORB_STATES:
        raise InvalidState(
            _("%(ref)s is %(status)s; it cannot be merged.")
            % {"ref": absorb.reference, "status": absorb.get_status_display().lower()}
        )
    claimed_by_other = absorb.claimed_by_id not in (None, actor.pk)
    if (
        absorb.status == ReportStatus.IN_REVIEW
        and claimed_by_other
        and not actor.is_programme_admin
    ):
        raise InvalidState(_("Another expert is reviewing %(ref)s.") % {"ref": absorb.reference})


def merge_reports(*, keep: Report, absorb: Report, actor: User) -> tuple[Report, Report]:
    """Merge ``absorb`` into ``keep``; returns both as saved. One event on each."""
    with transaction.atomic():
        # Both rows locked, always in id order, so two merges of one pair cannot deadlock.
        locked = {
            report.pk: report
            for report in Report.objects.select_for_update()
            .filter(pk__in=[keep.pk, absorb.pk])
            .order_by("pk")
        }
        keep, absorb = locked[keep.pk], locked.get(absorb.pk, locked[keep.pk])
        _check_merge(keep, absorb, actor)
        previous = absorb.status
        absorb.status = ReportStatus.DUPLICATE
        absorb.duplicate_of = keep
        absorb.claimed_by = None
        absorb.claimed_at = None
        absorb.save(
            update_fields=["status", "duplicate_of", "claimed_by", "claimed_at", "updated_at"]
        )
        keep.save(update_fields=["updated_at"])
        events.report_transition(
            report=absorb,
            actor=actor,
            action=events.MERGED,
            from_state=previous,
            data={"merged_into": keep.reference},
        )
        events.report_transition(
            report=keep,
            actor=actor,
            action=events.MERGE_KEPT,
            from_state=keep.status,
            data={
                "merged": absorb.reference,
                "merged_from_state": previous,
                "evidence_sha256": list(absorb.evidence.values_list("image_sha256", flat=True)),
            },
        )
    return keep, absorb
