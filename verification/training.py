"""Training the classifier on the programme's own decided reports, and loading the active one.

``train`` is the one writer of ``ModelVersion`` (beat runs it daily, ``manage.py
train_verification_model`` on demand). With fewer decided reports than
``VERIFICATION_MIN_DECIDED`` or fewer than ``VERIFICATION_MIN_PER_CLASS`` of either verdict it
refuses: the run is recorded with its reason, no model is stored and the model stays off.
A trained version also holds the species group / product type suggesters (``suggesters``).
Nothing here (or anywhere in this app) confirms, rejects or otherwise changes a report.
"""

from __future__ import annotations

import io
import threading
from collections import defaultdict

import joblib
from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from keywords.models import ReportMatch
from reports.models import Report, Verdict
from spotter.audit import record_event

from . import classifier, suggesters
from .models import ModelVersion, RunStatus

TRAINED_EVENT = "verification.model_trained"
REFUSED_EVENT = "verification.model_refused"
DEFAULT_MIN_DECIDED = 200
DEFAULT_MIN_PER_CLASS = 30


def minimums() -> tuple[int, int]:
    return (
        getattr(settings, "VERIFICATION_MIN_DECIDED", DEFAULT_MIN_DECIDED),
        getattr(settings, "VERIFICATION_MIN_PER_CLASS", DEFAULT_MIN_PER_CLASS),
    )


def keywords_of(report_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, set[str]] = defaultdict(set)
    rows = ReportMatch.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "term__normalized"
    )
    for report_id, term in rows:
        found[report_id].add(term)
    return {report_id: tuple(sorted(terms)) for report_id, terms in found.items()}


def listings_of(reports) -> dict[int, classifier.Listing]:
    """The model's view of each report. The species group is the volunteer's own choice
    (``species_reported``), as when the report waits: an expert's correction would leak the
    verdict into training."""
    rows = list(
        reports.values(
            "pk",
            "listing_title",
            "listing_text",
            "domain",
            group_slug=F("species_reported__group__slug"),
        )
    )
    keywords = keywords_of([row["pk"] for row in rows])
    return {
        row["pk"]: classifier.Listing(
            title=row["listing_title"],
            text=row["listing_text"],
            keywords=keywords.get(row["pk"], ()),
            platform=row["domain"],
            species_group=row["group_slug"] or "",
        )
        for row in rows
    }


def decided_counts() -> tuple[int, int]:
    confirmed = Report.objects.filter(verdict=Verdict.CONFIRMED).count()
    rejected = Report.objects.filter(verdict=Verdict.REJECTED).count()
    return confirmed, rejected


def refusal_reason(confirmed: int, rejected: int) -> str:
    """Why the model may not be trained yet, or "" when it may."""
    min_decided, min_per_class = minimums()
    if confirmed + rejected < min_decided:
        return _(
            "Only %(n)s decided reports; the model needs at least %(min)s before it is trained."
        ) % {"n": confirmed + rejected, "min": min_decided}
    if min(confirmed, rejected) < min_per_class:
        return _(
            "Only %(confirmed)s confirmed and %(rejected)s rejected reports; the model needs at "
            "least %(min)s of each."
        ) % {"confirmed": confirmed, "rejected": rejected, "min": min_per_class}
    return ""


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
    documents = [classifier.document(listings[pk]) for pk in ids]
    labels = [int(verdicts[pk] == Verdict.CONFIRMED) for pk in ids]
    fitted = classifier.fit(documents, labels)
    # The species group and product type suggesters, on confirmed reports: one bundle, one blob.
    extra, summaries = suggesters.train_all(minimums()[1])
    fitted.metrics["suggesters"] = summaries
    buffer = io.BytesIO()
    joblib.dump({"model": fitted.pipeline, **extra}, buffer, compress=3)
    with transaction.atomic():
        ModelVersion.objects.filter(status=RunStatus.ACTIVE).update(
            status=RunStatus.RETIRED, pipeline=None
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
        )
        record_event(
            actor=None,
            action=TRAINED_EVENT,
            target=run,
            to_state=run.status,
            data={k: run.metrics[k] for k in ("precision", "recall", "brier")},
        )
        return run


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

    def probability(self, listing: classifier.Listing) -> float:
        return classifier.probability(self.pipeline, classifier.document(listing), self.folds)

    def probabilities(self, listings: list[classifier.Listing]) -> list[float]:
        documents = [classifier.document(listing) for listing in listings]
        return [float(p) for p in classifier.probabilities(self.pipeline, documents, self.folds)]

    def explain(self, listing: classifier.Listing, top: int = 8) -> list:
        return classifier.explain(
            self.pipeline,
            classifier.document(listing),
            top=top,
            weights=self.weights,
            names=self.names,
        )


_lock = threading.Lock()
_cache: dict = {"loaded": None, "key": None}


def active_model() -> Loaded | None:
    """The active model, or None while it is off. One small query per call (which version is
    active); the pipeline is read and unpickled only when that version changes (the version
    and its training time: a database rebuilt or rolled back may reuse a number). The bytes
    are ones ``train`` wrote: this never loads anything a user supplied."""
    active = (
        ModelVersion.objects.filter(status=RunStatus.ACTIVE)
        .values_list("version", "trained_at")
        .first()
    )
    if active is None:
        return None
    version = active[0]
    with _lock:
        loaded, key = _cache["loaded"], _cache.get("key")
        if loaded is None or key != active:
            blob = ModelVersion.objects.filter(version=version).values_list("pipeline", flat=True)
            data = blob.first()
            if not data:
                return None
            loaded = Loaded(version, joblib.load(io.BytesIO(bytes(data))))
            _cache["loaded"], _cache["key"] = loaded, active
        return loaded
