"""The forwarding outbox: deliveries of forwarded reports to member companies.

Modules, lowest first (each imports only modules listed before it; enforced by
tests/forwarding/test_layers.py, see docs/forwarding.md):

    outbox      claim / lease / mark primitives, backoff, dead letters, due rows
    mail        email channel (notices, escalations, digests): one sender, Message-ID = key
    webhooks    signed webhook channel, SSRF-pinned HTTP
    channels    send one delivery over its channel (portal rows need no sending)
    delivery    attempts (one row, or a batch for one company and channel), the ``deliver``
                task, queueing after commit, sweep
    digest      daily digests (one email per company and day), the ``send_digest`` task
    sla         overdue reports and their one escalation
    alerts      operations alerts and heartbeats
    planning    the rows a forwarded report gets; an admin's retry of a dead letter

What other code calls is re-exported here, so ``forwarding.create_deliveries(...)`` and the like
keep working; the Celery task shells are in reports/tasks.py.
"""

from .delivery import attempt_batch, attempt_delivery, drain_due, enqueue_after_commit, queue_due
from .outbox import (
    INDIVIDUAL_CHANNELS,
    DeliveryFailed,
    backoff_delay,
    claim_attempt,
    due_delivery_ids,
    lease,
    mark_failed,
    mark_sent,
    max_attempts,
    new_key,
    send_safely,
)
from .planning import channels_for, create_deliveries, retry_dead_delivery

__all__ = [
    "INDIVIDUAL_CHANNELS",
    "DeliveryFailed",
    "attempt_batch",
    "attempt_delivery",
    "backoff_delay",
    "channels_for",
    "claim_attempt",
    "create_deliveries",
    "drain_due",
    "due_delivery_ids",
    "enqueue_after_commit",
    "lease",
    "mark_failed",
    "mark_sent",
    "max_attempts",
    "new_key",
    "queue_due",
    "retry_dead_delivery",
    "send_safely",
]
