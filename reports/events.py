"""One event per report transition: the audit entry and the ``report_changed`` signal.

Every transition in ``reports.services`` ends with :func:`report_transition`, inside its
transaction. It appends the audit event and sends ``report_changed``; everything else that
reacts to a report's change (second-review sampling and counters in ``quality``, the
notifications in the ``notifications`` app) is a receiver connected in an
``AppConfig.ready()``. Receivers run inside the transaction, so what they write commits or rolls
back with the change; a receiver with an outside effect (an email, a task) registers its own
``transaction.on_commit``. Higher apps subscribe here, so reports never imports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection
from django.dispatch import Signal

from spotter.audit import record_event

if TYPE_CHECKING:
    from spotter.models import User

    from .models import Report

# The ``action`` of each transition: also the audit event's action.
SUBMITTED = "report.submitted"  # to_state "duplicate" when the listing is already open
CLAIMED = "report.claimed"
RELEASED = "report.released"
CONFIRMED = "report.confirmed"
REJECTED = "report.rejected"
NEEDS_INFO = "report.needs_info"
RESUBMITTED = "report.resubmitted"
WITHDRAWN = "report.withdrawn"
FORWARDED = "report.forwarded"
ACKNOWLEDGED = "report.acknowledged"
OUTCOME = "report.outcome"
OUTCOME_CORRECTED = "report.outcome_corrected"
MERGED = "report.merged"  # this report was merged into another (data: merged_into)
MERGE_KEPT = "report.merge_kept"  # another report was merged into this one (data: merged)
DECIDED = (CONFIRMED, REJECTED)
# Company-side handling that is not a status change (reports/services/notices.py).
ASSIGNED = "report.assigned"  # data: assignee (user id or None), previous
MESSAGE_POSTED = "report.message_posted"  # data: message (id), side ("company"/"programme")

# Sent inside the transaction by every transition.
# kwargs: report, action, from_state, to_state, actor (None: the system), data (dict).
report_changed = Signal()

# Sent inside the transaction when a notice is given to a colleague at the company.
# kwargs: report, assignee (User or None), actor.
notice_assigned = Signal()

# Sent inside the transaction when someone posts on a notice's thread.
# kwargs: report, message (NoticeMessage), actor.
notice_message_posted = Signal()

# Sent by the embedded worker loop (``manage.py run_outbox --loop``) on every pass, so a higher
# app's periodic job (e.g. quality's counter refresh) runs there without reports knowing it.
# In production the same jobs are Celery beat tasks.
worker_tick = Signal()


def report_transition(
    *,
    report: Report,
    actor: User | None,
    action: str,
    from_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Finish a transition: audit event, then ``report_changed`` (the report's new status is
    its ``to_state``). Must run inside the transaction that saved the report."""
    if not connection.in_atomic_block:
        raise RuntimeError("report_transition must run inside the transition's transaction")
    data = data or {}
    record_event(
        actor=actor,
        action=action,
        target=report,
        from_state=from_state,
        to_state=report.status,
        reason=reason,
        data=data,
    )
    report_changed.send(
        sender=type(report),
        report=report,
        action=action,
        from_state=from_state,
        to_state=report.status,
        actor=actor,
        data=data,
    )
