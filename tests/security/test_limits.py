"""Limits that hold for every door: one hourly submission budget for the form and the API, a
pixel limit checked before decoding, and signed evidence links that cannot flood the audit log."""

from __future__ import annotations

import io
import struct
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from PIL import Image, ImageFile, PngImagePlugin
from rest_framework.test import APIClient

from api.tokens import create_token
from reports import evidence as evidence_module
from reports import limits
from reports.evidence import process_image
from reports.models import Report
from reports.notices import evidence_link
from spotter.errors import InvalidInput, LimitReached, SpotterError
from spotter.models import AuditEvent
from tests import factories

from .conftest import listing_form, upload

pytestmark = pytest.mark.django_db


def api_client(user) -> APIClient:
    _token, raw = create_token(user=user, name="limits")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def api_submit(client: APIClient, n: int):
    data = {
        "listing_url": f"https://www.example-shop.com/item/api-{n}",
        "listing_title": "Pangolin scales",
        "product_type": factories.get_product_type().slug,
        "species": factories.get_species().pk,
        "screenshots": [upload("shot.png", factories.png_bytes())],
    }
    return client.post("/api/v1/reports/", data, format="multipart")


def form_submit(client, n: int):
    data = listing_form(url=f"https://www.example-shop.com/item/form-{n}")
    data["screenshots"] = [upload("shot.png", factories.png_bytes())]
    return client.post(reverse("reports:submit"), data)


# --- one submission budget for the form and the API -----------------------------------------


def test_form_and_api_share_one_hourly_budget(
    client_for, volunteer, other_volunteer, company, settings, monkeypatch
):
    assert settings.SUBMISSIONS_PER_HOUR == 30  # the default
    api, web = api_client(volunteer), client_for(volunteer)
    assert [api_submit(api, n).status_code for n in range(29)] == [201] * 29
    assert form_submit(web, 0).status_code == 302  # the 30th, through the form
    assert Report.objects.filter(volunteer=volunteer).count() == 30

    # Over the budget, neither door decodes an upload before refusing.
    def must_not_decode(*args, **kwargs):
        raise AssertionError("an upload was decoded for a refused submission")

    monkeypatch.setattr(evidence_module, "process_image", must_not_decode)

    refused = api_submit(api, 30)
    assert refused.status_code == 429
    error = refused.json()["errors"][0]
    assert error["code"] == "throttled" and error["field"] is None
    assert "at most 30 reports an hour" in error["message"]
    assert 3500 < int(refused["Retry-After"]) <= 3600

    page = form_submit(web, 31)
    assert page.status_code == 429
    assert 3500 < int(page["Retry-After"]) <= 3600
    html = page.content.decode()
    assert "You can submit at most 30 reports an hour. Try again in 60 minutes." in html
    assert "form-31" in html  # what the volunteer typed is kept
    # The form page says so before anything is typed, too.
    assert "at most 30 reports an hour" in web.get(reverse("reports:submit")).content.decode()
    assert Report.objects.filter(volunteer=volunteer).count() == 30

    monkeypatch.undo()
    assert api_submit(api_client(other_volunteer), 99).status_code == 201  # per volunteer


def test_form_first_then_api(client_for, volunteer, company, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    web, api = client_for(volunteer), api_client(volunteer)
    assert [form_submit(web, n).status_code for n in range(2)] == [302, 302]
    assert api_submit(api, 0).status_code == 429
    assert form_submit(web, 2).status_code == 429
    assert Report.objects.filter(volunteer=volunteer).count() == 2


def test_the_service_enforces_the_budget_for_every_caller(volunteer, company, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    factories.make_report(volunteer)
    with pytest.raises(LimitReached) as refused:
        factories.make_report(volunteer)
    assert isinstance(refused.value, SpotterError)
    assert 0 < refused.value.retry_after <= 3600
    assert "at most 1 reports an hour" in str(refused.value)


def test_a_new_window_opens_when_the_old_one_ends():
    # A one-second window on the real cache: the counter's own timeout ends it.
    assert limits.hit("t", "who", limit=1, period=1) is None
    assert limits.spent("t", "who", limit=1, period=1) == 1
    assert limits.hit("t", "who", limit=1, period=1) == 1
    time.sleep(1.1)
    assert limits.spent("t", "who", limit=1, period=1) is None
    assert limits.hit("t", "who", limit=1, period=1) is None


# --- pixels checked from the header, before decoding ----------------------------------------


def rgba_png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header says ``width × height`` RGBA but whose pixel data is one row: any
    attempt to decode it fails as 'damaged', so a 'too many pixels' error proves it was refused
    from the header alone."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (1 + 4 * width))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_6300_square_rgba_is_refused_from_the_header(settings, monkeypatch):
    assert settings.EVIDENCE_MAX_PIXELS == 24_000_000  # the default
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append("load"))
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "verify", lambda self: decoded.append("v"))
    with pytest.raises(InvalidInput) as refused:
        process_image(rgba_png_header_only(6300, 6300), "big.png")
    assert str(refused.value) == (
        "big.png has too many pixels (6300 × 6300; at most 24 megapixels)."
    )
    assert decoded == []


def test_pixel_limit_is_the_setting(settings):
    settings.EVIDENCE_MAX_PIXELS = 100 * 100
    out = io.BytesIO()
    Image.new("RGBA", (100, 100), (1, 2, 3, 255)).save(out, format="PNG")
    assert process_image(out.getvalue(), "ok.png").width == 100
    out = io.BytesIO()
    Image.new("RGBA", (101, 100), (1, 2, 3, 255)).save(out, format="PNG")
    with pytest.raises(InvalidInput, match="big.png has too many pixels"):
        process_image(out.getvalue(), "big.png")


def test_over_limit_image_is_a_form_error(client_for, volunteer, company):
    data = listing_form()
    data["screenshots"] = [upload("big.png", rgba_png_header_only(6300, 6300))]
    response = client_for(volunteer).post(reverse("reports:submit"), data)
    assert response.status_code == 200
    assert "big.png has too many pixels (6300 × 6300; at most 24 megapixels)." in (
        response.content.decode()
    )
    assert not Report.objects.exists()


# --- signed evidence links ------------------------------------------------------------------


def test_ten_openings_of_one_link_in_an_hour_are_one_audit_event(
    client, forwarded, settings, monkeypatch
):
    evidence = forwarded.evidence.get()
    url = evidence_link(evidence.pk).removeprefix(settings.SITE_URL)
    assert [client.get(url).status_code for _ in range(10)] == [200] * 10
    assert AuditEvent.objects.filter(action="evidence.link_opened").count() == 1

    # Another link to the same image (from an earlier notice) is its own first opening.
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 60)
    other = evidence_link(evidence.pk).removeprefix(settings.SITE_URL)
    monkeypatch.setattr(signing.time, "time", real_time)
    assert other != url and client.get(other).status_code == 200
    assert AuditEvent.objects.filter(action="evidence.link_opened").count() == 2

    # The next clock hour records the link again, once.
    later = time.time() + 3600
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: later))
    assert [client.get(url).status_code for _ in range(3)] == [200] * 3
    assert AuditEvent.objects.filter(action="evidence.link_opened").count() == 3


def test_evidence_links_are_rate_limited_per_ip(client, forwarded, settings):
    assert settings.EVIDENCE_LINK_REQUESTS_PER_IP_HOUR == 120  # the default
    settings.EVIDENCE_LINK_REQUESTS_PER_IP_HOUR = 3
    evidence = forwarded.evidence.get()
    url = evidence_link(evidence.pk).removeprefix(settings.SITE_URL)
    forged = reverse("reports:evidence_link", args=[f"{evidence.pk}:forged:sig"])
    ip = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get(url, **ip).status_code == 200
    assert client.get(forged, **ip).status_code == 404  # invalid links count too
    assert client.get(url, **ip).status_code == 200
    refused = client.get(url, **ip)
    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3600
    assert "Too many requests for evidence links" in refused.content.decode()
    assert client.get(url, REMOTE_ADDR="198.51.100.4").status_code == 200  # per address


@pytest.mark.production
def test_the_budget_is_counted_atomically_on_redis(settings):
    """Many web processes share Redis: simultaneous submissions cannot all take the last slot."""
    assert "Redis" in settings.CACHES["default"]["BACKEND"]

    def one(_n):
        allowed = limits.hit("race", "volunteer", limit=10, period=60) is None
        cache.close()
        return allowed

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(one, range(40)))
    assert outcomes.count(True) == 10
    assert 0 < limits.spent("race", "volunteer", limit=10, period=60) <= 60
