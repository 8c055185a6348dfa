"""Adaptive second review: how likely a decision is to get a blind second review.

The share depends on the evidence that a decision may be wrong (docs/verification.md,
"Adaptive verification")::

    p = clamp(base × f_expert × f_cites × f_volunteer, floor, ceiling)

    f_expert    = clamp(U / d_ref, expert_factor_min, expert_factor_max)
                  U = upper end of the 95% Wilson interval of the deciding expert's
                  disagreement rate over their decided second reviews (U = 1 with none yet,
                  so new experts get the maximum until they are measured)
    f_cites     = cites_factors[appendix of the species] × (live_factor if a live animal)
    f_volunteer = volunteer_factor_unknown
                  − (volunteer_factor_unknown − volunteer_factor_best) × L
                  L = lower end of the 95% Wilson interval of the volunteer's accuracy
                  (L = 0 with no decided report: unknown counts as low)

``base`` is ``SECOND_REVIEW_SHARE``; its two ends are switches: 0 samples nothing (and stores
nothing), 1 samples every decision. The decision is sampled when the report's HMAC draw
(``quality.services.second_review_draw``) is below ``p``; the draw, ``p`` and every factor are
stored (``SamplingDecision``) so an audit can replay it and the dashboard can show it.

Every number is a key of ``DEFAULTS``; ``settings.ADAPTIVE_REVIEW`` overrides any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from reports.models import Report
from spotter.stats import wilson_interval

from .models import SecondReview, SecondReviewStatus, VolunteerTally

DEFAULTS: dict[str, Any] = {
    "floor": 0.05,  # every expert stays measured: no decision below this
    "ceiling": 0.60,  # second reviews are expert time: no decision above this
    "expert_reference_disagreement": 0.10,  # d_ref: f_expert = 1 when U equals it
    "expert_factor_min": 0.5,
    "expert_factor_max": 3.0,
    "new_expert_reviews": 20,  # fewer decided second reviews: the "new" band on the dashboard
    "cites_factors": {"I": 2.0, "II": 1.0, "III": 0.75, "": 1.5},  # "": no species chosen
    "live_factor": 1.5,
    "live_product_types": ("live-animal",),  # product type slugs that are live animals
    "volunteer_factor_unknown": 1.5,  # f_volunteer at L = 0 (also: no decided report)
    "volunteer_factor_best": 0.75,  # f_volunteer at L = 1
    "flat_share": 0.10,  # the flat rule the dashboard compares with
    # Fast-track (quality.selectors.fast_track_reports): lead spotters, and volunteers whose
    # accuracy's Wilson lower bound is at least this over at least this many decided reports.
    "fast_track_min_lower_bound": 0.90,
    "fast_track_min_decided": 30,
}


@dataclass(frozen=True)
class SamplingConfig:
    floor: float
    ceiling: float
    expert_reference_disagreement: float
    expert_factor_min: float
    expert_factor_max: float
    new_expert_reviews: int
    cites_factors: dict
    live_factor: float
    live_product_types: tuple
    volunteer_factor_unknown: float
    volunteer_factor_best: float
    flat_share: float
    fast_track_min_lower_bound: float
    fast_track_min_decided: int


def config() -> SamplingConfig:
    """DEFAULTS with ``settings.ADAPTIVE_REVIEW`` applied; a misspelt key is an error."""
    overrides = dict(getattr(settings, "ADAPTIVE_REVIEW", None) or {})
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(f"ADAPTIVE_REVIEW: unknown keys {sorted(unknown)}")
    values = {**DEFAULTS, **overrides}
    values["live_product_types"] = tuple(values["live_product_types"])
    values["cites_factors"] = {**DEFAULTS["cites_factors"], **values["cites_factors"]}
    conf = SamplingConfig(**{f.name: values[f.name] for f in fields(SamplingConfig)})
    if not 0 <= conf.floor <= conf.ceiling <= 1:
        raise ImproperlyConfigured("ADAPTIVE_REVIEW: need 0 ≤ floor ≤ ceiling ≤ 1.")
    if conf.expert_reference_disagreement <= 0:
        raise ImproperlyConfigured("ADAPTIVE_REVIEW: expert_reference_disagreement must be > 0.")
    return conf


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


# --- The three factors ----------------------------------------------------------------------


def expert_factor(reviews: int, disagreements: int, conf: SamplingConfig) -> float:
    interval = wilson_interval(disagreements, reviews)
    upper = interval[1] if interval else 1.0
    return clamp(
        upper / conf.expert_reference_disagreement, conf.expert_factor_min, conf.expert_factor_max
    )


def cites_factor(appendix: str, live: bool, conf: SamplingConfig) -> float:
    factor = float(conf.cites_factors.get(appendix or "", conf.cites_factors[""]))
    return factor * (conf.live_factor if live else 1.0)


def volunteer_lower_bound(confirmed: int, rejected: int) -> float:
    """Lower end of the 95% Wilson interval of the volunteer's accuracy; 0 when unknown."""
    interval = wilson_interval(confirmed, confirmed + rejected)
    return interval[0] if interval else 0.0


def volunteer_factor(lower_bound: float, conf: SamplingConfig) -> float:
    unknown, best = conf.volunteer_factor_unknown, conf.volunteer_factor_best
    return unknown - (unknown - best) * clamp(lower_bound, 0.0, 1.0)


# --- Bands shown on the dashboard -----------------------------------------------------------

EXPERT_NEW, EXPERT_ABOVE, EXPERT_BELOW = "new", "above", "below"
EXPERT_BANDS = {
    EXPERT_NEW: _("New experts (few second reviews yet)"),
    EXPERT_ABOVE: _("Disagreement possibly above the reference"),
    EXPERT_BELOW: _("Disagreement below the reference"),
}
CITES_BANDS = {
    "I": _("Appendix I"),
    "II": _("Appendix II"),
    "III": _("Appendix III"),
    "": _("No species chosen"),
}


def expert_band(reviews: int, f_expert: float, conf: SamplingConfig) -> str:
    if reviews < conf.new_expert_reviews:
        return EXPERT_NEW
    return EXPERT_ABOVE if f_expert > 1 else EXPERT_BELOW


# --- The share ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What the formula reads about one decision."""

    expert_reviews: int  # the deciding expert's decided second reviews
    expert_disagreements: int  # … in which the second expert disagreed
    cites_appendix: str  # "I", "II", "III" or "" (no species)
    live: bool
    volunteer_confirmed: int
    volunteer_rejected: int


@dataclass(frozen=True)
class Share:
    """The share of one decision, with every factor (stored with the sampling decision)."""

    p: float
    base: float
    f_expert: float
    f_cites: float
    f_volunteer: float
    volunteer_low: float
    expert_band: str


def share(evidence: Evidence, base: float, conf: SamplingConfig | None = None) -> Share:
    conf = conf or config()
    f_expert = expert_factor(evidence.expert_reviews, evidence.expert_disagreements, conf)
    f_cites = cites_factor(evidence.cites_appendix, evidence.live, conf)
    low = volunteer_lower_bound(evidence.volunteer_confirmed, evidence.volunteer_rejected)
    f_volunteer = volunteer_factor(low, conf)
    if base <= 0:
        p = 0.0  # second review switched off
    elif base >= 1:
        p = 1.0  # every decision (an audit, or a test)
    else:
        p = clamp(base * f_expert * f_cites * f_volunteer, conf.floor, conf.ceiling)
    return Share(
        p=p,
        base=base,
        f_expert=f_expert,
        f_cites=f_cites,
        f_volunteer=f_volunteer,
        volunteer_low=low,
        expert_band=expert_band(evidence.expert_reviews, f_expert, conf),
    )


DISAGREED = (SecondReviewStatus.ESCALATED, SecondReviewStatus.RESOLVED)


def evidence_for(report: Report, conf: SamplingConfig | None = None) -> Evidence:
    """The formula's inputs for a decided report: three indexed reads, whatever the history.

    The volunteer's counters are read as they are (``rollups`` may be a few seconds behind,
    and never yet include this decision): the sampling must not depend on other reports'
    timing more than that, and must not wait for a sync inside the decision's transaction."""
    conf = conf or config()
    listing = (
        Report.objects.filter(pk=report.pk)
        .values("species__cites_appendix", "product_type__slug")
        .get()
    )
    record = (
        SecondReview.objects.filter(first_expert_id=report.decided_by_id)
        .exclude(status=SecondReviewStatus.PENDING)
        .aggregate(n=Count("id"), disagreed=Count("id", filter=Q(status__in=DISAGREED)))
    )
    tally = (
        VolunteerTally.objects.filter(volunteer_id=report.volunteer_id, dimension="all", value="")
        .values("confirmed", "rejected")
        .first()
    ) or {"confirmed": 0, "rejected": 0}
    return Evidence(
        expert_reviews=record["n"],
        expert_disagreements=record["disagreed"],
        cites_appendix=listing["species__cites_appendix"] or "",
        live=listing["product_type__slug"] in conf.live_product_types,
        volunteer_confirmed=tally["confirmed"],
        volunteer_rejected=tally["rejected"],
    )
