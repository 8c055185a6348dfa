"""Listing URLs: http(s) only, length-limited, IDN as punycode, no credentials, nothing that can
disguise the destination — and the site never fetches a user-supplied URL."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from reports.models import Report
from reports.urlnorm import normalize_listing_url
from spotter.errors import InvalidInput
from tests import factories

from .conftest import listing_form, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("https://evil.example\\@www.ebay.com/x", "user name or password"),
        ("https://www.ebay.com%2F@evil.example/", "user name or password"),
        ("https://ebay.com@@evil.example/", "user name or password"),
        ("https://:secret@www.ebay.com/", "user name or password"),
        ("https://127.0.0.1/x", "public website"),
        ("https://[::1]/x", "public website|valid domain"),
        ("https://0x7f000001/", "public website"),
        ("https://intranet/x", "public website"),
        ("https://ex%61mple.com/", "not a valid domain"),
        ("https://under_score.example.com/", "not a valid domain"),
        ("https://-dash.example.com/", "not a valid domain"),
        ("https://" + "a" * 64 + ".com/", "not a valid domain"),
        ("https://www.ebay.com/\u202egpj.exe", "control characters"),
        ("https://www.ebay.com/zero\u200bwidth", "control characters"),
        ("https://www.ebay.com/\ud800", "control characters"),
        ("https://www.ebay.com/a\u00a0b", "control characters"),
        ("https://www.ebay.com/\x00", "control characters"),
        ("gopher://www.ebay.com/", "Only http"),
        ("data:text/html,<script>alert(1)</script>", "Only http"),
        ("https://www.ebay.com/" + "a" * 2000, "too long"),
    ],
)
def test_refused_with_a_reason(raw, reason):
    with pytest.raises(InvalidInput, match=reason):
        normalize_listing_url(raw)


@pytest.mark.parametrize(
    "raw, url, domain",
    [
        ("https://аррӏе.com/", "https://xn--80ak6aa92e.com/", "xn--80ak6aa92e.com"),
        ("https://www.ebay。com/itm/1", "https://www.ebay.com/itm/1", "ebay.com"),
        ("https://www.ebay.com./itm/1", "https://www.ebay.com/itm/1", "ebay.com"),
        (
            "https://淘宝.中国/商品?id=1",
            "https://xn--pbt173b.xn--fiqs8s/商品?id=1",
            "xn--pbt173b.xn--fiqs8s",
        ),
        ("https://www.ebay.com#@evil.example", "https://www.ebay.com/", "ebay.com"),
    ],
)
def test_idn_and_lookalikes_normalised(raw, url, domain):
    result = normalize_listing_url(raw)
    assert (result.url, result.registrable_domain) == (url, domain)


def test_url_at_the_length_limit_is_accepted():
    raw = "https://www.ebay.com/" + "a" * (2000 - len("https://www.ebay.com/"))
    assert len(raw) == 2000
    assert normalize_listing_url(raw).registrable_domain == "ebay.com"


def test_submit_never_opens_a_network_connection(client_for, volunteer, company, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access during a submit: {args[:1]}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    data = listing_form(url="https://www.example-shop.com/item/ssrf?next=http://169.254.169.254/")
    data["screenshots"] = [upload("shot.png", factories.png_bytes())]
    response = client_for(volunteer).post(reverse("reports:submit"), data)
    assert response.status_code == 302
    assert Report.objects.get().domain == "example-shop.com"


# Modules allowed to open outgoing HTTP connections, and why.
NETWORK_ALLOWED = {
    "reports/forwarding/webhooks.py": "POSTs notices to admin-set, public-only webhook URLs",
    "spotter/egress.py": "the shared SSRF defences: vetted, pinned connections (and proxy tunnel)",
    "rechecks/fetch.py": "takedown checks: GET a listing from a worker, through the egress proxy",
}
NETWORK_CALL = re.compile(
    r"^\s*(import|from)\s+(requests|httpx|urllib3|aiohttp|http\.client|pycurl)\b"
    r"|urllib\.request|urlopen\(|socket\.create_connection",
    re.MULTILINE,
)


def test_no_module_fetches_urls_except_the_webhook_sender():
    """Grep every first-party module (apps added later included) for HTTP clients."""
    root = Path(settings.BASE_DIR)
    offenders = []
    skip = {"tests", "bench", "node_modules", "staticfiles", "media", "static", "docs"}
    top = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    paths = [path for folder in top if folder.name not in skip for path in folder.rglob("*.py")]
    for path in sorted(paths):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in relative or relative in NETWORK_ALLOWED:
            continue
        if NETWORK_CALL.search(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(relative)
    assert not offenders, f"modules that may fetch URLs: {offenders}"
