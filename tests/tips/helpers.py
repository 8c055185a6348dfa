"""Tips made through the service, as the form would (tests of triage, purge, the matrix)."""

from __future__ import annotations

from itertools import count

from reports.evidence import process_image
from tests import factories
from tips import abuse, services

_seq = count(1)


def make_tip(*, url=None, note="Scales for sale", email="", language="", screenshot=True, ip=None):
    n = next(_seq)
    shot = (process_image(factories.png_bytes(), "shot.png"), "shot.png") if screenshot else None
    return services.submit_tip(
        listing_url=url or f"https://www.example-shop.com/item/tip-{n}",
        note=note,
        email=email,
        language=language,
        origin=abuse.origin_of(ip or f"198.18.{n % 250}.1"),  # a network each
        screenshot=shot,
    )
