"""Retention of evidence of rejected reports.

A rejected report was not illegal content (or could not be shown to be), so the programme keeps
only what it needs to explain the decision: the re-encoded screenshot and the hashes. The
*original* uploaded bytes (which may carry the volunteer's EXIF/GPS data) are deleted
``EVIDENCE_RETENTION_REJECTED_DAYS`` days after the decision (default 180). Each purge is one
audit event per report; running it twice purges nothing more.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from spotter.audit import record_event

from .models import Evidence, Report, ReportStatus


def due_report_ids(now: datetime | None = None, days: int | None = None) -> list[int]:
    """Rejected reports decided before the cut-off that still hold an original file."""
    now = now or timezone.now()
    days = settings.EVIDENCE_RETENTION_REJECTED_DAYS if days is None else days
    return sorted(
        set(
            Evidence.objects.filter(
                report__status=ReportStatus.REJECTED,
                report__decided_at__lt=now - timedelta(days=days),
                original_purged_at__isnull=True,
            )
            .exclude(original="")
            .values_list("report_id", flat=True)
        )
    )


def purge_rejected_originals(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete the original files of rejected reports decided more than ``days`` ago.

    Returns how many files were deleted. Files are removed after the transaction commits, so a
    rollback never leaves a row pointing at a deleted file."""
    now = now or timezone.now()
    purged = 0
    for report_id in due_report_ids(now, days):
        purged += _purge_report(report_id, now)
    return purged


def _purge_report(report_id: int, now: datetime) -> int:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status != ReportStatus.REJECTED:
            return 0
        items = list(
            Evidence.objects.select_for_update()
            .filter(report=report, original_purged_at__isnull=True)
            .exclude(original="")
        )
        names = []
        for evidence in items:
            names.append(evidence.original.name)
            evidence.original = ""
            evidence.original_purged_at = now
            evidence.save(update_fields=["original", "original_purged_at"])
        if not items:
            return 0
        record_event(
            actor=None,
            action="evidence.originals_purged",
            target=report,
            reason=f"Retention: rejected more than {settings.EVIDENCE_RETENTION_REJECTED_DAYS} "
            "days ago; re-encoded copies and hashes kept.",
            data={
                "evidence": [e.pk for e in items],
                "original_sha256": [e.original_sha256 for e in items],
            },
        )
        storage = Evidence._meta.get_field("original").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(items)
