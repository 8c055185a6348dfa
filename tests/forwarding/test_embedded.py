"""Embedded default (no Redis): first attempt after commit in-process, retries only by the
outbox loop (`manage.py run_outbox --loop`), never inline in the user's request."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports.models import Channel, Delivery, DeliveryStatus, Report
from spotter.models import Role
from tests import factories

from .helpers import Reply, delivery_of

pytestmark = pytest.mark.django_db


def test_embedded_mode_runs_tasks_in_process():
    from spotter.celery import app

    assert not django_settings.REDIS_URL
    assert app.conf.task_always_eager is True


def test_failing_first_attempt_is_not_retried_inside_the_request(
    hook_company, receiver, client_for, django_capture_on_commit_callbacks
):
    receiver.respond = Reply(500)
    expert = factories.make_user(Role.EXPERT)
    report = factories.make_report(url="https://www.hook-market.com/item/embedded")
    client = client_for(expert)
    client.post(reverse("reports:claim", args=[report.reference]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:confirm", args=[report.reference]), {})
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).status == "forwarded"
    delivery = delivery_of(report, Channel.WEBHOOK)
    # Exactly one attempt ran after commit; the failure went to the database, not a loop.
    assert len(receiver.snapshot()) == 1
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)

    # The outbox loop does nothing until the retry is due...
    call_command("run_outbox")
    assert len(receiver.snapshot()) == 1
    # ...then retries with the same key.
    receiver.respond = Reply(200)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    call_command("run_outbox")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert {r.webhook_id for r in receiver.snapshot()} == {delivery.idempotency_key}


def test_outbox_loop_keeps_going_after_an_error(monkeypatch):
    from reports import forwarding
    from reports.management.commands import run_outbox

    calls = []

    def boom(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        raise KeyboardInterrupt  # stop the loop on the second pass

    monkeypatch.setattr(forwarding, "drain_due", boom)
    monkeypatch.setattr(run_outbox.time, "sleep", lambda s: None)
    with pytest.raises(KeyboardInterrupt):
        call_command("run_outbox", "--loop", "--interval", "0")
    assert len(calls) == 2
