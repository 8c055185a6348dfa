"""/healthz: database, cache, broker, worker and beat; 200 when healthy, 503 naming the failure."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from reports.forwarding import alerts
from spotter import health

pytestmark = pytest.mark.django_db


def _get(client, **extra):
    response = client.get("/healthz", **extra)
    return response, json.loads(response.content)


def test_healthy_embedded_default(client):
    response, body = _get(client)
    assert response.status_code == 200
    assert body == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "broker": "embedded",
            "worker": "embedded",
            "beat": "embedded",
        },
    }
    assert response["Cache-Control"] == "no-store"
    assert reverse("healthz") == "/healthz"


def test_answers_load_balancers_by_ip_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["spotter.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response, body = _get(client, HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert response["X-Request-ID"]


def test_database_down(client):
    broken = mock.Mock(side_effect=OperationalError("connection refused to db.internal:5432"))
    with mock.patch.object(health.connections["default"], "cursor", broken):
        response, body = _get(client)
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["database"] == "fail"
    assert "database" in body["failing"]
    assert b"db.internal" not in response.content  # no error text, no hosts


def test_cache_down(client):
    with mock.patch.object(health.cache, "set", side_effect=ConnectionError("redis down")):
        response, body = _get(client)
    assert response.status_code == 503
    assert body["failing"] == ["cache"]
    assert body["checks"]["database"] == "ok"


def test_broker_down_in_production(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    now = timezone.now()
    alerts.record_heartbeat(alerts.WORKER, now)
    alerts.record_heartbeat(alerts.BEAT, now)
    response, body = _get(client)
    assert response.status_code == 503
    assert body["failing"] == ["broker"]


@pytest.fixture
def production_broker(settings):
    """A worker is expected (tasks are not run in-process); the broker itself answers."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.dict(health.CHECKS, {"broker": lambda: health.OK}):
        yield


def test_fresh_heartbeats_in_production(client, production_broker):
    now = timezone.now()
    alerts.record_heartbeat(alerts.WORKER, now)
    alerts.record_heartbeat(alerts.BEAT, now)
    response, body = _get(client)
    assert response.status_code == 200
    assert body["checks"]["worker"] == body["checks"]["beat"] == "ok"


def test_stale_worker_heartbeat_in_production(client, production_broker, settings):
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OPS_HEARTBEAT_STALE_SECONDS + 60)
    alerts.record_heartbeat(alerts.WORKER, stale)
    alerts.record_heartbeat(alerts.BEAT, now)
    response, body = _get(client)
    assert response.status_code == 503
    assert body["failing"] == ["worker"]
    assert body["checks"]["beat"] == "ok"


def test_beat_publishing_without_any_worker_fails(client, production_broker, settings):
    """The alerts' rule: beat has run for the stale window and no worker ever answered."""
    now = timezone.now()
    alerts.record_heartbeat(
        alerts.BEAT, now - timedelta(seconds=settings.OPS_HEARTBEAT_STALE_SECONDS + 60)
    )
    alerts.record_heartbeat(alerts.BEAT, now)
    response, body = _get(client)
    assert response.status_code == 503
    assert body["failing"] == ["worker"]


def test_stale_beat_in_production(client, production_broker, settings):
    now = timezone.now()
    alerts.record_heartbeat(alerts.WORKER, now)
    alerts.record_heartbeat(
        alerts.BEAT, now - timedelta(seconds=settings.OPS_HEARTBEAT_STALE_SECONDS + 60)
    )
    response, body = _get(client)
    assert response.status_code == 503
    assert body["failing"] == ["beat"]


def test_fresh_install_is_waiting_not_failing(client, production_broker):
    """No heartbeat yet (beat publishes the first within a minute): not a failure."""
    response, body = _get(client)
    assert response.status_code == 200
    assert body["checks"]["worker"] == body["checks"]["beat"] == "waiting"


def test_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_stale_heartbeat_is_not_a_failure_when_embedded(client, settings):
    stale = timezone.now() - timedelta(days=2)
    alerts.record_heartbeat(alerts.WORKER, stale)
    response, body = _get(client)
    assert response.status_code == 200
    assert body["checks"]["worker"] == "embedded"


def test_body_holds_no_counts_or_secrets(client, settings):
    response, body = _get(client)
    assert set(body) == {"status", "checks"}
    assert set(body["checks"].values()) <= {"ok", "embedded"}
    assert settings.SECRET_KEY.encode() not in response.content


@pytest.mark.production
def test_healthy_on_postgresql_and_redis(client):
    """The real thing (`make test`'s production run): PING to Redis, SELECT 1 on PostgreSQL."""
    now = timezone.now()
    alerts.record_heartbeat(alerts.WORKER, now)
    alerts.record_heartbeat(alerts.BEAT, now)
    response, body = _get(client)
    assert response.status_code == 200, body
    assert body["checks"] == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "worker": "ok",
        "beat": "ok",
    }
