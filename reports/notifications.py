"""Emails to volunteers about their reports: a ``report_changed`` receiver.

The email is a Celery task queued after commit, so nothing is sent for a change that rolled
back (embedded mode runs it in-process right after commit).
"""

from __future__ import annotations

from django.db import transaction

from . import events
from .tasks import notify_volunteer

# Transition action -> the volunteer email's event (see templates/reports/email/).
VOLUNTEER_EMAILS = {
    events.CONFIRMED: "decided",
    events.REJECTED: "decided",
    events.NEEDS_INFO: "needs_info",
    events.OUTCOME: "outcome",
}


def notify_volunteer_on_commit(sender, *, report, action, **kwargs) -> None:
    event = VOLUNTEER_EMAILS.get(action)
    if event is not None:
        report_id = report.pk
        transaction.on_commit(lambda: notify_volunteer.delay(report_id, event))


def connect() -> None:
    events.report_changed.connect(
        notify_volunteer_on_commit, dispatch_uid="reports.notify_volunteer"
    )
