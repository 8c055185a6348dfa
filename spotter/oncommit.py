"""Queue a Celery task once the current transaction commits, never failing the change itself.

Receivers of ``report_changed`` in several apps hand slow work to a worker this way (seller
indexing, risk scores): nothing is queued for a change that rolls back, and a broker outage is
logged — the app's periodic job or management command catches up — instead of failing the
volunteer's or expert's request.
"""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def delay_on_commit(task, *args, catch_up: str) -> None:
    """``task.delay(*args)`` after commit; ``catch_up`` says what repairs a lost message."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:  # noqa: BLE001 — the broker being down must not fail the change
            log.warning("Could not queue %s%s; %s", task.name, args, catch_up, exc_info=True)

    transaction.on_commit(send)
