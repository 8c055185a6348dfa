"""Celery tasks of rechecks: thin shells over ``services`` and ``runner``."""

from __future__ import annotations

import logging

from celery import shared_task

from . import runner, services
from .fetch import enabled

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def run_check(check_id: int) -> None:
    runner.run_check(check_id)


@shared_task(ignore_result=True)
def run_due_checks(limit: int = 50) -> int:
    """Beat: hold the due checks and queue one task each (each fetch on its own worker slot)."""
    if not enabled():
        return 0
    ids = services.claim_due_checks(limit=limit)
    for check_id in ids:
        run_check.delay(check_id)
    return len(ids)
