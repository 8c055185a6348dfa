import re

import pytest
from django.urls import reverse

from tips import abuse

FORM_URL = "/tip/"


@pytest.fixture(autouse=True)
def _tip_settings(settings):
    # Low difficulty and no wait: each test solves the real proof of work in a few hashes.
    settings.TIPS_POW_BITS = 4
    settings.TIPS_MIN_FILL_SECONDS = 0


def challenge_of(response) -> str:
    match = re.search(rb'data-pow-challenge="([^"]+)"', response.content)
    assert match, "the form page carries a challenge"
    return match.group(1).decode()


@pytest.fixture
def send_tip(client, db):
    """send_tip(url=..., ip=..., **fields, solve=True) -> the POST response. Loads the form page
    first (a fresh challenge), solves it like the browser does, then posts."""

    def send(url="https://www.example-shop.com/item/42", *, ip="203.0.113.5", solve=True, **fields):
        page = client.get(reverse("tips:submit"), REMOTE_ADDR=ip)
        assert page.status_code == 200
        challenge = fields.pop("challenge", None) or challenge_of(page)
        data = {"listing_url": url, "note": "", "email": "", "website": "", "challenge": challenge}
        if solve:
            data["pow_nonce"] = abuse.solve(challenge, 4)
        headers = {k: fields.pop(k) for k in list(fields) if k.startswith("HTTP_")}
        data.update(fields)
        return client.post(reverse("tips:submit"), data, REMOTE_ADDR=ip, **headers)

    return send
