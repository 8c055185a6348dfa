"""A confirmation wakes its company's channel once; the woken task drains every due row of it,
a batch at a time, over kept-alive connections (bench/forwarding_bench.py: one Celery message
and one new connection per delivery were most of what a delivery cost)."""

import pytest

from reports import tasks
from reports.forwarding import delivery as outbox_delivery
from reports.models import Channel, Delivery, DeliveryStatus
from tests import factories

from .helpers import Reply, confirmed, delivery_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def with_a_broker(settings):
    # These tests are about workers: tasks queued on a broker, not run inside the request.
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.fixture
def woken(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.deliver_company, "delay", lambda *args: calls.append(args))
    return calls


def test_two_tasks_drain_one_backlog_without_sending_a_row_twice(
    hook_company, receiver, monkeypatch
):
    # What the second worker does with the wake-up the first one left: both claim with SKIP
    # LOCKED, each row is claimed once (here one after the other, inline).
    monkeypatch.setattr(outbox_delivery, "BATCH_SIZE", 2)
    monkeypatch.setattr(tasks.deliver_company, "delay", lambda *args: tasks.deliver_company(*args))
    rows = [delivery_of(confirmed(), Channel.WEBHOOK) for _ in range(7)]
    tasks.deliver_company(hook_company.pk, Channel.WEBHOOK)
    received = [item.webhook_id for item in receiver.snapshot()]
    assert sorted(received) == sorted(row.idempotency_key for row in rows)
    assert (
        not Delivery.objects.exclude(status=DeliveryStatus.SENT)
        .filter(channel=Channel.WEBHOOK)
        .exists()
    )


def test_a_backlog_of_confirmations_is_one_wake_up(
    hook_company, receiver, woken, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reports = [confirmed() for _ in range(3)]
    assert woken == [(hook_company.pk, Channel.WEBHOOK)]
    assert tasks.deliver_company(hook_company.pk, Channel.WEBHOOK) == 3
    assert sorted(r.webhook_id for r in receiver.snapshot()) == sorted(
        delivery_of(report, Channel.WEBHOOK).idempotency_key for report in reports
    )
    # The task forgot its wake-up before claiming: the next confirmation wakes the company again.
    with django_capture_on_commit_callbacks(execute=True):
        confirmed()
    assert woken == [(hook_company.pk, Channel.WEBHOOK)] * 2


def test_each_company_and_channel_has_its_own_wake_up(
    hook_company, receiver, woken, django_capture_on_commit_callbacks
):
    other = factories.make_company(slug="othermarket", domains=("other-market.com",))
    with django_capture_on_commit_callbacks(execute=True):
        confirmed()
        confirmed(domain="other-market.com")
        confirmed(domain="other-market.com")
    assert sorted(woken) == sorted([(hook_company.pk, Channel.WEBHOOK), (other.pk, Channel.EMAIL)])


def test_the_woken_task_drains_past_one_batch_on_one_connection_per_batch(
    hook_company, receiver, monkeypatch, woken
):
    monkeypatch.setattr(outbox_delivery, "BATCH_SIZE", 2)
    rows = [delivery_of(confirmed(), Channel.WEBHOOK) for _ in range(5)]
    assert tasks.deliver_company(hook_company.pk, Channel.WEBHOOK) == 5
    # Its first full batch left one wake-up for an idle worker to join in (here: none did).
    assert woken == [(hook_company.pk, Channel.WEBHOOK)]
    assert set(
        Delivery.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True)
    ) == {DeliveryStatus.SENT}
    received = receiver.snapshot()
    assert len(received) == 5
    assert len({item.peer for item in received}) == 3  # batches of 2, 2 and 1


def test_a_batch_reuses_one_connection(hook_company, receiver):
    rows = [delivery_of(confirmed(), Channel.WEBHOOK) for _ in range(4)]
    results = tasks.deliver(rows[0].pk)
    assert results == DeliveryStatus.SENT
    assert len({item.peer for item in receiver.snapshot()}) == 1
    assert len(receiver.snapshot()) == 4


def test_a_connection_the_receiver_closed_is_replaced_and_the_post_made_again(
    hook_company, receiver
):
    # The receiver drops the connection after every answer without saying so: each reuse fails
    # before any answer and is made once more on a new connection.
    receiver.respond = Reply(200, close=True)
    rows = [delivery_of(confirmed(), Channel.WEBHOOK) for _ in range(3)]
    assert tasks.deliver(rows[0].pk) == DeliveryStatus.SENT
    assert set(
        Delivery.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True)
    ) == {DeliveryStatus.SENT}
    received = receiver.snapshot()
    assert sorted(item.webhook_id for item in received) == sorted(r.idempotency_key for r in rows)
    assert len({item.peer for item in received}) == 3


def test_the_woken_task_stops_at_a_failure_and_leaves_the_rest_due(
    hook_company, receiver, monkeypatch, woken
):
    monkeypatch.setattr(outbox_delivery, "BATCH_SIZE", 2)
    receiver.respond = lambda item: Reply(500) if len(receiver.requests) == 2 else Reply(200)
    rows = [delivery_of(confirmed(), Channel.WEBHOOK) for _ in range(5)]
    # The first batch is sent; the second's first row fails, which stops the task.
    assert tasks.deliver_company(hook_company.pk, Channel.WEBHOOK) == 3
    assert len(receiver.snapshot()) == 3
    rows = Delivery.objects.filter(pk__in=[r.pk for r in rows])
    assert rows.filter(status=DeliveryStatus.SENT).count() == 2
    failed = rows.get(attempts=1, status=DeliveryStatus.PENDING)
    assert failed.last_error.startswith("HTTP 500")
    assert rows.filter(status=DeliveryStatus.PENDING, attempts=0).count() == 2  # due again now


def test_an_unreachable_broker_leaves_the_rows_to_the_sweep(
    hook_company, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.deliver_company, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        report = confirmed()
    row = delivery_of(report, Channel.WEBHOOK)
    assert row.status == DeliveryStatus.PENDING and row.queued_at is None
    # The failed wake-up was forgotten: the next confirmation tries the broker again.
    calls = []
    monkeypatch.setattr(tasks.deliver_company, "delay", lambda *args: calls.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        confirmed()
    assert calls == [(hook_company.pk, Channel.WEBHOOK)]


def test_embedded_mode_sends_one_batch_in_the_request_and_leaves_the_rest_to_the_loop(
    hook_company, receiver, monkeypatch, settings, woken
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker: the wake-up runs inside the request
    monkeypatch.setattr(outbox_delivery, "BATCH_SIZE", 2)
    rows = [delivery_of(confirmed(), Channel.WEBHOOK) for _ in range(5)]
    assert tasks.deliver_company(hook_company.pk, Channel.WEBHOOK) == 2
    assert woken == []  # nothing nested: no helper wake-up
    assert outbox_delivery.drain_due() == 3  # the embedded loop sends the rest
    assert set(
        Delivery.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True)
    ) == {DeliveryStatus.SENT}
