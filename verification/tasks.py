"""Celery tasks of the verification app: thin shells. None of them changes a report."""

from celery import shared_task

from . import risk, training


@shared_task(ignore_result=True)
def refresh_report_risk(report_id: int) -> int:
    """After a report changed (queued on commit by ``wiring``)."""
    return risk.refresh_reports([report_id])


@shared_task(ignore_result=True)
def refresh_waiting_risk() -> int:
    """Beat: every waiting report (the age input grows while it waits)."""
    return risk.refresh_waiting()


@shared_task(ignore_result=True)
def retrain_model() -> int:
    """Beat, daily: a new version on every decided report (or a recorded refusal), then the
    waiting reports' scores with it."""
    version = training.train()
    risk.refresh_waiting()
    return version.version


@shared_task(ignore_result=True)
def refresh_reports_risk(report_ids: list[int]) -> int:
    """``refresh_report_risk`` for many reports in one go (bulk intake: spotter.oncommit)."""
    return risk.refresh_reports(report_ids)
