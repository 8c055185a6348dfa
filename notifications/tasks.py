"""Celery tasks of the notifications app (beat: daily reminders and digests)."""

from __future__ import annotations

from celery import shared_task

from . import delivery, reminders
from .delivery import send_notification_email

__all__ = ["send_daily", "send_notification_email"]


@shared_task(name="notifications.tasks.send_daily", ignore_result=True)
def send_daily() -> dict[str, int]:
    """Reminders first, so today's queue reminder is in today's digest."""
    counts = reminders.send_reminders()
    counts["digests"] = delivery.send_digests()
    return counts
