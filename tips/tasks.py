"""Celery tasks of the tip line: thin shells around the services."""

from __future__ import annotations

from celery import shared_task

from . import services
from .mail import send_tip_outcome

__all__ = ["purge_old_tips", "send_tip_outcome"]


@shared_task(name="tips.tasks.purge_old_tips", ignore_result=True)
def purge_old_tips() -> dict[str, int]:
    """Daily (spotter/schedule.py): erase tipster emails and address hashes past retention."""
    return services.purge_old_tips()
