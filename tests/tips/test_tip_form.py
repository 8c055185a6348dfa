"""The public tip form: a valid tip, and each refusal with its own message."""

from __future__ import annotations

import hashlib
import io
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from spotter.models import AuditEvent
from tests import factories
from tips import abuse
from tips.models import Tip, TipScreenshot, TipStatus

from .conftest import challenge_of

pytestmark = pytest.mark.django_db


def _png(width=60, height=40, **kwargs) -> bytes:
    return factories.png_bytes(width, height, **kwargs)


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (50, 40), (10, 120, 30))
    exif = Image.Exif()
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPSInfo: a latitude
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_anonymous_visitor_finds_the_form_from_the_home_page(client):
    home = client.get("/")
    assert reverse("tips:submit").encode() in home.content
    page = client.get(reverse("tips:submit"))
    assert page.status_code == 200
    assert b"data-pow-challenge=" in page.content
    assert b"js/tip_pow.js" in page.content
    assert b"<script>" not in page.content  # CSP: no inline script


def test_valid_tip_gets_a_reference_and_keeps_no_raw_address(send_tip, client):
    shot = SimpleUploadedFile("listing.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = send_tip(
        "https://www.example-shop.com/item/42?utm_source=x",
        note="Pangolin scales, 'armour flakes'",
        email="tipster@example.net",
        consent="on",
        screenshot=shot,
        ip="203.0.113.5",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    tip = Tip.objects.get()
    sent = client.get(response["Location"])
    assert tip.reference.encode() in sent.content
    assert tip.status == TipStatus.NEW
    assert tip.normalized_url == "https://www.example-shop.com/item/42"
    assert tip.domain == "example-shop.com"
    assert tip.tipster_email == "tipster@example.net"
    assert tip.language == "fr"  # the follow-up email is written in the form's language
    # Only keyed hashes of the address and its /24 are kept, never the address.
    assert tip.ip_hash == abuse.origin_of("203.0.113.5").ip_hash
    assert tip.network_hash == abuse.origin_of("203.0.113.77").network_hash
    assert "203.0.113" not in tip.ip_hash + tip.network_hash
    event = AuditEvent.objects.get(action="tip.submitted")
    assert event.ip_address is None
    # The screenshot went through reports.evidence: a new PNG without the camera's metadata.
    image = tip.screenshot.image.open("rb").read()
    assert image.startswith(b"\x89PNG")
    assert b"SecretCam" not in image and b"Exif" not in image
    assert tip.screenshot.original_format == "JPEG"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example-shop.com/x", "Only http:// and https:// listing URLs are accepted."),
        ("https://user:pw@example-shop.com/x", "URLs containing a user name or password"),
        ("https://localhost/x", "must name a public website"),
        ("", "This field is required."),
    ],
)
def test_bad_url_is_refused_with_the_report_forms_message(send_tip, url, message):
    response = send_tip(url)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Tip.objects.exists()


def test_proof_of_work_missing(send_tip):
    response = send_tip(solve=False)
    assert response.status_code == 400
    assert "The anti-spam check did not run" in response.content.decode()
    assert not Tip.objects.exists()


def test_proof_of_work_wrong(send_tip, client):
    challenge = challenge_of(client.get(reverse("tips:submit")))
    wrong = next(
        str(n)
        for n in range(1000)
        if abuse.leading_zero_bits(hashlib.sha256(f"{challenge}{n}".encode()).digest()) < 4
    )
    response = send_tip(challenge=challenge, solve=False, pow_nonce=wrong)
    assert response.status_code == 400
    assert "The anti-spam check failed" in response.content.decode()
    assert not Tip.objects.exists()


def test_proof_of_work_forged_challenge(send_tip):
    response = send_tip(challenge="not-signed:by-us", solve=False, pow_nonce="1")
    assert "The anti-spam check is not valid" in response.content.decode()
    assert not Tip.objects.exists()


def test_proof_of_work_expired(send_tip, settings):
    settings.TIPS_CHALLENGE_MAX_AGE = -1  # every challenge is already too old
    response = send_tip()
    assert response.status_code == 400
    assert "the anti-spam check has expired" in response.content.decode()
    assert not Tip.objects.exists()


def test_proof_of_work_reused(send_tip, client):
    challenge = challenge_of(client.get(reverse("tips:submit")))
    nonce = abuse.solve(challenge, 4)
    first = send_tip(
        "https://www.example-shop.com/item/1", challenge=challenge, solve=False, pow_nonce=nonce
    )
    assert first.status_code == 302
    again = send_tip(
        "https://www.example-shop.com/item/2", challenge=challenge, solve=False, pow_nonce=nonce
    )
    assert again.status_code == 400
    assert "This form was already sent once" in again.content.decode()
    assert Tip.objects.count() == 1


def test_honeypot(send_tip):
    response = send_tip(website="http://spam.example")
    assert response.status_code == 400
    assert "a field meant to stay empty was filled in" in response.content.decode()
    assert not Tip.objects.exists()


def test_too_fast(send_tip, settings):
    settings.TIPS_MIN_FILL_SECONDS = 60
    response = send_tip()
    assert response.status_code == 400
    assert "sent too fast to be a person" in response.content.decode()
    assert not Tip.objects.exists()


def test_rate_limit_per_address(send_tip, settings):
    settings.TIPS_PER_IP_HOUR = 2
    for n in (1, 2):
        assert (
            send_tip(f"https://www.example-shop.com/item/{n}", ip="203.0.113.9").status_code == 302
        )
    refused = send_tip("https://www.example-shop.com/item/3", ip="203.0.113.9")
    assert refused.status_code == 429
    assert "You have sent the most tips we accept in an hour" in refused.content.decode()
    # The typed URL is still in the form.
    assert b"https://www.example-shop.com/item/3" in refused.content
    # Another address of the same network still may.
    assert send_tip("https://www.example-shop.com/item/4", ip="203.0.113.10").status_code == 302
    assert Tip.objects.count() == 3


def test_rate_limit_per_ipv4_network(send_tip, settings):
    settings.TIPS_PER_NETWORK_HOUR = 2
    assert send_tip("https://www.example-shop.com/a/1", ip="198.51.100.1").status_code == 302
    assert send_tip("https://www.example-shop.com/a/2", ip="198.51.100.2").status_code == 302
    refused = send_tip("https://www.example-shop.com/a/3", ip="198.51.100.3")
    assert refused.status_code == 429
    assert "Too many tips have come from your network" in refused.content.decode()
    assert send_tip("https://www.example-shop.com/a/4", ip="198.51.101.3").status_code == 302


def test_rate_limit_per_ipv6_network(send_tip, settings):
    settings.TIPS_PER_NETWORK_HOUR = 2
    assert send_tip("https://www.example-shop.com/b/1", ip="2001:db8:1:1::1").status_code == 302
    assert send_tip("https://www.example-shop.com/b/2", ip="2001:db8:1:2::1").status_code == 302
    refused = send_tip("https://www.example-shop.com/b/3", ip="2001:db8:1:ffff::9")
    assert refused.status_code == 429
    assert "Too many tips have come from your network" in refused.content.decode()
    # Another /48 is another network.
    assert send_tip("https://www.example-shop.com/b/4", ip="2001:db8:2::1").status_code == 302


def test_networks():
    assert abuse.network_of("203.0.113.77") == "203.0.113.0/24"
    assert abuse.network_of("2001:db8:1:2:3::9") == "2001:db8:1::/48"
    assert abuse.network_of("::ffff:203.0.113.77") == "203.0.113.0/24"


def test_oversized_upload(send_tip, settings):
    settings.TIPS_MAX_UPLOAD_BYTES = 2000
    rng = random.Random(1)
    noise = bytes(rng.randrange(256) for _ in range(30_000))
    out = io.BytesIO()
    Image.frombytes("RGB", (100, 100), noise).save(out, format="PNG")
    assert len(out.getvalue()) > 2000
    response = send_tip(screenshot=SimpleUploadedFile("big.png", out.getvalue(), "image/png"))
    assert response.status_code == 400
    assert "The screenshot is larger than" in response.content.decode()
    assert not Tip.objects.exists()


def test_non_image_upload(send_tip):
    fake = SimpleUploadedFile("shot.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = send_tip(screenshot=fake)
    assert response.status_code == 400
    assert "is not a JPEG, PNG or WebP image" in response.content.decode()
    assert not Tip.objects.exists()


def test_refusal_keeps_the_typed_fields_and_the_screenshot(send_tip):
    shot = SimpleUploadedFile("kept.png", _png(), "image/png")
    refused = send_tip("ftp://nope", note="A tiger skin rug", screenshot=shot)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "A tiger skin rug" in body and 'data-testid="staged-screenshot"' in body
    token = re.search(r'name="staged" value="([^"]+)"', body).group(1)
    accepted = send_tip(
        "https://www.example-shop.com/item/9", note="A tiger skin rug", staged=token
    )
    assert accepted.status_code == 302
    tip = Tip.objects.get()
    assert TipScreenshot.objects.get().tip == tip


def test_same_listing_within_the_window_is_refused(send_tip):
    assert send_tip("https://www.example-shop.com/item/5").status_code == 302
    again = send_tip("https://WWW.example-shop.com/item/5?fbclid=abc", ip="192.0.2.99")
    assert again.status_code == 400
    assert "We already received a tip about this listing recently" in again.content.decode()
    assert Tip.objects.count() == 1


def test_email_needs_consent(send_tip):
    response = send_tip(email="me@example.net")
    assert response.status_code == 400
    assert "Tick this box to let us keep your email" in response.content.decode()
    assert not Tip.objects.exists()


def test_note_length_limit(send_tip):
    response = send_tip(note="x" * 2001)
    assert response.status_code == 400
    assert not Tip.objects.exists()


def test_sent_page_needs_a_signed_reference(client):
    response = client.get(reverse("tips:sent") + "?t=TIP-FORGED")
    assert response.status_code == 302 and response["Location"] == reverse("tips:submit")


def test_over_the_limit_no_upload_is_decoded(send_tip, settings, monkeypatch):
    settings.TIPS_PER_IP_HOUR = 1
    assert send_tip("https://www.example-shop.com/item/60", ip="203.0.113.60").status_code == 302
    decoded = []
    monkeypatch.setattr("tips.forms.process_image", lambda *a, **k: decoded.append(a))
    shot = SimpleUploadedFile("s.png", _png(), "image/png")
    refused = send_tip("https://www.example-shop.com/item/61", ip="203.0.113.60", screenshot=shot)
    assert refused.status_code == 429 and decoded == []


@pytest.mark.parametrize(
    "fields",
    [
        {"note": "nul\x00byte"},
        {"challenge": "x" * 5000, "solve": False, "pow_nonce": "1"},
        {"pow_nonce": "9" * 500},
        {"pow_nonce": "-1"},
        {"staged": "garbage" * 100},
        {"email": "not-an-email", "consent": "on"},
        {"listing_url": "https://exa mple.com/\u202e"},
        {"listing_url": "h" * 3000},
    ],
)
def test_hostile_input_is_a_form_error_not_a_crash(send_tip, fields):
    response = send_tip(**fields)
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert not Tip.objects.exists()
