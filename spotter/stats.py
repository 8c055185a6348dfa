"""Accuracy with its 95% Wilson interval: the statistics every app's figures share.

It lives in spotter because reports (the overview's headline figures) needs it as well as
quality; the rest of the statistics (kappa, duration histograms) stay in quality.stats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """95% Wilson score interval for a proportion; None when there is nothing to estimate.

    Unlike the plain p ± z·se interval it stays inside [0, 1] and is honest for small n:
    3/3 gives 44–100%, 190/200 gives 91–97%."""
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def pct(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


@dataclass(frozen=True)
class AccuracyEstimate:
    """confirmed ÷ (confirmed + rejected), with its 95% Wilson interval."""

    confirmed: int
    rejected: int

    @property
    def decided(self) -> int:
        return self.confirmed + self.rejected

    @property
    def rate(self) -> float | None:
        return self.confirmed / self.decided if self.decided else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.confirmed, self.decided)

    @property
    def low(self) -> float | None:
        return self.interval[0] if self.decided else None

    @property
    def high(self) -> float | None:
        return self.interval[1] if self.decided else None

    @property
    def percent(self) -> str:
        return pct(self.rate)

    @property
    def ci_text(self) -> str:
        """ "95% CI 91–97%", or "" when nothing is decided."""
        if not self.decided:
            return ""
        return f"95% CI {self.low * 100:.0f}–{self.high * 100:.0f}%"

    def sentence(self, label: str) -> str:
        """E.g. "US volunteers: 95% (95% CI 93–97%), 412 reports"."""
        if not self.decided:
            return gettext("%(label)s: no decided reports") % {"label": label}
        return ngettext(
            "%(label)s: %(percent)s (%(interval)s), %(n)d report",
            "%(label)s: %(percent)s (%(interval)s), %(n)d reports",
            self.decided,
        ) % {"label": label, "percent": self.percent, "interval": self.ci_text, "n": self.decided}

    def __add__(self, other: AccuracyEstimate) -> AccuracyEstimate:
        return AccuracyEstimate(self.confirmed + other.confirmed, self.rejected + other.rejected)
