"""One task sends a batch of one company's due rows: one claim and one success record per batch.

The batch rides on a row's own task (bench/forwarding_bench.py: two commits per delivery were
most of an attempt's time); it stops at the first failure and at a third of the lease, and gives
back what it did not attempt.
"""

import pytest

from reports import forwarding
from reports.forwarding.delivery import deliver
from reports.models import Channel, Delivery, DeliveryStatus
from spotter.models import AuditEvent
from tests import factories

from .helpers import Reply, confirmed, delivery_of

pytestmark = pytest.mark.django_db


def webhook_rows(n):
    return [delivery_of(confirmed(), Channel.WEBHOOK) for _ in range(n)]


def test_one_task_sends_the_due_rows_of_its_company(hook_company, receiver):
    rows = webhook_rows(5)
    results = forwarding.attempt_batch(rows[2].pk)
    assert results == {row.pk: DeliveryStatus.SENT for row in rows}
    assert sorted(r.webhook_id for r in receiver.snapshot()) == sorted(
        row.idempotency_key for row in rows
    )
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.SENT, 1, "")
    sent = AuditEvent.objects.filter(action="delivery.sent")
    assert sent.count() == 5
    # The other rows' own tasks find nothing left to do.
    assert forwarding.attempt_batch(rows[0].pk) == {}
    assert deliver(rows[4].pk) is None
    assert len(receiver.snapshot()) == 5


def test_the_batch_is_bounded_and_keeps_to_one_company_and_channel(
    hook_company, receiver, settings
):
    factories.make_company(slug="othermarket", domains=("other-market.com",))
    rows = webhook_rows(4)
    other = delivery_of(confirmed(domain="other-market.com"), Channel.EMAIL)
    results = forwarding.attempt_batch(rows[0].pk, limit=3)
    assert len(results) == 3 and rows[0].pk in results
    other.refresh_from_db()
    assert (other.status, other.attempts) == (DeliveryStatus.PENDING, 0)
    assert (
        Delivery.objects.filter(channel=Channel.WEBHOOK, status=DeliveryStatus.PENDING).count() == 1
    )


def test_a_failure_stops_the_batch_and_gives_the_rest_back(hook_company, receiver):
    receiver.respond = lambda item: Reply(500) if len(receiver.requests) == 1 else Reply(200)
    rows = webhook_rows(4)
    results = forwarding.attempt_batch(rows[0].pk)
    assert list(results.values()).count(DeliveryStatus.SENT) == 1
    assert list(results.values()).count(DeliveryStatus.PENDING) == 1
    assert len(receiver.snapshot()) == 2
    failed = Delivery.objects.get(pk=[pk for pk, s in results.items() if s == "pending"][0])
    assert failed.attempts == 1 and "500" in failed.last_error
    assert failed.next_attempt_at > failed.last_attempt_at  # backing off
    untouched = Delivery.objects.exclude(pk__in=results).filter(channel=Channel.WEBHOOK)
    assert untouched.count() == 2
    for row in untouched:
        # Not attempted: the claim is taken back and the row is due again now.
        assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 0)
        assert forwarding.due_delivery_ids().count(row.pk) == 1


def test_a_spent_lease_budget_ends_the_batch(hook_company, receiver, settings):
    settings.OUTBOX_LEASE_SECONDS = 0  # a third of nothing: only the task's own row goes
    rows = webhook_rows(3)
    assert forwarding.attempt_batch(rows[1].pk) == {rows[1].pk: DeliveryStatus.SENT}
    assert sorted(forwarding.due_delivery_ids()) == sorted([rows[0].pk, rows[2].pk])


def test_a_row_held_by_a_live_lease_is_not_taken(hook_company, receiver):
    rows = webhook_rows(2)
    assert forwarding.claim_attempt(Delivery, rows[1].pk) is not None  # another worker has it
    assert forwarding.attempt_batch(rows[0].pk) == {rows[0].pk: DeliveryStatus.SENT}
    assert forwarding.attempt_batch(rows[1].pk) == {}
    rows[1].refresh_from_db()
    assert (rows[1].status, rows[1].attempts) == (DeliveryStatus.PENDING, 1)
