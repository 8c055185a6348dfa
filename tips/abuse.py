"""The tip line's defences against abuse, without a third-party captcha.

- **Proof of work.** The form page carries a challenge signed by the server
  (``django.core.signing``: it cannot be forged or edited) holding the time it was issued and
  the difficulty. static/js/tip_pow.js finds a nonce so that sha256(challenge + nonce) starts
  with ``bits`` zero bits; the server checks it with one hash. A challenge is refused when
  expired (``TIPS_CHALLENGE_MAX_AGE``), when sent sooner than ``TIPS_MIN_FILL_SECONDS`` after it
  was issued (no human fills a form that fast), and when used before: a used challenge is
  remembered in the cache (``cache.add`` is atomic on Redis) until it would expire anyway.
- **Rate limits** per address and per network (IPv4 /24, IPv6 /48), with reports.limits (the
  project's counters in the shared cache). The counters are keyed by a keyed hash of the
  address, never the address itself; the same hashes are what a tip stores.
- The honeypot field and the field and upload limits are the form's (tips.forms).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports import limits
from spotter.errors import InvalidInput, LimitReached

from .conf import setting

_SALT = "tips.challenge"
POW_FIELD = "pow_nonce"
CHALLENGE_FIELD = "challenge"


# --- proof of work --------------------------------------------------------------------------


def issue_challenge() -> str:
    """A fresh signed challenge for one form page."""
    payload = {"r": secrets.token_hex(8), "t": time.time(), "b": setting("TIPS_POW_BITS")}
    return signing.dumps(payload, salt=_SALT, compress=False)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + (8 - byte.bit_length())
    return bits


def solve(challenge: str, bits: int) -> str:
    """The nonce the browser would find (tests and the docs' example)."""
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}{nonce}".encode()).digest()) < bits:
        nonce += 1
    return str(nonce)


def _pow_refused(message: str) -> InvalidInput:
    return InvalidInput(message, field=None, code="proof_of_work")


def check_proof_of_work(challenge: str, nonce: str, *, now: float | None = None) -> None:
    """Accept the challenge once, or raise ``InvalidInput`` saying what is wrong. Consumes the
    challenge only when everything else about it is right."""
    now = time.time() if now is None else now
    if not challenge or not nonce:
        raise _pow_refused(
            _(
                "The anti-spam check did not run: keep this page open until it says “Ready to "
                "send” (JavaScript must be on), then send again."
            )
        )
    try:
        payload = signing.loads(challenge, salt=_SALT, max_age=setting("TIPS_CHALLENGE_MAX_AGE"))
    except signing.SignatureExpired as exc:
        raise _pow_refused(
            _("This form was open too long; the anti-spam check has expired. Send it again.")
        ) from exc
    except signing.BadSignature as exc:
        raise _pow_refused(_("The anti-spam check is not valid. Reload the page.")) from exc
    if not isinstance(payload, dict) or not {"r", "t", "b"} <= set(payload):
        raise _pow_refused(_("The anti-spam check is not valid. Reload the page."))
    if len(nonce) > 20 or not nonce.isdigit():
        raise _pow_refused(_("The anti-spam check failed. Send the form again."))
    digest = hashlib.sha256(f"{challenge}{nonce}".encode()).digest()
    if leading_zero_bits(digest) < int(payload["b"]):
        raise _pow_refused(_("The anti-spam check failed. Send the form again."))
    elapsed = now - float(payload["t"])
    if elapsed < setting("TIPS_MIN_FILL_SECONDS"):
        raise _pow_refused(
            _("That was sent too fast to be a person. Wait a few seconds and send it again.")
        )
    key = "tips:pow-used:" + hashlib.sha256(challenge.encode()).hexdigest()
    if not cache.add(key, 1, timeout=setting("TIPS_CHALLENGE_MAX_AGE") + 60):
        raise _pow_refused(
            _("This form was already sent once. Reload the page to send another tip.")
        )


# --- who is asking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Keyed hashes of the client's address and network; the raw address is not kept."""

    ip_hash: str
    network_hash: str


def _hash_key() -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"cyber-spotter tips ip v1", hashlib.sha256
    ).digest()


def _keyed(value: str) -> str:
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()


def network_of(address: str) -> str:
    """The /24 of an IPv4 address, the /48 of an IPv6 one (an IPv4-mapped IPv6 address counts
    as IPv4). Unparseable input is its own network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"unknown:{address}"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def origin_of(address: str | None) -> Origin:
    address = address or "unknown"
    return Origin(
        ip_hash=_keyed(f"ip:{address}"), network_hash=_keyed(f"net:{network_of(address)}")
    )


def _limit_refusal(retry_after: int, per_network: bool) -> LimitReached:
    minutes = -(-retry_after // 60)
    if per_network:
        message = ngettext(
            "Too many tips have come from your network recently. Try again in %(minutes)d minute.",
            "Too many tips have come from your network recently. Try again in %(minutes)d minutes.",
            minutes,
        )
    else:
        message = ngettext(
            "You have sent the most tips we accept in an hour. Try again in %(minutes)d minute.",
            "You have sent the most tips we accept in an hour. Try again in %(minutes)d minutes.",
            minutes,
        )
    return LimitReached(message % {"minutes": minutes}, retry_after=retry_after)


def _limits():
    return (
        ("tips-ip", "ip_hash", setting("TIPS_PER_IP_HOUR"), False),
        ("tips-net", "network_hash", setting("TIPS_PER_NETWORK_HOUR"), True),
    )


def check_rate(origin: Origin) -> None:
    """Refuse (``LimitReached``) if the address or its network used up its tips; counts nothing."""
    for scope, attr, limit, per_network in _limits():
        retry_after = limits.spent(scope, getattr(origin, attr), limit=limit, period=3600)
        if retry_after is not None:
            raise _limit_refusal(retry_after, per_network)


def count_tip(origin: Origin) -> None:
    """Count one accepted tip against the address and its network; refuse if over either."""
    for scope, attr, limit, per_network in _limits():
        retry_after = limits.hit(scope, getattr(origin, attr), limit=limit, period=3600)
        if retry_after is not None:
            raise _limit_refusal(retry_after, per_network)
