"""Counters for the report changes that have no rollup hook in ``reports.services``.

Resubmitting (needs info → submitted, possibly with a new species, product type or language)
and withdrawing both save the report without calling a ``reports.rollups`` hook. Both end in
"submitted" or "withdrawn", so any save of an existing report in those states is synced
(releasing a claim also ends in "submitted": its sync finds nothing to change).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from reports.models import Report, ReportStatus

from .rollups import sync


@receiver(post_save, sender=Report, dispatch_uid="quality.sync_unhooked_saves")
def sync_unhooked_saves(sender, instance: Report, created: bool, raw: bool = False, **kwargs):
    if created or raw:
        return  # a new report is counted by reports.rollups.on_submitted
    if instance.status in (ReportStatus.SUBMITTED, ReportStatus.WITHDRAWN):
        sync(instance)
