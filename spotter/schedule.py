"""Celery beat's timetable: every periodic task of every app, in one place.

``spotter/settings.py`` builds ``CELERY_BEAT_SCHEDULE`` from it with the periods it read from the
environment; task names are strings, so this module imports no app.
"""

from __future__ import annotations

from datetime import timedelta

DAY = timedelta(days=1)


def beat_schedule(s: dict) -> dict:
    """The timetable, with the periods taken from the settings namespace ``s``."""
    OPS_CHECK_SECONDS = s["OPS_CHECK_SECONDS"]
    AUDIT_SEAL_SECONDS = s["AUDIT_SEAL_SECONDS"]
    ROLLUP_REFRESH_SECONDS = s["ROLLUP_REFRESH_SECONDS"]
    HEADLINE_REFRESH_SECONDS = s["HEADLINE_REFRESH_SECONDS"]
    OUTBOX_SWEEP_SECONDS = s["OUTBOX_SWEEP_SECONDS"]
    return {
        "notifications-daily": {"task": "notifications.tasks.send_daily", "schedule": DAY},
        "heartbeat": {
            "task": "reports.tasks.heartbeat",
            "schedule": 60,
            "options": {"expires": 50},
        },
        "check-operations": {
            "task": "reports.tasks.check_operations",
            "schedule": timedelta(seconds=OPS_CHECK_SECONDS),
            "options": {"expires": OPS_CHECK_SECONDS},
        },
        "seal-audit-log": {"task": "spotter.tasks.seal_audit_log", "schedule": AUDIT_SEAL_SECONDS},
        "refresh-rollups": {
            "task": "quality.tasks.refresh_rollups",
            "schedule": timedelta(seconds=ROLLUP_REFRESH_SECONDS),
            "options": {"expires": ROLLUP_REFRESH_SECONDS},
        },
        "refresh-headline-counts": {
            "task": "reports.tasks.refresh_headline_counts",
            "schedule": timedelta(seconds=HEADLINE_REFRESH_SECONDS),
            "options": {"expires": HEADLINE_REFRESH_SECONDS},
        },
        "sweep-outbox": {"task": "reports.tasks.sweep_outbox", "schedule": OUTBOX_SWEEP_SECONDS},
        "check-slas": {"task": "reports.tasks.check_slas", "schedule": timedelta(minutes=15)},
        # A CITES listing change imported ahead of its date comes into force on the day.
        "refresh-cites-appendices": {
            "task": "reports.tasks.refresh_cites_appendices",
            "schedule": timedelta(hours=1),
        },
        "purge-rejected-originals": {
            "task": "reports.tasks.purge_rejected_originals",
            "schedule": DAY,
        },
        # Plans yesterday's digests (once per company and day) and retries unsent ones.
        "send-digests": {"task": "reports.tasks.send_digests", "schedule": timedelta(minutes=30)},
        "refresh-risk": {"task": "verification.tasks.refresh_waiting_risk", "schedule": 900},
        "retrain-model": {"task": "verification.tasks.retrain_model", "schedule": DAY},
        "run-rechecks": {"task": "rechecks.tasks.run_due_checks", "schedule": 300},
        # Programme operations (rounds, tips, referrals): one entry per periodic job.
        "round-reminders": {"task": "rounds.tasks.send_round_reminders", "schedule": DAY / 4},
        "sweep-referrals": {
            "task": "referrals.tasks.sweep_referrals",
            "schedule": OUTBOX_SWEEP_SECONDS,
        },
        "purge-old-tips": {"task": "tips.tasks.purge_old_tips", "schedule": DAY},
    }
