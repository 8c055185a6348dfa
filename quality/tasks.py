"""Celery tasks of the quality app: thin shells over its services."""

from celery import shared_task

from .rollups import refresh


@shared_task(ignore_result=True)
def refresh_rollups() -> int:
    """Drain the counters' backlog; beat runs it every ROLLUP_REFRESH_SECONDS."""
    return refresh()
