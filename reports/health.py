"""The worker and beat checks of ``/healthz`` (spotter/health.py), from the heartbeats that
reports/forwarding/alerts.py records. Registered in ReportsConfig.ready().

One rule for "dead": the operations alerts' own (``alerts._heartbeat_problems``), so /healthz
fails exactly when a worker-down or beat-down alert would open. In production (a broker, so a
worker and beat are expected) that is a beat silent for ``OPS_HEARTBEAT_STALE_SECONDS``, a
worker silent that long, or a beat publishing that long without any worker ever answering:
/healthz then answers 503 on every web node, which is what monitoring should page on. A
heartbeat never seen and not (yet) a problem is "waiting" (a fresh install: beat publishes the
first within a minute). In the embedded default the outbox loop may or may not be running
(tests, ``runserver`` alone): the checks report "embedded".
"""

from __future__ import annotations

from django.utils import timezone

from spotter import health

from .forwarding import alerts
from .models import AlertKind

WAITING = "waiting"
DOWN = {alerts.WORKER: AlertKind.WORKER_DOWN, alerts.BEAT: AlertKind.BEAT_DOWN}


def _heartbeat_check(name: str):
    def check() -> str:
        if alerts.embedded():
            return health.EMBEDDED
        problems = alerts._heartbeat_problems(timezone.now())
        if any(problem.kind == DOWN[name] for problem in problems):
            raise health.CheckFailed(f"{name} heartbeat missing or stale")
        return health.OK if name in alerts.heartbeats() else WAITING

    return check


def register() -> None:
    health.register("worker", _heartbeat_check(alerts.WORKER))
    health.register("beat", _heartbeat_check(alerts.BEAT))
