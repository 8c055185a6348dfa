"""Signed webhooks (Standard Webhooks convention) to company endpoints.

Security: only admins set the URL; it must be https, and every address its host resolves to
must be public (no private, loopback, link-local, multicast or reserved ranges), so the site
cannot be turned against its own network. Redirects are never followed. The only exception is
``WEBHOOK_ALLOW_LOOPBACK_HTTP`` (tests), which admits plain-http loopback receivers.
"""

from __future__ import annotations

import base64
import email.utils
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from standardwebhooks import Webhook

from spotter.audit import record_event

from .forwarding import DeliveryFailed
from .models import Delivery, MemberCompany
from .notices import notice_payload

TIMEOUT_SECONDS = 10
MAX_RETRY_AFTER = timedelta(days=1)


def new_webhook_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def rotate_webhook_secret(*, company: MemberCompany, actor) -> str:
    """Create a new secret and return it; it is shown once and stored only for signing."""
    secret = new_webhook_secret()
    with transaction.atomic():
        MemberCompany.objects.filter(pk=company.pk).update(webhook_secret=secret)
        record_event(actor=actor, action="company.webhook_secret_rotated", target=company)
    company.webhook_secret = secret
    return secret


def _address_allowed(address: str, *, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address)
    if allow_loopback and ip.is_loopback:
        return True
    return ip.is_global and not ip.is_multicast


def check_webhook_url(url: str, *, resolve: bool = True) -> None:
    """Raise ValidationError unless ``url`` is an acceptable webhook target."""
    parts = urlsplit(url)
    allow_loopback = settings.WEBHOOK_ALLOW_LOOPBACK_HTTP
    host = parts.hostname or ""
    if parts.username or parts.password:
        raise ValidationError(_("Webhook URLs cannot contain credentials."))
    if parts.scheme != "https" and not (allow_loopback and parts.scheme == "http"):
        raise ValidationError(_("Webhook URLs must use https."))
    if not host:
        raise ValidationError(_("The webhook URL has no host."))
    if not resolve:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise ValidationError(_("The webhook host name does not resolve.")) from exc
    for info in infos:
        address = info[4][0]
        if not _address_allowed(address, allow_loopback=allow_loopback):
            raise ValidationError(
                _("The webhook host resolves to a private or reserved address (%(ip)s).")
                % {"ip": address}
            )
    if parts.scheme == "http" and not all(
        ipaddress.ip_address(info[4][0]).is_loopback for info in infos
    ):
        raise ValidationError(_("Plain-http webhooks are only allowed to loopback receivers."))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _retry_after(value: str | None) -> timedelta | None:
    if not value:
        return None
    try:
        delay = timedelta(seconds=max(0, int(value)))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed is None:
            return None
        delay = parsed - datetime.now(UTC)
    return max(timedelta(seconds=1), min(delay, MAX_RETRY_AFTER))


def signed_request(delivery: Delivery, body: str, when: datetime) -> urllib.request.Request:
    company = delivery.company
    signature = Webhook(company.webhook_secret).sign(delivery.idempotency_key, when, body)
    return urllib.request.Request(  # noqa: S310 — scheme checked in check_webhook_url
        company.webhook_url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "CyberSpotter-Webhooks/1.0",
            "webhook-id": delivery.idempotency_key,
            "webhook-timestamp": str(int(when.timestamp())),
            "webhook-signature": signature,
        },
    )


def send_webhook(delivery: Delivery) -> None:
    company = delivery.company
    if not company.webhook_enabled or not company.webhook_url:
        raise DeliveryFailed("The company's webhook is disabled.", permanent=True)
    if not company.webhook_secret:
        raise DeliveryFailed("The company has no webhook secret.", permanent=True)
    try:
        check_webhook_url(company.webhook_url)
    except ValidationError as exc:
        raise DeliveryFailed(f"Refused target: {'; '.join(exc.messages)}", permanent=True) from exc

    body = json.dumps(notice_payload(delivery.report), sort_keys=True, separators=(",", ":"))
    request = signed_request(delivery, body, datetime.now(UTC))
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
        if status == 410:
            MemberCompany.objects.filter(pk=company.pk).update(webhook_enabled=False)
            record_event(
                actor=None,
                action="company.webhook_disabled",
                target=company,
                reason="Endpoint answered 410 Gone",
            )
            raise DeliveryFailed("HTTP 410 Gone: endpoint disabled", permanent=True) from exc
        raise DeliveryFailed(
            f"HTTP {status}", retry_after=_retry_after(exc.headers.get("Retry-After"))
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryFailed(f"Network: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status} (only 2xx counts as delivered)")
