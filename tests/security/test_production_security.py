"""Production mode (PostgreSQL + Redis): the audit chain under concurrent writers, the database
trigger that makes the log append-only, and allauth's rate limits on the Redis cache."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from spotter.audit import record_event, seal_pending, verify_chain
from spotter.models import AuditEvent, AuditSeal, Role
from tests import factories

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def _needs_postgresql():
    if connection.vendor != "postgresql":
        message = "production-mode test: run with DATABASE_URL on PostgreSQL (make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


EVENTS_PER_THREAD = 25


def test_concurrent_appends_keep_one_unbroken_chain():
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EVENTS_PER_THREAD):
                # Each in its own transaction, as requests are; writers take no lock, and the
                # sequencer runs beside them as beat would.
                with transaction.atomic():
                    record_event(actor=None, action="test.concurrent", data={"t": n, "i": i})
                if i % 5 == 0:
                    seal_pending()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert (
        AuditEvent.objects.filter(action="test.concurrent").count() == THREADS * EVENTS_PER_THREAD
    )
    seal_pending()
    prev_hashes = list(AuditSeal.objects.values_list("prev_hash", flat=True))
    assert len(prev_hashes) == len(set(prev_hashes)), "two events claim the same predecessor"
    result = verify_chain()
    assert result.ok, result
    assert result.checked == AuditEvent.objects.count() and result.unsealed == 0


def test_database_refuses_update_and_delete_of_audit_rows():
    event = record_event(actor=None, action="test.trigger")
    seal_pending()
    for sql in (
        "UPDATE spotter_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM spotter_auditevent WHERE id = %s",
        "UPDATE spotter_auditseal SET hash = 'x' WHERE event_id = %s",
        "DELETE FROM spotter_auditseal WHERE event_id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
    assert verify_chain().ok


def test_login_rate_limit_holds_on_redis(settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.clear()
    user = factories.make_user(Role.VOLUNTEER)
    client = Client()
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": user.email, "password": "wrong-password-123"})
        assert response.status_code == 200
    response = client.post(url, {"login": user.email, "password": factories.PASSWORD})
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session
    cache.clear()
