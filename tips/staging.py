"""A tipster's screenshot kept across a refused submission, so they need not attach it again.

Only a screenshot that passed reports.evidence, sent with a valid proof of work, is staged (so
storing files costs the sender the same work as a tip): a ``TipScreenshot`` without a tip. The
re-rendered form holds a signed token for it; the token resolves only for a staged row younger
than ``STAGED_TTL``. ``tips.tasks.purge_old_tips`` deletes what is left.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.utils import timezone

from reports.evidence import ProcessedImage
from reports.staging import keep_files, read_files

from .models import TipScreenshot

STAGED_TTL = timedelta(hours=2)
_SALT = "tips.staged-screenshot"


def token(row: TipScreenshot) -> str:
    return signing.dumps(row.pk, salt=_SALT)


def from_token(value: str | None) -> TipScreenshot | None:
    if not value or len(value) > 200:
        return None
    try:
        pk = signing.loads(value, salt=_SALT, max_age=STAGED_TTL)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return TipScreenshot.objects.filter(
        pk=pk, tip__isnull=True, created_at__gte=timezone.now() - STAGED_TTL
    ).first()


def store(processed: ProcessedImage, name: str, *, tip=None) -> TipScreenshot:
    """Save the pipeline's output: the re-encoded image, and the original (never served)."""
    row = TipScreenshot(tip=tip)
    keep_files(row, processed, name)
    row.save()
    return row


def as_processed(row: TipScreenshot) -> ProcessedImage:
    """The stored screenshot as the pipeline's output (to become a report's evidence)."""
    return read_files(row)


def discard(rows) -> int:
    n = 0
    for row in rows:
        row.image.delete(save=False)
        if row.original:
            row.original.delete(save=False)
        row.delete()
        n += 1
    return n
