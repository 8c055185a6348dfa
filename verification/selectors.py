"""Reads: the model's view of one report (review panel) and the model page's figures.

Imported by the web path (wiring, views): no scikit-learn at import time; a prediction goes
through ``model_runtime.active_model``, which loads it only while a version is active."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reports.models import Report

from . import listings, model_runtime
from .conf import suggest_threshold
from .models import ModelVersion, ReportRisk, RunStatus
from .risk import LABELS, WEIGHTS


@dataclass
class Prediction:
    probability: float | None  # None while the model is off
    version: int | None
    drivers: list[tuple[str, float]] = field(default_factory=list)
    risk: ReportRisk | None = None
    # (label, value in [0, 1], weight) per input of the score
    inputs: list[tuple[str, float | None, int]] = field(default_factory=list)


def prediction_for(report: Report) -> Prediction | None:
    """Computed on demand for the one report (one prediction, well under 5 ms); the stored
    risk row is read as is. None when there is neither a model nor a stored score."""
    risk = ReportRisk.objects.filter(report=report).first()
    model = model_runtime.active_model()
    if model is None and risk is None:
        return None
    prediction = Prediction(probability=None, version=None, risk=risk)
    if risk is not None:
        prediction.inputs = [
            (LABELS[name], risk.components.get(name), weight) for name, weight in WEIGHTS.items()
        ]
    if model is not None:
        listing = listings.listings_of(Report.objects.filter(pk=report.pk))[report.pk]
        prediction.probability = model.probability(listing)
        prediction.version = model.version
        prediction.drivers = model.explain(listing)
    return prediction


def suggest_for_text(title: str, text: str) -> dict:
    """``{"species_group": (slug, probability) | None, "product_type": (slug, probability) |
    None}``: the active version's best label for each, only when its probability reaches
    ``VERIFICATION_SUGGEST_THRESHOLD``; all None while the model is off. One query (which
    version is active) and two vectorised predictions."""
    result: dict = dict.fromkeys(listings.SUGGEST_TARGETS)
    model = model_runtime.active_model()
    if model is None:
        return result
    document = listings.suggestion_document(title, text)
    minimum = suggest_threshold()
    for target, suggester in model.suggesters.items():
        result[target] = suggester.best(document, minimum)
    return result


@dataclass
class ModelStatus:
    active: ModelVersion | None
    off_reason: str  # "" while a model is active
    confirmed: int
    rejected: int
    history: list[ModelVersion]


HISTORY_ROWS = 50


def model_status() -> ModelStatus:
    confirmed, rejected = listings.decided_counts()
    versions = ModelVersion.objects.defer("pipeline", "portable")
    history = list(versions[:HISTORY_ROWS])
    active = next((run for run in history if run.status == RunStatus.ACTIVE), None)
    if active is None:
        active = versions.filter(status=RunStatus.ACTIVE).first()
    off_reason = ""
    if active is None:
        latest = history[0] if history else None
        off_reason = (
            latest.reason
            if latest is not None and latest.status == RunStatus.REFUSED
            else listings.refusal_reason(confirmed, rejected)
        ) or _("No model has been trained yet; the daily training will turn it on.")
    return ModelStatus(active, off_reason, confirmed, rejected, history)
