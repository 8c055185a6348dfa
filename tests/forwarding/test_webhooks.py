"""Signed webhooks against a real local HTTP receiver."""

import base64
import email.utils
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks import Webhook

from reports import forwarding
from reports.forwarding import webhooks
from reports.models import Channel, Delivery, DeliveryStatus, MemberCompany
from spotter.models import AuditEvent

from .helpers import InvalidSignature, Reply, confirmed, delivery_of, verify_standard_webhook

pytestmark = pytest.mark.django_db


def send(report):
    delivery = delivery_of(report, Channel.WEBHOOK)
    status = forwarding.attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    return status, delivery


def test_signature_verifies_with_a_verifier_written_from_the_spec(hook_company, receiver):
    status, delivery = send(confirmed())
    assert status == DeliveryStatus.SENT
    [request] = receiver.snapshot()
    assert request.path == "/hook"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-id"] == delivery.idempotency_key
    assert request.headers["webhook-signature"].startswith("v1,")
    body = verify_standard_webhook(hook_company.webhook_secret, request.headers, request.body)
    assert body["type"] == "report.forwarded"
    # ...and with the reference library, as a receiver would.
    assert Webhook(hook_company.webhook_secret).verify(request.body, request.headers) == body


def test_spec_verifier_rejects_tampering_wrong_secret_and_replays(hook_company, receiver):
    send(confirmed())
    [request] = receiver.snapshot()
    secret = hook_company.webhook_secret
    with pytest.raises(InvalidSignature):
        verify_standard_webhook(secret, request.headers, request.body.replace(b"}", b" }", 1))
    with pytest.raises(InvalidSignature):
        verify_standard_webhook(webhooks.new_webhook_secret(), request.headers, request.body)
    with pytest.raises(InvalidSignature):
        verify_standard_webhook(
            secret, {**request.headers, "webhook-id": "msg_other"}, request.body
        )
    late = int(request.headers["webhook-timestamp"]) + 600
    with pytest.raises(InvalidSignature):
        verify_standard_webhook(secret, request.headers, request.body, now=late)


def test_signature_is_hmac_sha256_of_id_timestamp_body(hook_company, receiver):
    send(confirmed())
    [request] = receiver.snapshot()
    key = base64.b64decode(hook_company.webhook_secret.removeprefix("whsec_"))
    content = (
        f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode()
        + request.body
    )
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    assert request.headers["webhook-signature"] == f"v1,{expected}"


def test_body_carries_every_documented_field_and_never_the_volunteer(hook_company, receiver):
    report = confirmed()
    send(report)
    [request] = receiver.snapshot()
    body = request.json()
    assert set(body) == {"type", "timestamp", "data"}
    data = body["data"]
    assert set(data) == {
        "reference", "company", "observed_at", "confirmed_at", "forwarded_at", "listing",
        "species", "product_type", "explanation", "evidence", "notifier",
        "good_faith_statement", "sla", "portal_url", "callback", "language",
    }  # fmt: skip
    assert data["reference"] == report.reference
    assert data["listing"]["url"] == report.listing_url
    assert data["species"]["cites_appendix"] == "I"
    evidence = report.evidence.get()
    assert data["evidence"][0]["sha256"] == evidence.original_sha256
    assert data["evidence"][0]["image_sha256"] == evidence.image_sha256
    assert data["callback"]["acknowledge"].endswith(
        f"/api/v1/company/reports/{report.reference}/acknowledge/"
    )
    assert data["callback"]["outcome"].endswith(
        f"/api/v1/company/reports/{report.reference}/outcome/"
    )
    volunteer = report.volunteer
    for identity in (volunteer.email, volunteer.display_name, volunteer.pseudonym):
        if identity:
            assert identity.encode() not in request.body


@pytest.mark.parametrize("code", [200, 201, 202, 204])
def test_any_2xx_is_delivered(hook_company, receiver, code):
    receiver.respond = Reply(code)
    assert send(confirmed())[0] == DeliveryStatus.SENT


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirects_are_not_followed_and_not_success(hook_company, receiver, code):
    receiver.respond = Reply(code, headers={"Location": receiver.url("/elsewhere")})
    status, delivery = send(confirmed())
    assert status == DeliveryStatus.PENDING
    assert f"HTTP {code}" in delivery.last_error and "not followed" in delivery.last_error
    assert [r.path for r in receiver.snapshot()] == ["/hook"]


@pytest.mark.parametrize("code", [400, 401, 404, 429, 500, 502])
def test_other_statuses_are_retried(hook_company, receiver, code):
    receiver.respond = Reply(code)
    status, delivery = send(confirmed())
    assert status == DeliveryStatus.PENDING and f"HTTP {code}" in delivery.last_error


def test_retry_after_seconds_is_honoured(hook_company, receiver, settings):
    settings.OUTBOX_BASE_DELAY_SECONDS = 60  # backoff alone would retry within a minute
    receiver.respond = Reply(503, headers={"Retry-After": "3600"})
    before = timezone.now()
    _, delivery = send(confirmed())
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 3599 <= wait <= 3605


def test_retry_after_http_date_is_honoured_and_capped(hook_company, receiver):
    when = datetime.now(UTC) + timedelta(minutes=30)
    receiver.respond = Reply(429, headers={"Retry-After": email.utils.format_datetime(when)})
    _, delivery = send(confirmed())
    assert abs((delivery.next_attempt_at - when).total_seconds()) < 5
    receiver.respond = Reply(503, headers={"Retry-After": str(30 * 24 * 3600)})
    before = timezone.now()
    _, delivery = send(confirmed())
    assert (delivery.next_attempt_at - before) <= timedelta(days=1, seconds=5)


def test_unparseable_retry_after_falls_back_to_backoff(hook_company, receiver, settings):
    settings.OUTBOX_BASE_DELAY_SECONDS = 60
    receiver.respond = Reply(503, headers={"Retry-After": "soon, maybe"})
    before = timezone.now()
    status, delivery = send(confirmed())
    assert status == DeliveryStatus.PENDING
    assert 29 <= (delivery.next_attempt_at - before).total_seconds() <= 61


def test_410_gone_disables_the_company_webhook(hook_company, receiver):
    receiver.respond = Reply(410)
    first = confirmed()
    waiting = confirmed()  # already in the outbox when the endpoint goes away
    status, delivery = send(first)
    assert status == DeliveryStatus.DEAD and "410" in delivery.last_error
    hook_company.refresh_from_db()
    assert hook_company.webhook_enabled is False
    assert AuditEvent.objects.filter(action="company.webhook_disabled").count() == 1
    # The row already queued is not sent to a gone endpoint; it waits, dead, for an admin.
    status, other = send(waiting)
    assert status == DeliveryStatus.DEAD and "disabled" in other.last_error
    assert len(receiver.snapshot()) == 1
    # New reports no longer get a webhook row.
    later = confirmed()
    assert not Delivery.objects.filter(report=later, channel=Channel.WEBHOOK).exists()


def test_timeout_is_a_failed_attempt(hook_company, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.respond = Reply(200, sleep=1.5)
    status, delivery = send(confirmed())
    assert status == DeliveryStatus.PENDING and "Timeout" in delivery.last_error


def test_connection_refused_is_a_failed_attempt(hook_company, receiver):
    MemberCompany.objects.filter(pk=hook_company.pk).update(
        webhook_url="http://127.0.0.1:9/hook"  # discard port: nothing listens
    )
    status, delivery = send(confirmed())
    assert status == DeliveryStatus.PENDING and delivery.last_error.startswith("Network")


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",  # plain http to a public address
        "ftp://93.184.216.34/hook",
        "https://user:pw@93.184.216.34/hook",
        "https://10.1.2.3/hook",  # private
        "https://192.168.0.10/hook",
        "https://172.16.5.5/hook",
        "https://127.0.0.1/hook",  # loopback
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "https://[fe80::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",  # IPv4-mapped private
        "https://100.64.0.1/hook",  # carrier-grade NAT
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",  # multicast
        "https:///nohost",
    ],
)
def test_refused_targets(url, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = False
    with pytest.raises(ValidationError):
        webhooks.check_webhook_url(url)


def test_public_https_target_is_accepted(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = False
    webhooks.check_webhook_url("https://93.184.216.34/hook")


def test_loopback_setting_admits_only_loopback_http(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = True
    webhooks.check_webhook_url("http://127.0.0.1:8080/hook")
    with pytest.raises(ValidationError):
        webhooks.check_webhook_url("http://93.184.216.34/hook")
    with pytest.raises(ValidationError):
        webhooks.check_webhook_url("https://10.0.0.1/hook")


def test_refused_target_never_gets_a_request(hook_company, receiver, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = False  # the receiver is on loopback
    status, delivery = send(confirmed())
    assert status == DeliveryStatus.DEAD and "Refused target" in delivery.last_error
    assert receiver.snapshot() == []


def test_connection_goes_to_the_vetted_address(hook_company, receiver, monkeypatch):
    """A name that resolves to loopback at check time is connected to that address, not
    re-resolved (no DNS rebinding between the check and the connection)."""
    import socket

    real = socket.getaddrinfo
    MemberCompany.objects.filter(pk=hook_company.pk).update(
        webhook_url=f"http://hooks.test:{receiver.port}/named"
    )
    calls = []

    def fake(host, *args, **kwargs):
        calls.append(host)
        if host == "hooks.test":
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    status, _ = send(confirmed())
    assert status == DeliveryStatus.SENT
    assert calls.count("hooks.test") == 1
    [request] = receiver.snapshot()
    assert request.path == "/named" and request.headers["host"] == f"hooks.test:{receiver.port}"


def test_rotated_secret_signs_the_next_attempt(hook_company, receiver, admin_user):
    receiver.respond = Reply(500)
    report = confirmed()
    send(report)
    new_secret = webhooks.rotate_webhook_secret(company=hook_company, actor=admin_user)
    receiver.respond = Reply(200)
    delivery = delivery_of(report, Channel.WEBHOOK)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert forwarding.attempt_delivery(delivery.pk) == DeliveryStatus.SENT
    last = receiver.snapshot()[-1]
    verify_standard_webhook(new_secret, last.headers, last.body)
    assert AuditEvent.objects.filter(action="company.webhook_secret_rotated").exists()
