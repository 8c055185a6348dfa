"""Referral deliveries through the outbox: signature, retries with backoff, dead letters,
email and package channels, and nothing that identifies the volunteer."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from referrals import outbox, services, tasks
from referrals.models import ReferralChannel, ReferralDelivery
from referrals.notices import package_link
from reports import events
from reports.models import DeliveryStatus
from spotter.models import AuditEvent
from tests.forwarding.helpers import Reply, verify_standard_webhook

from .helpers import make_partner, non_member_report

pytestmark = pytest.mark.django_db


def _routed(volunteer, **kwargs):
    report = non_member_report(volunteer=volunteer, **kwargs)
    services.route_report(report_id=report.pk)
    return report


def _delivery(report, channel) -> ReferralDelivery:
    return ReferralDelivery.objects.get(referral__report=report, channel=channel)


def _identity(volunteer) -> list[str]:
    values = [volunteer.email, volunteer.display_name, volunteer.email.split("@")[0]]
    if volunteer.pseudonym:
        values.append(volunteer.pseudonym)
    return values


def test_webhook_is_signed_and_names_no_volunteer(hook_partner, receiver, identified_volunteer):
    report = _routed(identified_volunteer, location="Hanoi, Vietnam")
    delivery = _delivery(report, ReferralChannel.WEBHOOK)
    assert outbox.attempt(delivery.pk) == DeliveryStatus.SENT
    [request] = receiver.snapshot()
    assert request.headers["webhook-id"] == delivery.idempotency_key
    body = verify_standard_webhook(hook_partner.webhook_secret, request.headers, request.body)
    assert body["type"] == "report.referred"
    data = body["data"]
    assert data["reference"] == report.reference
    assert data["referral"]["partner"] == "Hook Police"
    assert data["referral"]["country"] == "VN"
    assert data["referral"]["outcome_url"].startswith("http")
    # Nothing only a member company could use, and nothing about the volunteer.
    for field in ("portal_url", "callback", "sla", "company"):
        assert field not in data
    raw = request.body.decode()
    for value in _identity(identified_volunteer):
        assert value not in raw
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert AuditEvent.objects.filter(action="referral.sent", object_id=str(report.pk)).exists()


def test_failures_are_retried_with_backoff_under_the_same_key(
    hook_partner, receiver, volunteer, settings
):
    settings.OUTBOX_BASE_DELAY_SECONDS = 60
    receiver.respond = Reply(status=503)
    report = _routed(volunteer)
    delivery = _delivery(report, ReferralChannel.WEBHOOK)
    before = timezone.now()
    assert outbox.attempt(delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert "HTTP 503" in delivery.last_error
    # Backoff: between half and all of the base delay, in the database (not a countdown).
    assert before + timedelta(seconds=29) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + timedelta(seconds=61)
    assert outbox.attempt(delivery.pk) is None  # not due yet: a duplicate task does nothing
    ReferralDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    receiver.respond = Reply(status=200)
    assert outbox.attempt(delivery.pk) == DeliveryStatus.SENT
    first, second = receiver.snapshot()
    assert first.webhook_id == second.webhook_id == delivery.idempotency_key


def test_last_attempt_is_dead_and_an_admin_retries_it(
    hook_partner, receiver, volunteer, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    receiver.respond = Reply(status=500)
    report = _routed(volunteer)
    delivery = _delivery(report, ReferralChannel.WEBHOOK)
    assert outbox.attempt(delivery.pk) == DeliveryStatus.DEAD
    assert AuditEvent.objects.filter(action="referral.dead", object_id=str(report.pk)).exists()
    receiver.respond = Reply(status=204)
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_dead_referral_delivery(delivery=delivery, actor=admin_user)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT  # eager in tests without a broker
    assert len({r.webhook_id for r in receiver.snapshot()}) == 1


def test_refused_target_is_dead_at_once(hook_partner, receiver, volunteer, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = False  # the egress defence, as in production
    report = _routed(volunteer)
    delivery = _delivery(report, ReferralChannel.WEBHOOK)
    assert outbox.attempt(delivery.pk) == DeliveryStatus.DEAD
    assert receiver.snapshot() == []


def test_410_disables_the_partner_webhook(hook_partner, receiver, volunteer):
    receiver.respond = Reply(status=410)
    report = _routed(volunteer)
    assert outbox.attempt(_delivery(report, ReferralChannel.WEBHOOK).pk) == DeliveryStatus.DEAD
    hook_partner.refresh_from_db()
    assert hook_partner.webhook_enabled is False


def test_email_notice_in_the_partner_language_with_message_id(cn_authority, identified_volunteer):
    report = _routed(identified_volunteer, location="Shenzhen, China")
    delivery = _delivery(report, ReferralChannel.EMAIL)
    assert outbox.attempt(delivery.pk) == DeliveryStatus.SENT
    [message] = mail.outbox
    assert message.to == ["desk@partner.invalid"]
    assert (
        message.extra_headers["Message-ID"] == f"<{delivery.idempotency_key}@cyberspotter.notices>"
    )
    assert report.reference in message.subject
    text = message.body + message.alternatives[0][0]
    assert "/r/outcome/" in text
    assert "/r/package/" not in text  # the package link is its own channel
    for value in _identity(identified_volunteer):
        assert value not in text and value not in message.subject


def test_package_link_channel_serves_a_signed_company_grade_package(client, identified_volunteer):
    partner = make_partner(name="Court desk", worldwide=True, send_package_link=True)
    report = _routed(identified_volunteer)
    delivery = _delivery(report, ReferralChannel.PACKAGE)
    assert outbox.attempt(delivery.pk) == DeliveryStatus.SENT
    [message] = mail.outbox
    assert "/r/package/" in message.body
    referral = report.referrals.get(partner=partner)
    response = client.get(package_link(referral))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert f"{report.reference}/signature.json" in names
    assert not any("/originals/" in name for name in names)
    manifest = json.loads(archive.read(f"{report.reference}/manifest.json"))
    assert manifest["generated_for"] == "referral partner"
    everything = b"".join(archive.read(name) for name in names).decode(errors="ignore")
    for value in _identity(identified_volunteer):
        assert value not in everything


def test_the_sweep_queues_due_rows_and_the_embedded_loop_drains_them(
    ngo, volunteer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = non_member_report(volunteer=volunteer)
    events.worker_tick.send(sender=None)  # the embedded loop: route, attempt, count
    delivery = _delivery(report, ReferralChannel.EMAIL)
    assert delivery.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_beat_sweep_routes_and_queues(ngo, volunteer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = non_member_report(volunteer=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.sweep_referrals()
    assert result["routed"] == 1
    assert result["unrouted"] == 0
    # The routing's own after-commit queueing sent it (eager without a broker); the sweep's
    # queue found nothing left that was not already queued.
    assert _delivery(report, ReferralChannel.EMAIL).status == DeliveryStatus.SENT
