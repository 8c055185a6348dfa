"""Fetching a listing for a takedown check: only from a worker, only through the egress proxy.

Never called from a web request: :func:`fetch` is called by ``rechecks.runner`` alone, which
only the Celery tasks (and the embedded worker loop) run; tests/rechecks/test_fetch.py checks
that no other module imports it. Every request:

- goes through the HTTP forward proxy of ``RECHECK_PROXY_URL`` as a ``CONNECT`` tunnel to an
  address that passed ``spotter.egress``'s checks (public addresses only, resolved here and
  pinned, so the proxy never resolves a name of its own); unset, the feature is off;
- follows at most ``MAX_REDIRECTS`` redirects by hand, each new location checked again
  (scheme, credentials, port, resolved addresses) before anything is sent to it;
- says who it is (``CyberSpotterRecheck/1.0 (+<SITE_URL>/about/rechecks)``), asks for no
  compression, reads at most ``MAX_BYTES`` and gives up after ``TIMEOUT_SECONDS`` overall.

A domain is fetched at most once per ``DOMAIN_INTERVAL_SECONDS`` (a cache key per registrable
domain, shared by every worker): a check that finds its domain busy is put back a little later.
"""

from __future__ import annotations

import hashlib
import http.client
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache

from spotter.egress import EgressRefused, proxied_connection, resolve_public

MAX_REDIRECTS = 5
MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 15.0
DOMAIN_INTERVAL_SECONDS = 20
PORTS = (80, 443)
CHUNK = 64 * 1024

# Why a fetch gave no page (each is an "unknown" result; docs/verification.md).
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
REFUSED = "refused"  # the address is not allowed (private range, bad scheme or port…)
TOO_MANY_REDIRECTS = "too_many_redirects"
NETWORK = "network"


def enabled() -> bool:
    return bool(settings.RECHECK_PROXY_URL)


def user_agent() -> str:
    return f"CyberSpotterRecheck/1.0 (+{settings.SITE_URL.rstrip('/')}/about/rechecks)"


@dataclass
class Fetched:
    url: str
    final_url: str
    http_status: int | None = None
    body: bytes = b""
    content_type: str = ""
    error: str = ""
    detail: str = ""
    redirected: bool = False
    stopped_at_redirect: bool = False  # final_url is a redirect's target, deliberately not fetched

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest() if self.body else ""


class _TooLarge(Exception):
    pass


class _Deadline(Exception):
    pass


def take_domain_slot(domain: str) -> bool:
    """True if ``domain`` may be fetched now (and nobody else may for the interval)."""
    return cache.add(f"rechecks:slot:{domain.lower()}", 1, timeout=DOMAIN_INTERVAL_SECONDS)


def _vet(url: str):
    """(scheme, host, port, path, addresses) for ``url``, or EgressRefused saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise EgressRefused("not a valid URL") from exc
    if parts.scheme not in ("http", "https"):
        raise EgressRefused(f"scheme {parts.scheme!r} is not fetched")
    if parts.username or parts.password:
        raise EgressRefused("URLs with credentials are not fetched")
    host = parts.hostname or ""
    if not host:
        raise EgressRefused("no host")
    port = port or (443 if parts.scheme == "https" else 80)
    allow_loopback = settings.RECHECK_ALLOW_LOOPBACK_HTTP
    addresses = resolve_public(host, port, allow_loopback=allow_loopback)
    if port not in PORTS and not allow_loopback:
        raise EgressRefused(f"port {port} is not fetched")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port, path, addresses


def _read(response: http.client.HTTPResponse, deadline: float) -> bytes:
    length = response.getheader("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise _TooLarge(f"Content-Length {length}")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise _Deadline
        chunk = response.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise _TooLarge(f"more than {MAX_BYTES} bytes")
        chunks.append(chunk)


def fetch(url: str, *, stop: Callable[[str, str], bool] | None = None) -> Fetched:
    """GET ``url`` through the proxy; ``stop(from_url, location)`` ends the walk at a redirect
    (e.g. to the platform's home page: nothing more to learn by loading it)."""
    if not enabled():
        raise RuntimeError("takedown checks are switched off (RECHECK_PROXY_URL is not set)")
    deadline = time.monotonic() + TIMEOUT_SECONDS
    current = url
    result = Fetched(url=url, final_url=url)
    for _hop in range(MAX_REDIRECTS + 1):
        result.final_url = current
        try:
            scheme, host, port, path, addresses = _vet(current)
        except EgressRefused as exc:
            result.error, result.detail = REFUSED, str(exc)
            return result
        remaining = max(deadline - time.monotonic(), 0.05)
        conn = proxied_connection(
            proxy_url=settings.RECHECK_PROXY_URL,
            scheme=scheme,
            host=host,
            port=port,
            addresses=addresses,
            timeout=min(remaining, TIMEOUT_SECONDS),
        )
        try:
            conn.request(
                "GET",
                path,
                headers={
                    "User-Agent": user_agent(),
                    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                    "Accept-Encoding": "identity",
                },
            )
            response = conn.getresponse()
            result.http_status = response.status
            result.content_type = response.getheader("Content-Type", "")
            location = response.getheader("Location")
            if 300 <= response.status < 400 and location:
                target = urljoin(current, location.strip())
                result.redirected = True
                if stop is not None and stop(current, target):
                    result.final_url, result.stopped_at_redirect = target, True
                    return result
                current = target
                continue
            result.body = _read(response, deadline)
            return result
        except _TooLarge as exc:
            result.error, result.detail = TOO_LARGE, str(exc)
            return result
        except (_Deadline, TimeoutError) as exc:
            result.error, result.detail = TIMEOUT, type(exc).__name__
            return result
        except (OSError, http.client.HTTPException) as exc:
            result.error, result.detail = NETWORK, f"{type(exc).__name__}: {exc}"[:200]
            return result
        finally:
            conn.close()
    result.error, result.detail = TOO_MANY_REDIRECTS, f"more than {MAX_REDIRECTS}"
    return result
