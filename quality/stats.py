"""Small, exact statistics: Wilson intervals, Cohen's kappa, duration histograms and medians."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

# The accuracy primitive is shared with reports, which sits below quality (spotter.stats);
# quality's modules import it from here with the rest of the statistics.
from spotter.stats import Z95, AccuracyEstimate, interval_text, pct, wilson_interval  # noqa: F401
from spotter.typography import number


@dataclass(frozen=True)
class Agreement:
    """A 2 × 2 table of two raters (first and second expert) over confirm / reject.

    ``cc`` = both confirmed, ``cr`` = first confirmed and second rejected, and so on."""

    cc: int = 0
    cr: int = 0
    rc: int = 0
    rr: int = 0

    @property
    def n(self) -> int:
        return self.cc + self.cr + self.rc + self.rr

    @property
    def agreed(self) -> int:
        return self.cc + self.rr

    @property
    def rate(self) -> float | None:
        return self.agreed / self.n if self.n else None

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa: (p_o − p_e) / (1 − p_e), with p_e from each rater's own marginals.

        Undefined (None) when p_e = 1, i.e. both raters used one and the same category for
        every case: there is no variation to agree beyond chance on."""
        n = self.n
        if not n:
            return None
        observed = self.agreed / n
        first_confirms = (self.cc + self.cr) / n
        second_confirms = (self.cc + self.rc) / n
        expected = first_confirms * second_confirms + (1 - first_confirms) * (1 - second_confirms)
        if math.isclose(expected, 1.0):
            return None
        return (observed - expected) / (1 - expected)


# --- Duration histograms --------------------------------------------------------------------
# Quarter-octave buckets: bucket 0 holds [0, 1 h); bucket b ≥ 1 holds [2^((b-1)/4), 2^(b/4)) h;
# the last bucket is open-ended (≥ 2^12 h ≈ 171 days). Each bucket is 19% wide, so a median
# read from bucket counts is off by less than that (see docs/quality.md).
BUCKETS_PER_OCTAVE = 4
LAST_BUCKET = 12 * BUCKETS_PER_OCTAVE + 1


def bucket_bounds(bucket: int) -> tuple[float, float]:
    if bucket <= 0:
        return 0.0, 1.0
    low = 2 ** ((bucket - 1) / BUCKETS_PER_OCTAVE)
    high = math.inf if bucket >= LAST_BUCKET else 2 ** (bucket / BUCKETS_PER_OCTAVE)
    return low, high


def hours_bucket(hours: float) -> int:
    if hours < 1:
        return 0
    bucket = min(LAST_BUCKET, int(math.floor(BUCKETS_PER_OCTAVE * math.log2(hours))) + 1)
    # Guard against floating-point error right at a bucket edge.
    while bucket > 1 and hours < bucket_bounds(bucket)[0]:
        bucket -= 1
    while bucket < LAST_BUCKET and hours >= bucket_bounds(bucket)[1]:
        bucket += 1
    return bucket


@dataclass(frozen=True)
class MedianEstimate:
    hours: float | None
    n: int
    low: float | None = None  # the bucket that holds the median
    high: float | None = None

    @property
    def text(self) -> str:
        if self.hours is None:
            return "—"
        return number(self.hours, 1 if self.hours < 100 else 0) + "\u00a0h"


def median_from_buckets(counts: Mapping[int, int]) -> MedianEstimate:
    """Approximate median of a histogram: find the bucket holding the middle case, then
    interpolate inside it on a log scale (linearly in the first bucket)."""
    total = sum(n for n in counts.values() if n > 0)
    if total <= 0:
        return MedianEstimate(None, 0)
    half = total / 2
    seen = 0
    for bucket in sorted(counts):
        n = counts[bucket]
        if n <= 0:
            continue
        if seen + n >= half:
            low, high = bucket_bounds(bucket)
            fraction = (half - seen) / n
            if bucket <= 0:
                hours = fraction * high
            elif math.isinf(high):
                hours = low
            else:
                hours = low * (high / low) ** fraction
            return MedianEstimate(hours, total, low, high)
        seen += n
    raise AssertionError("unreachable: the loop always reaches half of the total")
