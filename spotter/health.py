"""``/healthz``: is this web process able to serve, and is the machinery behind it alive?

Checks, each "ok", "embedded" (not used in the embedded default) or "fail":

- ``database``: ``SELECT 1`` on the default database;
- ``cache``: a write and a read of a short-lived key (Redis, or the file cache embedded);
- ``broker``: a PING to the Celery broker (Redis); "embedded" when tasks run in-process;
- ``worker`` and ``beat``: registered by the reports app (reports/health.py), which owns the
  heartbeats: "fail" when a worker-down / beat-down alert would open, "waiting" before the first
  heartbeat of a fresh install, "embedded" in the embedded default.

200 ``{"status": "ok", "checks": {...}}`` when nothing failed, else 503 with ``"status":
"fail"`` and ``"failing"`` naming the checks. The body never holds error messages, hosts or
counts (anyone may call it); the reason is logged with the request id.

Lower apps cannot import higher ones, so the heartbeat checks come through ``register``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

OK, EMBEDDED, FAIL = "ok", "embedded", "fail"
PATH = "/healthz"
TIMEOUT_SECONDS = 2


class CheckFailed(Exception):
    """Raised by a check with a reason for the log (never for the response body)."""


def check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise CheckFailed("cache did not return what was written")
    cache.delete(key)
    return OK


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EMBEDDED
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def register(name: str, check: Callable[[], str]) -> None:
    """For higher apps (in their AppConfig.ready): a check returning OK/EMBEDDED or raising."""
    CHECKS[name] = check


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:  # noqa: BLE001 — any failure of any kind is a failed check
            log.warning("Health check %s failed", name, exc_info=True)
            results[name] = FAIL
    return results


@require_safe  # GET and HEAD; anything else is a 405, not a run of the checks
def healthz(request) -> JsonResponse:
    checks = run_checks()
    failing = [name for name, result in checks.items() if result == FAIL]
    body = {"status": FAIL if failing else OK, "checks": checks}
    if failing:
        body["failing"] = failing
    response = JsonResponse(body, status=503 if failing else 200)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers ``GET /healthz`` before the host check, the HTTPS redirect, sessions and
    authentication: load balancers probe backends by IP address over plain HTTP, which
    ALLOWED_HOSTS and SECURE_SSL_REDIRECT would answer with 400 or 301. The answer names no
    host and reads no user data, so skipping those checks exposes nothing. Placed right after
    RequestIdMiddleware so the probe still has a request id. The URL pattern ``healthz``
    names the same view (reverse(), the access matrix)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
