"""Celery tasks of the sellers app: thin shells over ``indexing``."""

from celery import shared_task

from . import indexing


@shared_task(acks_late=True, ignore_result=True)
def index_report(report_id: int) -> None:
    """Extract the report's seller identifiers and hash its screenshots (idempotent)."""
    indexing.index_report(report_id)


@shared_task(acks_late=True, ignore_result=True)
def index_reports(report_ids: list[int]) -> None:
    """``index_report`` for many reports, in one transaction (bulk intake: spotter.oncommit)."""
    indexing.index_reports(report_ids)
