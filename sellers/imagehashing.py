"""Perceptual hashes of screenshots and the near-duplicate lookup.

**pHash, not dHash.** pHash (``imagehash.phash``: 32×32 greyscale, DCT, the 8×8 lowest
frequencies against their median) keeps the coarse structure of a picture, so resizing, JPEG
re-compression and small brightness changes move it by 0–2 bits of 64. dHash (neighbouring
pixel gradients) is a little cheaper but sits closer to the threshold for screenshots that share
a layout: on listing-like test images (same page, different photo) pHash kept 14+ bits apart
where dHash came down to 10. The decode of the image costs far more than either hash.

**Threshold.** Two screenshots of different reports are linked when their hashes differ in at
most ``MAX_DISTANCE`` = 8 of 64 bits (the usual "near-identical" bound for pHash): the same
picture resized or re-compressed differs by 0–2 bits, unrelated pictures by ~30, and
different photos in the same page layout by 14 or more (docs/sellers.md).

**Lookup without scanning every hash.** The hash is cut into ``BANDS`` = 4 bands of 16 bits,
each stored in its own indexed column. If two hashes differ in at most d bits, at least one band
differs in at most ⌊d / 4⌋ bits (pigeonhole). Looking bands up *exactly* would find every pair
only up to d = 3; to find every pair up to 8 each band is probed with every value within
``PROBE_RADIUS`` = ⌊8 / 4⌋ = 2 bits of it (1 + 16 + 120 = 137 values, one indexed ``IN``
query per band: multi-index hashing). The candidates that come back are then checked with the
exact Hamming distance. The trade-off: a larger threshold needs a larger probe radius (radius 3
= 697 values per band) and lets more unrelated candidates through; more, narrower bands need
fewer probes but each band matches more unrelated images (a random 16-bit band value is shared
by 1 in 65,536 images, an 8-bit one by 1 in 256). With radius 2, about 0.2 % of unrelated
hashes are candidates per band.
"""

from __future__ import annotations

from itertools import combinations

import imagehash
from PIL import Image, ImageStat

MAX_DISTANCE = 8
BANDS = 4
BAND_BITS = 64 // BANDS
PROBE_RADIUS = MAX_DISTANCE // BANDS
_MASK64 = (1 << 64) - 1
# Grey-level standard deviation (0–255) below which a picture counts as blank.
BLANK_STDDEV = 2.0


def is_blank(image: Image.Image) -> bool:
    """A single-colour (or nearly) picture: every such picture has the same hash, and says
    nothing about a seller, so it is not hashed (a failed capture would link every report)."""
    small = image.convert("L").resize((32, 32))
    return ImageStat.Stat(small).stddev[0] < BLANK_STDDEV


def phash(image: Image.Image) -> int:
    """The 64-bit pHash of ``image`` as an unsigned integer."""
    bits = imagehash.phash(image.convert("L")).hash.flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value


def to_signed(value: int) -> int:
    """An unsigned 64-bit value as the signed integer a ``BigIntegerField`` stores."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value & _MASK64


def bands(value: int) -> list[int]:
    """The ``BANDS`` bands of an unsigned hash, most significant first."""
    return [(value >> (64 - BAND_BITS * (i + 1))) & ((1 << BAND_BITS) - 1) for i in range(BANDS)]


def distance(a: int, b: int) -> int:
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()


def probes(band: int, radius: int = PROBE_RADIUS) -> list[int]:
    """Every band value within ``radius`` bits of ``band`` (itself included)."""
    values = [band]
    for flips in range(1, radius + 1):
        for positions in combinations(range(BAND_BITS), flips):
            flipped = band
            for position in positions:
                flipped ^= 1 << position
            values.append(flipped)
    return values
