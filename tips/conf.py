"""Tunables of the tip line. Operators set them in the environment; tests override them with
Django's ``settings`` fixture (every value is read through ``setting`` at use time)."""

from __future__ import annotations

import os

from django.conf import settings


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


DEFAULTS = {
    # Proof of work: leading zero bits of sha256(challenge + nonce); 16 bits is 65,536 hashes on
    # average. Measured in headless Chromium on a shared 2-core machine (docs/tips.md): 16 bits
    # took 0.4-4.3 s, 18 bits 0.5-14 s. Tests use 4 (8 in the browser test).
    "TIPS_POW_BITS": _env_int("TIPS_POW_BITS", 16),
    # A challenge is valid this long after the form page was served.
    "TIPS_CHALLENGE_MAX_AGE": _env_int("TIPS_CHALLENGE_MAX_AGE", 3600),
    # A human needs at least this long between loading the form and sending it.
    "TIPS_MIN_FILL_SECONDS": _env_int("TIPS_MIN_FILL_SECONDS", 4),
    # Accepted tips per hour from one address, and from one network (IPv4 /24, IPv6 /48).
    "TIPS_PER_IP_HOUR": _env_int("TIPS_PER_IP_HOUR", 5),
    "TIPS_PER_NETWORK_HOUR": _env_int("TIPS_PER_NETWORK_HOUR", 20),
    # The same listing URL is accepted once within this window.
    "TIPS_DEDUPE_HOURS": _env_int("TIPS_DEDUPE_HOURS", 72),
    # Tipster emails (and the hashed addresses) are erased this long after the tip.
    "TIPS_RETENTION_DAYS": _env_int("TIPS_RETENTION_DAYS", 90),
    # Limits of the fields and of the screenshot upload.
    "TIPS_NOTE_MAX_CHARS": 2000,
    "TIPS_MAX_UPLOAD_BYTES": _env_int("TIPS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024),
    # Tips per page of the triage queue.
    "TIPS_PAGE_SIZE": 25,
}


def setting(name: str):
    """The current value (``settings.NAME`` if set, else the default above)."""
    return getattr(settings, name, DEFAULTS[name])
