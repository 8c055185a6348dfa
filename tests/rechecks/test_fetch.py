"""Fetching through the egress proxy against a fake platform on 127.0.0.1: redirects, private
addresses, slow and huge answers, the per-domain rate limit, and the switch."""

import ast
import socket
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from rechecks import fetch as fetch_module
from rechecks.classify import classify, removed_redirect
from rechecks.fetch import fetch, take_domain_slot
from tests.test_architecture import LAYERS

from .conftest import SHOP_HOST
from .servers import huge, page, slow


def _stop(here, there):
    return bool(removed_redirect(here, there))


def test_a_live_page_is_fetched_through_the_proxy_with_a_truthful_user_agent(egress, proxy):
    egress.html("/itm/1", page("ebay_live_en.html"))
    result = fetch(egress.url("/itm/1", host=SHOP_HOST), stop=_stop)
    assert result.error == "" and result.http_status == 200
    assert proxy.targets == [f"127.0.0.1:{egress.port}"]  # the address, never the name
    path, headers = egress.requests[-1]
    assert path == "/itm/1"
    assert headers["Host"] == f"{SHOP_HOST}:{egress.port}"
    assert headers["User-Agent"] == (
        "CyberSpotterRecheck/1.0 (+https://spotter.example.org/about/rechecks)"
    )
    assert len(result.sha256) == 64
    assert classify(result).status == "live"


def test_redirect_to_the_home_page_is_removed_without_loading_it(egress):
    egress.redirect("/itm/2", "/")
    egress.html("/", b"<html><body>Welcome to the shop</body></html>")
    result = fetch(egress.url("/itm/2", host=SHOP_HOST), stop=_stop)
    assert result.stopped_at_redirect and result.http_status == 302
    assert [path for path, _h in egress.requests] == ["/itm/2"]
    verdict = classify(result)
    assert (verdict.status, verdict.rule) == ("removed", "ebay:redirect:/")


def test_redirect_to_a_search_page_is_removed(egress):
    egress.redirect("/itm/3", "/sch/i.html?_nkw=carved+bangle", status=301)
    result = fetch(egress.url("/itm/3", host=SHOP_HOST), stop=_stop)
    assert classify(result).rule == "ebay:redirect:/sch/i.html"


def test_redirects_are_followed_and_each_hop_is_checked(egress):
    egress.redirect("/itm/4", egress.url("/itm/4b", host=SHOP_HOST))
    egress.html("/itm/4b", page("ebay_ended_en.html"))
    result = fetch(egress.url("/itm/4", host=SHOP_HOST), stop=_stop)
    assert result.final_url.endswith("/itm/4b")
    assert classify(result).rule == "ebay:removed:ended-en"


@pytest.mark.parametrize(
    "location", ["http://10.1.2.3/itm/5", "http://shop.internal.test/itm/5", "http://[::1]:80/"]
)
def test_redirect_to_a_private_address_is_refused(egress, proxy, settings, location):
    settings.RECHECK_ALLOW_LOOPBACK_HTTP = "[::1]" not in location
    egress.redirect("/itm/5", location)
    if "[::1]" in location:  # loopback refused when the test setting is off: the first hop too
        result = fetch(egress.url("/itm/5", host=SHOP_HOST), stop=_stop)
        assert result.error == "refused" and proxy.targets == []
        return
    result = fetch(egress.url("/itm/5", host=SHOP_HOST), stop=_stop)
    assert result.error == "refused"
    assert "private or reserved" in result.detail
    assert proxy.targets == [f"127.0.0.1:{egress.port}"]  # nothing was sent towards 10.x
    assert classify(result).status == "unknown"


def test_more_than_five_redirects_is_unknown(egress):
    for n in range(7):
        egress.redirect(f"/hop/{n}", f"/hop/{n + 1}")
    result = fetch(egress.url("/hop/0", host=SHOP_HOST), stop=_stop)
    assert result.error == "too_many_redirects"
    assert len(egress.requests) == 6  # the first request and five redirects
    assert classify(result).rule == "fetch:too_many_redirects"


def test_a_slow_platform_times_out_as_unknown(egress):
    egress.routes["/itm/6"] = slow(1.0)
    result = fetch(egress.url("/itm/6", host=SHOP_HOST), stop=_stop)
    assert result.error == "timeout"
    assert classify(result).status == "unknown"


@pytest.mark.parametrize("declare_length", [True, False])
def test_a_huge_page_stops_at_the_size_cap_as_unknown(egress, declare_length):
    egress.routes["/itm/7"] = huge(2 * fetch_module.MAX_BYTES, declare_length)
    result = fetch(egress.url("/itm/7", host=SHOP_HOST), stop=_stop)
    assert result.error == "too_large"
    assert result.body == b""
    assert classify(result).rule == "fetch:too_large"


def test_loopback_needs_the_test_setting(egress, settings, proxy):
    settings.RECHECK_ALLOW_LOOPBACK_HTTP = False
    egress.html("/itm/8", page("ebay_live_en.html"))
    result = fetch(egress.url("/itm/8", host=SHOP_HOST), stop=_stop)
    assert result.error == "refused" and proxy.targets == []


def test_a_proxy_that_is_down_gives_unknown(egress, settings):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.RECHECK_PROXY_URL = f"http://127.0.0.1:{port}"
    egress.html("/itm/9", page("ebay_live_en.html"))
    result = fetch(egress.url("/itm/9", host=SHOP_HOST), stop=_stop)
    assert result.error == "network"
    assert egress.requests == []


def test_switched_off_without_a_proxy(settings):
    settings.RECHECK_PROXY_URL = ""
    assert not fetch_module.enabled()
    with pytest.raises(RuntimeError, match="switched off"):
        fetch("https://www.ebay.com/itm/1")


def test_one_fetch_per_domain_per_interval():
    assert take_domain_slot("ebay.com")
    assert not take_domain_slot("ebay.com")
    assert not take_domain_slot("EBAY.com")
    assert take_domain_slot("etsy.com")


def test_only_the_worker_runner_calls_fetch():
    """The web process never fetches: fetch() is imported by rechecks.runner alone."""
    root = Path(django_settings.BASE_DIR)
    importers = []
    for path in (path for app in LAYERS for path in (root / app).rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and (node.module or "").endswith("fetch")
                and any(alias.name == "fetch" for alias in node.names)
            ):
                importers.append(path.relative_to(root).as_posix())
    assert importers == ["rechecks/runner.py"]
