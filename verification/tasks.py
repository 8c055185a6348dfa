"""Celery tasks of the verification app that refresh risk scores: thin shells. None of them
changes a report. ``wiring`` (so every web process) imports this module, so it stays free of
scikit-learn at import time; the daily retraining, which needs it, is ``training_tasks``."""

from celery import shared_task

from . import risk


@shared_task(ignore_result=True)
def refresh_report_risk(report_id: int) -> int:
    """After a report changed (queued on commit by ``wiring``)."""
    return risk.refresh_reports([report_id])


@shared_task(ignore_result=True)
def refresh_waiting_risk() -> int:
    """Beat: every waiting report (the age input grows while it waits)."""
    return risk.refresh_waiting()


@shared_task(ignore_result=True)
def refresh_reports_risk(report_ids: list[int]) -> int:
    """``refresh_report_risk`` for many reports in one go (bulk intake: spotter.oncommit)."""
    return risk.refresh_reports(report_ids)
