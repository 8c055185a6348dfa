import json
import socket

import pytest

from rechecks import classify, fetch
from rechecks.rules import RULES_FILE, parse_rules

from .servers import ForwardProxy, Platform

# The fake platform answers for this host name (resolved to 127.0.0.1 by ``fake_dns``), and the
# test rules count it as eBay, so eBay's markers and redirect patterns apply to it.
SHOP_HOST = "www.example-shop.com"


@pytest.fixture
def platform():
    with Platform() as server:
        yield server


@pytest.fixture
def proxy():
    with ForwardProxy() as server:
        yield server


@pytest.fixture
def fake_dns(monkeypatch):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == SHOP_HOST or host.endswith(".example-shop.com"):
            host = "127.0.0.1"
        elif host.endswith(".internal.test"):
            host = "10.1.2.3"
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def test_rules(monkeypatch):
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    for entry in data["platforms"]:
        if entry["name"] == "eBay":
            entry["domains"].append("example-shop.com")
    rules = parse_rules(data)
    monkeypatch.setattr(classify, "load_rules", lambda: rules)
    return rules


@pytest.fixture
def egress(settings, proxy, platform, fake_dns, test_rules, monkeypatch):
    """Switched on: through the test proxy, loopback admitted (the test setting), short limits."""
    settings.RECHECK_PROXY_URL = proxy.url
    settings.RECHECK_ALLOW_LOOPBACK_HTTP = True
    settings.SITE_URL = "https://spotter.example.org"
    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(fetch, "MAX_BYTES", 256 * 1024)
    return platform
