"""Celery tasks of the rounds app (beat entry "round-reminders" in spotter/schedule.py)."""

from __future__ import annotations

from celery import shared_task

from . import reminders


@shared_task(name="rounds.tasks.send_round_reminders", ignore_result=True)
def send_round_reminders() -> int:
    return reminders.send_round_reminders()
