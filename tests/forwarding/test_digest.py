"""Daily digest: one email per company per day, exactly once however often the task runs."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from reports import forwarding, tasks
from reports.forwarding import digest
from reports.models import Channel, Delivery, DeliveryStatus, DigestRun, Report
from tests import factories

from .helpers import confirmed

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 10, tzinfo=UTC)


@pytest.fixture
def digest_company(db):
    return factories.make_company(
        slug="digestco", name="DigestCo", domains=("digest-market.com",), daily_digest=True
    )


def forwarded_at(when):
    report = confirmed("digest-market.com")
    Report.objects.filter(pk=report.pk).update(forwarded_at=when)
    return report


def digests(mailoutbox, company):
    return [m for m in mailoutbox if m.to == [company.enforcement_email]]


def test_digest_companies_get_no_email_per_report(digest_company):
    report = confirmed("digest-market.com")
    channels = set(Delivery.objects.filter(report=report).values_list("channel", flat=True))
    assert channels == {Channel.PORTAL, Channel.DIGEST}
    assert forwarding.due_delivery_ids() == []  # digest rows are never attempted one by one


def test_digest_sent_exactly_once_even_if_the_task_runs_twice(digest_company, mailoutbox):
    day_reports = [forwarded_at(DAY + timedelta(hours=h)) for h in (1, 9, 23)]
    today = forwarded_at(DAY + timedelta(days=1, hours=2))
    after_midnight = DAY + timedelta(days=1, hours=3)

    assert digest.run_due_digests(after_midnight) == 1
    assert digest.run_due_digests(after_midnight) == 0  # the task runs again
    assert digest.run_due_digests(after_midnight + timedelta(hours=5)) == 0
    [message] = digests(mailoutbox, digest_company)
    run = DigestRun.objects.get()
    assert run.date.isoformat() == "2026-03-10" and run.status == DeliveryStatus.SENT
    assert message.extra_headers["Message-ID"] == f"<{run.idempotency_key}@cyberspotter.notices>"
    assert "3 notice" in message.subject
    for report in day_reports:
        assert report.reference in message.body
        assert report.evidence.get().original_sha256 in message.body
        row = Delivery.objects.get(report=report, channel=Channel.DIGEST)
        assert row.status == DeliveryStatus.SENT and row.digest == run
    assert today.reference not in message.body
    assert Delivery.objects.get(report=today, channel=Channel.DIGEST).digest is None

    # The next day's digest carries the rest; still one per day.
    assert digest.run_due_digests(after_midnight + timedelta(days=1)) == 1
    assert DigestRun.objects.count() == 2
    assert today.reference in digests(mailoutbox, digest_company)[1].body


def test_digest_task_function(digest_company, mailoutbox):
    forwarded_at(timezone.now() - timedelta(days=1))
    assert tasks.send_digests() == 1
    assert tasks.send_digests() == 0
    assert len(digests(mailoutbox, digest_company)) == 1


def test_rows_missed_by_a_sent_digest_go_in_the_next_one(digest_company, mailoutbox):
    forwarded_at(DAY + timedelta(hours=1))
    digest.run_due_digests(DAY + timedelta(days=1, hours=1))
    late = forwarded_at(DAY + timedelta(hours=23, minutes=59))  # committed after the digest
    assert digest.run_due_digests(DAY + timedelta(days=1, hours=2)) == 0
    assert digest.run_due_digests(DAY + timedelta(days=2, hours=1)) == 1
    assert late.reference in digests(mailoutbox, digest_company)[-1].body


def test_failed_digest_retries_then_dies_then_one_click_retry(
    digest_company, failing_smtp, settings, admin_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.OUTBOX_MAX_ATTEMPTS = 2
    report = forwarded_at(DAY + timedelta(hours=5))
    now = DAY + timedelta(days=1, hours=1)
    assert digest.run_due_digests(now) == 0
    run = DigestRun.objects.get()
    assert run.status == DeliveryStatus.PENDING and run.attempts == 1
    DigestRun.objects.filter(pk=run.pk).update(next_attempt_at=timezone.now())
    assert digest.run_due_digests() == 0
    run.refresh_from_db()
    assert run.status == DeliveryStatus.DEAD
    row = Delivery.objects.get(report=report, channel=Channel.DIGEST)
    assert row.status == DeliveryStatus.DEAD and "SMTP" in row.last_error  # shown to admins

    failing_smtp.failing = False
    with django_capture_on_commit_callbacks(execute=True):
        forwarding.retry_dead_delivery(delivery=row, actor=admin_user)
    row.refresh_from_db()
    run.refresh_from_db()
    assert run.status == row.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1 and report.reference in mail.outbox[0].body


def test_switching_digest_off_still_sends_the_waiting_rows(digest_company, mailoutbox):
    report = forwarded_at(DAY + timedelta(hours=5))
    digest_company.daily_digest = False
    digest_company.save()
    assert digest.run_due_digests(DAY + timedelta(days=1, hours=1)) == 1
    assert report.reference in digests(mailoutbox, digest_company)[0].body
