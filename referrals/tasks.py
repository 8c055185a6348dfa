"""Celery tasks of referrals: thin shells over ``services`` and ``outbox``.

``deliver_referral`` (one attempt at one row) is defined in outbox.py beside the code that
queues it and re-exported here under its public name."""

from __future__ import annotations

from celery import shared_task

from . import outbox, services, unrouted
from .outbox import deliver_referral

__all__ = ["deliver_referral", "reroute_waiting", "route_report", "sweep_referrals"]


@shared_task(acks_late=True, ignore_result=True)
def route_report(report_id: int) -> int:
    return len(services.route_report(report_id=report_id))


@shared_task(ignore_result=True)
def reroute_waiting() -> int:
    return services.reroute_unrouted()


@shared_task(ignore_result=True)
def sweep_referrals() -> dict:
    """Beat (every OUTBOX_SWEEP_SECONDS): route what the confirmation event missed, queue the
    due referral deliveries, refresh the "no route" counter."""
    routed = services.route_recent()
    queued = outbox.queue_due()
    waiting = unrouted.refresh_count()
    return {"routed": routed, "queued": queued, "unrouted": waiting}
