"""Run by `make test` with production settings (DATABASE_URL + REDIS_URL): prove they are real."""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.production, pytest.mark.django_db]


def test_runs_on_postgresql_and_redis():
    assert connection.vendor == "postgresql", "production tests must run on PostgreSQL"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.DEBUG is False
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def test_cache_round_trip_on_redis():
    from django.core.cache import caches

    cache = caches["default"]
    cache.set("production-test", "ok", 10)
    assert cache.get("production-test") == "ok"
