"""The outbox's own rules, driven through the task functions directly (no eager worker)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from reports import forwarding, tasks
from reports.models import Channel, Delivery, DeliveryStatus
from spotter.models import AuditEvent

from .helpers import Reply, confirmed, delivery_of

pytestmark = pytest.mark.django_db


def make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def actions(delivery):
    return list(
        AuditEvent.objects.filter(
            object_type="report", object_id=str(delivery.report_id), action__startswith="delivery."
        ).values_list("action", flat=True)
    )


@pytest.mark.parametrize("attempts", range(1, 13))
def test_backoff_is_exponential_with_bounded_jitter(settings, attempts):
    settings.OUTBOX_BASE_DELAY_SECONDS = 60
    settings.OUTBOX_MAX_DELAY_SECONDS = 24 * 3600
    ceiling = min(24 * 3600, 60 * 2 ** (attempts - 1))
    delays = {forwarding.backoff_delay(attempts).total_seconds() for _ in range(200)}
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(delays) > 150  # jittered, not one fixed value


def test_confirming_writes_outbox_rows_in_the_transaction(hook_company, receiver):
    report = confirmed()
    rows = {d.channel: d for d in Delivery.objects.filter(report=report)}
    assert set(rows) == {Channel.PORTAL, Channel.WEBHOOK}
    assert rows[Channel.PORTAL].status == DeliveryStatus.SENT  # the portal reads the database
    webhook = rows[Channel.WEBHOOK]
    assert webhook.status == DeliveryStatus.PENDING and webhook.attempts == 0
    assert webhook.idempotency_key.startswith("msg_")
    assert receiver.snapshot() == []  # nothing is sent before commit


def test_failed_attempt_is_rescheduled_with_backoff(hook_company, receiver, settings):
    settings.OUTBOX_BASE_DELAY_SECONDS = 60
    receiver.respond = Reply(500)
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    before = timezone.now()
    assert tasks.deliver(delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert "HTTP 500" in delivery.last_error
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 30 <= wait <= 61  # first retry: between half and all of the base delay
    # Not due yet: a second task (duplicate message, sweep) does nothing.
    assert tasks.deliver(delivery.pk) is None
    assert len(receiver.snapshot()) == 1


def test_dead_after_last_attempt_then_one_click_retry(
    hook_company, receiver, settings, admin_user, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    receiver.respond = Reply(503)
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    results = []
    for _ in range(3):
        make_due(delivery)
        results.append(forwarding.attempt_delivery(delivery.pk))
    assert results == [DeliveryStatus.PENDING, DeliveryStatus.PENDING, DeliveryStatus.DEAD]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == 3
    make_due(delivery)
    assert forwarding.attempt_delivery(delivery.pk) is None  # dead rows are never attempted
    assert forwarding.due_delivery_ids() == []
    assert actions(delivery) == ["delivery.dead"]

    receiver.respond = Reply(200)
    with django_capture_on_commit_callbacks() as callbacks:
        forwarding.retry_dead_delivery(delivery=delivery, actor=admin_user)
    assert len(callbacks) == 1  # queued after commit
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.SENT
    assert actions(delivery) == ["delivery.dead", "delivery.retried", "delivery.sent"]
    assert {r.webhook_id for r in receiver.snapshot()} == {delivery.idempotency_key}


def test_retry_of_a_row_that_is_not_dead_changes_nothing(hook_company, admin_user):
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    forwarding.retry_dead_delivery(delivery=delivery, actor=admin_user)
    assert actions(delivery) == []


def test_lease_expiry_makes_a_stuck_delivery_due_again(hook_company, receiver, settings):
    settings.OUTBOX_LEASE_SECONDS = 1
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    # A worker claims the attempt and dies before sending anything.
    assert forwarding.claim_attempt(Delivery, delivery.pk) is not None
    assert forwarding.due_delivery_ids() == []
    assert tasks.deliver(delivery.pk) is None  # in flight: a re-delivered message waits
    time.sleep(1.1)
    assert forwarding.due_delivery_ids() == [delivery.pk]
    assert tasks.deliver(delivery.pk) == DeliveryStatus.SENT
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert [r.webhook_id for r in receiver.snapshot()] == [delivery.idempotency_key]


def test_a_stale_attempt_cannot_undo_a_newer_one(hook_company, settings):
    settings.OUTBOX_LEASE_SECONDS = 0
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    first = forwarding.claim_attempt(Delivery, delivery.pk)  # slow worker, lease runs out
    second = forwarding.claim_attempt(Delivery, delivery.pk)
    assert forwarding.mark_sent(Delivery, second)
    assert forwarding.mark_failed(Delivery, first, forwarding.DeliveryFailed("late")) is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.last_error == ""


def test_sweep_requeues_due_rows_once_until_the_message_is_presumed_lost(
    hook_company, settings, monkeypatch
):
    settings.OUTBOX_REQUEUE_SECONDS = 300
    queued = []
    monkeypatch.setattr(tasks.deliver, "delay", queued.append)
    new = delivery_of(confirmed(), Channel.WEBHOOK)  # its task was queued on commit
    lost = delivery_of(confirmed(), Channel.WEBHOOK)
    Delivery.objects.filter(pk=lost.pk).update(queued_at=timezone.now() - timedelta(minutes=6))
    retry = delivery_of(confirmed(), Channel.WEBHOOK)
    Delivery.objects.filter(pk=retry.pk).update(queued_at=None, attempts=1)
    later = delivery_of(confirmed(), Channel.WEBHOOK)
    Delivery.objects.filter(pk=later.pk).update(
        queued_at=None, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )

    assert tasks.sweep_outbox() == 2
    assert sorted(queued) == sorted([lost.pk, retry.pk])
    assert tasks.sweep_outbox() == 0  # just queued: not again until presumed lost
    assert new.pk not in queued and later.pk not in queued
    lost.refresh_from_db()
    assert lost.queued_at is not None


def test_sweep_survives_a_broker_outage(hook_company, monkeypatch):
    def down(_):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.deliver, "delay", down)
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    Delivery.objects.filter(pk=delivery.pk).update(queued_at=None)
    assert tasks.sweep_outbox() == 0
    delivery.refresh_from_db()
    assert delivery.queued_at is None  # the next sweep tries again


def test_enqueue_failure_after_commit_does_not_fail_the_request(
    hook_company, monkeypatch, django_capture_on_commit_callbacks
):
    def down(_):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.deliver_company, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        report = confirmed()
    delivery = delivery_of(report, Channel.WEBHOOK)
    assert delivery.status == DeliveryStatus.PENDING and delivery.queued_at is None
    assert forwarding.due_delivery_ids() == [delivery.pk]  # the sweep will find it


def test_a_delivery_sent_twice_carries_the_same_key(hook_company, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    # The receiver processes the request but answers too late: the client counts a failure.
    receiver.respond = Reply(200, sleep=1.5)
    delivery = delivery_of(confirmed(), Channel.WEBHOOK)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.PENDING
    assert "Timeout" in Delivery.objects.get(pk=delivery.pk).last_error
    receiver.respond = Reply(200)
    make_due(delivery)
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.SENT
    seen = receiver.snapshot()
    assert len(seen) == 2
    assert {r.webhook_id for r in seen} == {delivery.idempotency_key}
    assert seen[0].json()["data"]["reference"] == seen[1].json()["data"]["reference"]


def test_one_row_per_report_company_channel(hook_company):
    report = confirmed()
    again = forwarding.create_deliveries(report)
    assert Delivery.objects.filter(report=report).count() == len(again) == 2
