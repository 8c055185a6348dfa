"""Listing URL validation and normalisation.

Two volunteers who flag the same listing rarely paste the same string: hosts differ in case,
links carry tracking parameters and fragments. The normalised form is what duplicates are
detected on, and its registrable domain (public-suffix aware, from tldextract's bundled
snapshot — no network) is what routes a report to a member company. Its listing key (the
platform's own listing id, reports.listing_ids) recognises one listing behind different URL
shapes: duplicates are found on the key when there is one, else on the normalised URL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tldextract
from django.utils.translation import gettext as _

from spotter.errors import InvalidInput

from .listing_ids import listing_key

MAX_URL_LENGTH = 2000

# Offline extractor: an empty suffix_list_urls tuple makes tldextract use its bundled snapshot.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "mkevt",
    "mkcid",
    "mkrid",
    "campid",
    "toolid",
    "customid",
    "spm",
    "scm",
    "ref_",
    "ref_src",
    "share_id",
    "si",
    "trk",
    "_ga",
    "_gl",
}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}
# One DNS label after IDNA encoding: letters, digits, hyphens (no "%", "_" or empty labels).
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _refused(message: str) -> InvalidInput:
    """The URL cannot be a listing URL; the message says why, for the user."""
    return InvalidInput(message, field="listing_url")


@dataclass(frozen=True)
class NormalizedURL:
    url: str
    host: str
    registrable_domain: str
    listing_key: str = ""  # "ebay:123456789012", or "" when no rule knows the URL


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def normalize_listing_url(raw: str) -> NormalizedURL:
    raw = (raw or "").strip()
    if not raw:
        raise _refused(_("Enter the listing's URL."))
    if len(raw) > MAX_URL_LENGTH:
        raise _refused(
            _("The URL is too long (at most %(max)d characters).") % {"max": MAX_URL_LENGTH}
        )
    # Control, format (bidi overrides, zero-width), separator and lone surrogate characters can
    # disguise where a link goes, or crash encoders further on.
    if any(ch in " \x7f" or unicodedata.category(ch)[0] in "CZ" for ch in raw):
        raise _refused(_("The URL contains spaces or control characters."))
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise _refused(_("This is not a valid URL.")) from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise _refused(_("Only http:// and https:// listing URLs are accepted."))
    if parts.username is not None or parts.password is not None:
        raise _refused(_("URLs containing a user name or password are not accepted."))
    hostname = (parts.hostname or "").rstrip(".")
    if not hostname:
        raise _refused(_("The URL has no host name."))
    try:
        host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise _refused(_("The URL's host name is not a valid domain name.")) from exc
    if not all(_HOST_LABEL.match(label) for label in host.split(".")):
        raise _refused(_("The URL's host name is not a valid domain name."))
    extracted = _extract(host)
    if not extracted.suffix or not extracted.domain:
        raise _refused(_("The URL must name a public website (a domain such as example.com)."))
    registrable = extracted.top_domain_under_public_suffix.lower()

    netloc = host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    path = parts.path or "/"
    query = urlencode(
        sorted(
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
        )
    )
    normalized = urlunsplit((scheme, netloc, path, query, ""))
    return NormalizedURL(
        url=normalized,
        host=host,
        registrable_domain=registrable,
        listing_key=listing_key(normalized),
    )
