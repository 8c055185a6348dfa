"""Helpers for the sellers tests: submissions that run their after-commit indexing, and
photo-like test pictures (no photo is committed to the repository, so they are drawn here:
gradients, overlapping shapes and a blur, the kind of content pHash is made for)."""

from __future__ import annotations

import io
import random
from decimal import Decimal
from itertools import count

import pytest
from PIL import Image, ImageDraw, ImageFilter

from reports import services
from reports.evidence import process_image
from tests import factories

_seeds = count(1000)


def photo(seed: int, size=(640, 480)) -> Image.Image:
    rnd = random.Random(seed)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top = [rnd.randrange(256) for _ in range(3)]
    bottom = [rnd.randrange(256) for _ in range(3)]
    for y in range(size[1]):
        t = y / size[1]
        draw.line(
            [(0, y), (size[0], y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(25):
        x, y, r = rnd.randrange(size[0]), rnd.randrange(size[1]), rnd.randrange(20, 160)
        fill = tuple(rnd.randrange(256) for _ in range(3))
        shape = draw.ellipse if rnd.random() < 0.5 else draw.rectangle
        shape([x - r, y - r, x + r, y + r], fill=fill)
    return image.filter(ImageFilter.GaussianBlur(3))


def listing_screenshot(seed: int) -> Image.Image:
    """A listing page: the same header and text layout around a different photo per seed."""
    image = Image.new("RGB", (800, 1000), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 800, 60], fill=(40, 40, 120))
    image.paste(photo(seed, (500, 400)), (150, 120))
    for i in range(10):
        width = random.Random(seed + i).randrange(300, 600)
        draw.rectangle([100, 560 + i * 35, 100 + width, 575 + i * 35], fill=(90, 90, 90))
    return image


def encode(image: Image.Image, fmt="PNG", **options) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format=fmt, **options)
    return out.getvalue()


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """submit(volunteer, url, images=[bytes], **listing fields) -> the indexed report."""

    def make(volunteer, url, images=None, **fields):
        values = {
            "listing_title": "Pangolin scales",
            "listing_text": "",
            "seller_handle": "",
            "price": Decimal("10.00"),
        }
        values.update(fields)
        images = images or [encode(photo(next(_seeds), (160, 120)))]
        with django_capture_on_commit_callbacks(execute=True):
            return services.submit_report(
                volunteer=volunteer,
                details=factories.details(url, **values),
                images=[process_image(data, "shot.png") for data in images],
                image_names=["shot.png"] * len(images),
            )

    return make
