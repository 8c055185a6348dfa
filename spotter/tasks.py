"""Thin Celery shells over spotter services."""

from celery import shared_task

from .audit import seal_pending


@shared_task(ignore_result=True)
def seal_audit_log() -> int:
    """The audit log's sequencer, run by beat every AUDIT_SEAL_SECONDS."""
    return seal_pending()
