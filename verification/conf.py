"""Settings of the verification app, read from django.conf.settings at call time (tests and
operators may override them) with these defaults."""

from __future__ import annotations

from django.conf import settings

DEFAULT_MIN_DECIDED = 200
DEFAULT_MIN_PER_CLASS = 30
DEFAULT_SUGGEST_THRESHOLD = 0.6


def minimums() -> tuple[int, int]:
    """(decided reports, reports of each verdict) before the model is trained."""
    return (
        getattr(settings, "VERIFICATION_MIN_DECIDED", DEFAULT_MIN_DECIDED),
        getattr(settings, "VERIFICATION_MIN_PER_CLASS", DEFAULT_MIN_PER_CLASS),
    )


def suggest_threshold() -> float:
    """The probability a species group / product type suggestion must reach to be shown."""
    return getattr(settings, "VERIFICATION_SUGGEST_THRESHOLD", DEFAULT_SUGGEST_THRESHOLD)
