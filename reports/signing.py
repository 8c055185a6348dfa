"""The Ed25519 key that signs evidence packages.

A company (or a court) checks a package without trusting the channel it came through: the
signature in ``signature.json`` covers ``manifest.json``, which lists the SHA-256 of every other
file. The public key is published at ``/.well-known/evidence-package-key`` (and in
docs/security.md how to check with OpenSSL or Python). The private key is
``PACKAGE_SIGNING_KEY`` (base64 of a 32-byte seed) or, by default, derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

ALGORITHM = "Ed25519"


@lru_cache(maxsize=4)
def _private_key(configured: str, secret_key: str) -> Ed25519PrivateKey:
    if configured:
        seed = base64.b64decode(configured, validate=True)
    else:
        seed = hmac.new(
            secret_key.encode(), b"cyber-spotter package key v1", hashlib.sha256
        ).digest()
    return Ed25519PrivateKey.from_private_bytes(seed[:32])


def private_key() -> Ed25519PrivateKey:
    return _private_key(getattr(settings, "PACKAGE_SIGNING_KEY", ""), settings.SECRET_KEY)


def public_key_raw() -> bytes:
    return private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_pem() -> str:
    return (
        private_key()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def key_id() -> str:
    """A short name for the key (so a rotated key is told apart): 16 hex of its SHA-256."""
    return hashlib.sha256(public_key_raw()).hexdigest()[:16]


def sign(data: bytes) -> str:
    return base64.b64encode(private_key().sign(data)).decode()
