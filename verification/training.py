"""Training the classifier on the programme's own decided reports, and unpickling a version
(``model_runtime.active_model`` keeps the active one per process).

``train`` is the one writer of ``ModelVersion`` (beat runs it daily, ``manage.py
train_verification_model`` on demand). With fewer decided reports than
``VERIFICATION_MIN_DECIDED`` or fewer than ``VERIFICATION_MIN_PER_CLASS`` of either verdict it
refuses: the run is recorded with its reason, no model is stored and the model stays off.
A trained version also holds the species group / product type suggesters (``suggesters``),
and the same fitted numbers in plain form (``portable_of``), which the web path predicts with.
Nothing here (or anywhere in this app) confirms, rejects or otherwise changes a report.
"""

from __future__ import annotations

import io

import joblib
from django.db import transaction
from django.db.models import Max

from reports.models import Report, Verdict
from spotter.audit import record_event

from . import classifier, portable, suggesters
from .conf import minimums
from .listings import Listing, decided_counts, document, listings_of, refusal_reason
from .models import ModelVersion, RunStatus

TRAINED_EVENT = "verification.model_trained"
REFUSED_EVENT = "verification.model_refused"


def _next_version() -> int:
    return (ModelVersion.objects.aggregate(v=Max("version"))["v"] or 0) + 1


def train() -> ModelVersion:
    """Train a new version on every decided report, or record why not."""
    confirmed, rejected = decided_counts()
    reason = refusal_reason(confirmed, rejected)
    if reason:
        with transaction.atomic():
            run = ModelVersion.objects.create(
                version=_next_version(),
                status=RunStatus.REFUSED,
                reason=reason,
                n_decided=confirmed + rejected,
            )
            record_event(
                actor=None, action=REFUSED_EVENT, target=run, to_state=run.status, reason=reason
            )
            return run
    decided = Report.objects.filter(verdict__in=[Verdict.CONFIRMED, Verdict.REJECTED])
    verdicts = dict(decided.values_list("pk", "verdict"))
    listings = listings_of(decided)
    ids = sorted(listings)
    documents = [document(listings[pk]) for pk in ids]
    labels = [int(verdicts[pk] == Verdict.CONFIRMED) for pk in ids]
    fitted = classifier.fit(documents, labels)
    # The species group and product type suggesters, on confirmed reports: one bundle, one blob.
    extra, summaries = suggesters.train_all(minimums()[1])
    fitted.metrics["suggesters"] = summaries
    buffer = io.BytesIO()
    joblib.dump({"model": fitted.pipeline, **extra}, buffer, compress=3)
    plain = portable_of(fitted.pipeline, extra)
    with transaction.atomic():
        ModelVersion.objects.filter(status=RunStatus.ACTIVE).update(
            status=RunStatus.RETIRED, pipeline=None, portable=None
        )
        run = ModelVersion.objects.create(
            version=_next_version(),
            status=RunStatus.ACTIVE,
            n_decided=len(ids),
            n_train=fitted.n_train,
            n_test=fitted.n_test,
            seconds=round(fitted.seconds, 3),
            metrics=fitted.metrics,
            pipeline=buffer.getvalue(),
            portable=plain,
        )
        record_event(
            actor=None,
            action=TRAINED_EVENT,
            target=run,
            to_state=run.status,
            data={k: run.metrics[k] for k in ("precision", "recall", "brier")},
        )
        return run


def _features(pipeline) -> dict:
    vectorizer = pipeline.named_steps["tfidf"]
    return {
        "vocabulary": {gram: int(col) for gram, col in vectorizer.vocabulary_.items()},
        "idf": vectorizer.idf_.tolist(),
    }


def portable_of(pipeline, extra: dict) -> bytes:
    """``portable.dumps`` of the risk pipeline and the fitted suggesters (``{target: pipeline
    | None}``): their vocabularies, idf, weights, intercepts and calibration, as plain lists."""
    folds = classifier.folds_of(pipeline)
    risk = _features(pipeline) | {
        "folds": [
            {"weights": w.tolist(), "intercept": c, "a": a, "b": b}
            for w, c, a, b in zip(folds.weights, folds.intercepts, folds.a, folds.b, strict=True)
        ]
    }
    found = {}
    for target, fitted in extra.items():
        if fitted is not None:
            clf = fitted.named_steps["clf"]
            found[target] = _features(fitted) | {
                "classes": clf.classes_.tolist(),
                "weights": clf.coef_.tolist(),
                "intercepts": clf.intercept_.tolist(),
            }
    return portable.dumps(risk, found)


class Loaded:
    """The active pipeline with its weights and n-gram names, and the suggesters trained with
    it, unpickled once per version."""

    def __init__(self, version: int, bundle) -> None:
        # Versions stored before the suggesters hold the bare pipeline.
        bundle = bundle if isinstance(bundle, dict) else {"model": bundle}
        pipeline = bundle["model"]
        self.version = version
        self.pipeline = pipeline
        self.suggesters = {
            target: suggesters.Suggester.of(bundle[target])
            for target in suggesters.TARGETS
            if bundle.get(target) is not None
        }
        self.folds = classifier.folds_of(pipeline)
        self.weights = self.folds.weights.mean(axis=0)
        self.names = pipeline.named_steps["tfidf"].get_feature_names_out()

    def probability(self, listing: Listing) -> float:
        return classifier.probability(self.pipeline, document(listing), self.folds)

    def probabilities(self, listings: list[Listing]) -> list[float]:
        documents = [document(listing) for listing in listings]
        return [float(p) for p in classifier.probabilities(self.pipeline, documents, self.folds)]

    def explain(self, listing: Listing, top: int = 8) -> list:
        return classifier.explain(
            self.pipeline,
            document(listing),
            top=top,
            weights=self.weights,
            names=self.names,
        )


def load(version: int, data: bytes) -> Loaded:
    """Unpickle a version's bundle (``model_runtime.active_model`` caches the result for a
    version stored without its portable form)."""
    return Loaded(version, joblib.load(io.BytesIO(data)))


def active_pipeline() -> Loaded | None:
    """The active version's scikit-learn pipeline, unpickled now (not cached): for
    evaluation, tests and workers; the web path uses ``model_runtime.active_model``."""
    row = (
        ModelVersion.objects.filter(status=RunStatus.ACTIVE, pipeline__isnull=False)
        .values_list("version", "pipeline")
        .first()
    )
    return load(row[0], bytes(row[1])) if row else None
