"""Near-identical screenshots link reports; different pictures do not; the lookup is banded."""

from __future__ import annotations

import pytest

from sellers import imagehashing
from sellers.indexing import near_duplicates
from sellers.models import ImageHash, ImageMatch
from tests import factories

from .conftest import encode, listing_screenshot, photo

pytestmark = pytest.mark.django_db


def _linked(a, b) -> ImageMatch | None:
    first, second = sorted((a.pk, b.pk))
    return ImageMatch.objects.filter(first_report_id=first, second_report_id=second).first()


def test_same_picture_resized_and_recompressed_is_linked(volunteer, other_volunteer, submit):
    picture = photo(1)
    original = submit(volunteer, "https://www.example-shop.com/item/a", [encode(picture)])
    smaller = picture.resize((picture.width // 2, picture.height // 2))
    again = submit(
        other_volunteer,
        "https://www.other-market.com/item/b",
        [encode(smaller, "JPEG", quality=60)],
    )
    match = _linked(original, again)
    assert match is not None
    assert match.distance <= imagehashing.MAX_DISTANCE


def test_a_listing_screenshot_recompressed_is_linked(volunteer, other_volunteer, submit):
    shot = listing_screenshot(1)
    a = submit(volunteer, "https://www.example-shop.com/item/a", [encode(shot)])
    b = submit(
        other_volunteer, "https://www.other-market.com/b", [encode(shot, "JPEG", quality=30)]
    )
    assert _linked(a, b) is not None


def test_different_pictures_are_not_linked(volunteer, other_volunteer, submit):
    a = submit(volunteer, "https://www.example-shop.com/item/a", [encode(photo(1))])
    b = submit(other_volunteer, "https://www.example-shop.com/item/b", [encode(photo(2))])
    # Same page layout, different photo: the hardest negative case.
    c = submit(volunteer, "https://www.example-shop.com/item/c", [encode(listing_screenshot(3))])
    d = submit(
        other_volunteer, "https://www.example-shop.com/item/d", [encode(listing_screenshot(4))]
    )
    assert ImageHash.objects.count() == 4
    assert _linked(a, b) is None
    assert _linked(c, d) is None
    assert not ImageMatch.objects.exists()


def test_screenshots_of_one_report_are_not_linked_to_each_other(volunteer, submit):
    picture = photo(5)
    submit(volunteer, "https://www.example-shop.com/item/a", [encode(picture), encode(picture)])
    assert ImageHash.objects.count() == 2
    assert not ImageMatch.objects.exists()


def _store(report, evidence, value: int) -> ImageHash:
    return ImageHash.objects.create(
        evidence=evidence,
        report=report,
        value=imagehashing.to_signed(value),
        **{f"band{i}": band for i, band in enumerate(imagehashing.bands(value))},
    )


def _flip(value: int, positions) -> int:
    for position in positions:
        value ^= 1 << position
    return value


def test_band_probes_find_every_pair_up_to_the_threshold(volunteer):
    """8 differing bits spread 2 per band share no band exactly, and are still found; 9 bits
    are not a match."""
    base = 0xF0E1D2C3B4A59687
    spread8 = _flip(base, [1, 9, 17, 25, 33, 41, 49, 57])  # two bits in each 16-bit band
    spread9 = _flip(spread8, [3])
    assert all(a != b for a, b in zip(imagehashing.bands(base), imagehashing.bands(spread8)))
    reports = [factories.make_report(volunteer) for _ in range(3)]
    rows = [
        _store(report, report.evidence.get(), value)
        for report, value in zip(reports, (base, spread8, spread9), strict=True)
    ]
    found = {other.pk: bits for other, bits in near_duplicates(rows[0])}
    assert found == {rows[1].pk: 8}


def test_lookup_is_one_indexed_query_per_band(volunteer, django_assert_num_queries):
    report = factories.make_report(volunteer)
    row = _store(report, report.evidence.get(), 0x0123456789ABCDEF)
    with django_assert_num_queries(imagehashing.BANDS):
        near_duplicates(row)


def test_hash_helpers_round_trip():
    value = 0xFFFF_0000_FFFF_0001
    assert imagehashing.to_unsigned(imagehashing.to_signed(value)) == value
    assert imagehashing.to_signed(value) < 0
    assert imagehashing.bands(value) == [0xFFFF, 0, 0xFFFF, 1]
    assert imagehashing.distance(value, imagehashing.to_signed(value ^ 0b101)) == 2
    assert len(imagehashing.probes(0)) == 1 + 16 + 120


def test_blank_screenshots_are_not_hashed_so_they_link_nothing(volunteer, other_volunteer, submit):
    blank = factories.png_bytes(200, 150, (255, 255, 255))
    a = submit(volunteer, "https://www.example-shop.com/item/a", [blank])
    b = submit(other_volunteer, "https://www.example-shop.com/item/b", [blank])
    assert not ImageHash.objects.filter(report__in=[a, b]).exists()
    assert not ImageMatch.objects.exists()
