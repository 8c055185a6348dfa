"""Tunables of the rounds app (env-driven where an operator would set them)."""

import os

from django.conf import settings

# Reminders start on this full day of a round week (0 = the week's first day): a volunteer is
# not told they are behind after one day of the week.
ROUND_REMINDER_GRACE_DAYS = getattr(
    settings, "ROUND_REMINDER_GRACE_DAYS", int(os.environ.get("ROUND_REMINDER_GRACE_DAYS", "2"))
)
# The embedded worker loop (``run_outbox --loop``) runs the reminders at most this often.
ROUND_REMINDER_TICK_SECONDS = getattr(
    settings,
    "ROUND_REMINDER_TICK_SECONDS",
    int(os.environ.get("ROUND_REMINDER_TICK_SECONDS", str(6 * 3600))),
)
# Default length of a new round in days (four weeks).
ROUND_DEFAULT_DAYS = getattr(settings, "ROUND_DEFAULT_DAYS", 28)
