"""The worker and beat checks of ``/healthz`` (spotter/health.py), from the heartbeats that
reports/alerts.py records. Registered in ReportsConfig.ready().

In production (a broker, so a worker and beat are expected) a heartbeat older than
``OPS_HEARTBEAT_STALE_SECONDS``, or one never seen, fails the check: /healthz answers 503 on
every web node, which is what monitoring should page on. In the embedded default the outbox loop
may or may not be running (tests, ``runserver`` alone): the checks report "embedded".
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from spotter import health

from . import alerts


def _heartbeat_check(name: str):
    def check() -> str:
        if alerts.embedded():
            return health.EMBEDDED
        beat = alerts.heartbeats().get(name)
        if beat is None:
            raise health.CheckFailed(f"no {name} heartbeat ever recorded")
        stale_after = timedelta(seconds=settings.OPS_HEARTBEAT_STALE_SECONDS)
        if beat.seen_at < timezone.now() - stale_after:
            raise health.CheckFailed(f"{name} last seen at {beat.seen_at.isoformat()}")
        return health.OK

    return check


def register() -> None:
    health.register("worker", _heartbeat_check(alerts.WORKER))
    health.register("beat", _heartbeat_check(alerts.BEAT))
