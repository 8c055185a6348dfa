"""Signed webhooks (Standard Webhooks convention) to company endpoints.

Security: only admins set the URL; it must be https, and every address its host resolves to
must be public (no private, loopback, link-local, multicast or reserved ranges), so the site
cannot be turned against its own network. The connection then goes to an address that passed
the check (TLS still verifies the host name), so a DNS answer that changes between check and
connect cannot smuggle in a private address. Redirects are never followed (http.client does
not follow them) and count as failures. The only exception is ``WEBHOOK_ALLOW_LOOPBACK_HTTP``
(tests), which admits plain-http loopback receivers. The address check and the pinned
connection live in ``spotter.egress``, shared with the takedown checks (``rechecks``).

Body, headers, retries and how to verify a signature: docs/webhooks.md.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import email.utils
import http.client
import ipaddress
import json
import secrets
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from standardwebhooks import Webhook

from spotter.audit import record_event
from spotter.egress import address_allowed, pinned_connection
from spotter.models import User

from ..models import Delivery, MemberCompany
from ..notices import notice_payload
from .outbox import DeliveryFailed

MAX_RETRY_AFTER = timedelta(days=1)
USER_AGENT = "CyberSpotter-Webhooks/1.0"
EVENT_TYPE = "report.forwarded"


def new_webhook_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def rotate_webhook_secret(*, company: MemberCompany, actor: User | None) -> str:
    """Create a new secret and return it; it is shown once and stored only for signing."""
    secret = new_webhook_secret()
    with transaction.atomic():
        MemberCompany.objects.filter(pk=company.pk).update(webhook_secret=secret)
        record_event(actor=actor, action="company.webhook_secret_rotated", target=company)
    company.webhook_secret = secret
    return secret


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def resolve_webhook_target(url: str) -> Target:
    """Check ``url`` and resolve its host; raise ValidationError naming what is wrong."""
    check_webhook_url(url, resolve=False)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    allow_loopback = settings.WEBHOOK_ALLOW_LOOPBACK_HTTP
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError(_("The webhook host name does not resolve.")) from exc
    addresses = tuple(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not address_allowed(address, allow_loopback=allow_loopback):
            raise ValidationError(
                _("The webhook host resolves to a private or reserved address (%(ip)s).")
                % {"ip": address}
            )
    if parts.scheme == "http" and not all(
        ipaddress.ip_address(address.split("%", 1)[0]).is_loopback for address in addresses
    ):
        raise ValidationError(_("Plain-http webhooks are only allowed to loopback receivers."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses)


def check_webhook_url(url: str, *, resolve: bool = True) -> None:
    """Raise ValidationError unless ``url`` is an acceptable webhook target."""
    if resolve:
        resolve_webhook_target(url)
        return
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a bad port
    except ValueError as exc:
        raise ValidationError(_("The webhook URL is not valid.")) from exc
    allow_loopback = settings.WEBHOOK_ALLOW_LOOPBACK_HTTP
    if parts.username or parts.password:
        raise ValidationError(_("Webhook URLs cannot contain credentials."))
    if parts.scheme != "https" and not (allow_loopback and parts.scheme == "http"):
        raise ValidationError(_("Webhook URLs must use https."))
    if not parts.hostname:
        raise ValidationError(_("The webhook URL has no host."))


def _retry_after(value: str | None) -> timedelta | None:
    """Parse Retry-After (seconds or an HTTP date), clamped to 1 s … 1 day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=int(value))
    else:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        delay = parsed - datetime.now(UTC)
    return max(timedelta(seconds=1), min(delay, MAX_RETRY_AFTER))


def webhook_body(delivery: Delivery) -> str:
    """The Standard Webhooks envelope: type, timestamp (of the event), data."""
    report = delivery.report
    envelope = {
        "type": EVENT_TYPE,
        "timestamp": report.forwarded_at.isoformat() if report.forwarded_at else None,
        "data": notice_payload(report),
    }
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def signed_headers(delivery: Delivery, body: str, when: datetime) -> dict[str, str]:
    return sign_headers(
        secret=delivery.company.webhook_secret, key=delivery.idempotency_key, body=body, when=when
    )


def sign_headers(*, secret: str, key: str, body: str, when: datetime) -> dict[str, str]:
    """Standard Webhooks headers for ``body``: ``webhook-id`` is the outbox row's key."""
    signature = Webhook(secret).sign(key, when, body)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": key,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": signature,
    }


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    return pinned_connection(
        scheme=target.scheme,
        host=target.host,
        port=target.port,
        addresses=target.addresses,
        timeout=timeout,
    )


class _KeepAlive:
    """Open connections and resolved targets of one batch of sends (see :func:`keep_alive`)."""

    def __init__(self) -> None:
        self.connections: dict[Target, http.client.HTTPConnection] = {}
        self.targets: dict[str, Target] = {}

    def close(self) -> None:
        for conn in self.connections.values():
            conn.close()
        self.connections.clear()


_batch: contextvars.ContextVar[_KeepAlive | None] = contextvars.ContextVar(
    "webhook_keep_alive", default=None
)


@contextlib.contextmanager
def keep_alive() -> Iterator[None]:
    """Within this block, webhooks to the same receiver reuse one HTTP/1.1 connection and its
    URL is checked and resolved once (the outbox's batches: bench/forwarding_bench.py measured
    the new connection per POST as a fifth of a delivery). Every connection is closed on exit,
    so nothing outlives the batch; the addresses stay the ones that passed the check."""
    scope = _KeepAlive()
    token = _batch.set(scope)
    try:
        yield
    finally:
        _batch.reset(token)
        scope.close()


def _target(url: str) -> Target:
    scope = _batch.get()
    if scope is None:
        return resolve_webhook_target(url)
    if url not in scope.targets:
        scope.targets[url] = resolve_webhook_target(url)
    return scope.targets[url]


def _exchange(
    conn: http.client.HTTPConnection, target: Target, body: bytes, headers: dict[str, str]
) -> tuple[int, str | None, bool]:
    conn.request("POST", target.path, body=body, headers=headers)
    response = conn.getresponse()
    response.read(64 * 1024)  # drain a little; the body is not used
    reusable = response.isclosed() and not response.will_close
    return response.status, response.getheader("Retry-After"), reusable


def post(target: Target, body: bytes, headers: dict[str, str]) -> tuple[int, str | None]:
    """POST once; return (status, Retry-After). Network errors and timeouts raise OSError.

    Inside :func:`keep_alive`, an open connection to the same target is reused when the last
    answer allowed it. A reused connection the receiver has meanwhile closed fails before any
    answer; that POST is made once more on a new connection (the receiver may then see it
    twice, with the same ``webhook-id``: deliveries are at-least-once)."""
    scope = _batch.get()
    reused = scope.connections.pop(target, None) if scope is not None else None
    conn = reused or _connection(target, settings.WEBHOOK_TIMEOUT_SECONDS)
    try:
        status, retry_after, reusable = _exchange(conn, target, body, headers)
    except (ConnectionError, http.client.BadStatusLine):  # RemoteDisconnected is both
        conn.close()
        if reused is None:
            raise
        conn = _connection(target, settings.WEBHOOK_TIMEOUT_SECONDS)
        try:
            status, retry_after, reusable = _exchange(conn, target, body, headers)
        except BaseException:
            conn.close()
            raise
    except BaseException:
        conn.close()
        raise
    if scope is not None and reusable:
        scope.connections[target] = conn
    else:
        conn.close()
    return status, retry_after


def _disable_endpoint(company: MemberCompany) -> None:
    with transaction.atomic():
        MemberCompany.objects.filter(pk=company.pk).update(webhook_enabled=False)
        record_event(
            actor=None,
            action="company.webhook_disabled",
            target=company,
            reason="Endpoint answered 410 Gone",
        )


def send_webhook(delivery: Delivery) -> None:
    company = delivery.company
    if not company.webhook_enabled or not company.webhook_url:
        raise DeliveryFailed("The company's webhook is disabled.", permanent=True)
    if not company.webhook_secret:
        raise DeliveryFailed("The company has no webhook secret.", permanent=True)
    send_signed(
        url=company.webhook_url,
        secret=company.webhook_secret,
        key=delivery.idempotency_key,
        body=webhook_body(delivery),
        on_gone=lambda: _disable_endpoint(company),
    )


def send_signed(
    *, url: str, secret: str, key: str, body: str, on_gone: Callable[[], None] | None = None
) -> None:
    """POST ``body`` signed with ``secret`` under ``key`` to ``url`` (checked and pinned, as
    above); raise DeliveryFailed unless it answers 2xx. The one sender of every signed webhook:
    member companies' notices here, referral partners' notices in the referrals app.
    ``on_gone`` runs when the endpoint answers 410 Gone (e.g. disable it)."""
    try:
        target = _target(url)
    except ValidationError as exc:
        raise DeliveryFailed(f"Refused target: {'; '.join(exc.messages)}", permanent=True) from exc

    headers = sign_headers(secret=secret, key=key, body=body, when=datetime.now(UTC))
    try:
        status, retry_after = post(target, body.encode(), headers)
    except (OSError, http.client.HTTPException) as exc:  # timeouts are OSErrors
        raise DeliveryFailed(f"Network: {type(exc).__name__}: {exc}") from exc
    if 200 <= status < 300:
        return
    if status == 410:
        if on_gone is not None:
            on_gone()
        raise DeliveryFailed("HTTP 410 Gone: endpoint disabled", permanent=True)
    detail = " (redirects are not followed)" if 300 <= status < 400 else ""
    raise DeliveryFailed(
        f"HTTP {status}{detail}; only 2xx counts as delivered",
        retry_after=_retry_after(retry_after),
    )
