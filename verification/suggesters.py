"""Species group and product type suggested from a listing's title and text while a volunteer
types (shown by keywords' suggest-while-typing box through ``keywords.suggesters``).

Two small multi-class classifiers, trained by ``training.train`` in the same run as the
confirm/reject model and stored in the same version's joblib bundle: same character n-gram
features (``classifier.vectorizer``), logistic regression, on **confirmed** reports only, the
label being the expert-checked ``species.group`` and ``product_type``. The text is the title
and text only (no platform, keyword or group token: the volunteer has not chosen a group yet).

A label with fewer than ``VERIFICATION_MIN_PER_CLASS`` confirmed examples is never suggested:
its reports train one "other" class instead, so the model can say "none of those" rather than
forcing a listing into a common class. With fewer than two labels that reach the minimum, that
classifier is not trained (its reason is kept in the version's metrics). Suggestions below
``VERIFICATION_SUGGEST_THRESHOLD`` (0.6, ``conf.suggest_threshold``) are not shown. Nothing
here changes any row. The targets and the text read are in ``listings`` (no scikit-learn), for
the web path's ``selectors.suggest_for_text``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db.models import F
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from reports.models import Report, Verdict

from . import classifier
from .listings import SUGGEST_OTHER as OTHER  # the class of the labels too rare to suggest
from .listings import SUGGEST_TARGETS as TARGETS
from .listings import suggestion_document as document


def build_pipeline() -> Pipeline:
    return Pipeline(
        [
            ("tfidf", classifier.vectorizer()),
            ("clf", LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")),
        ]
    )


def confirmed_examples() -> dict[str, tuple[list[str], list[str]]]:
    """Per target: the documents and labels (slugs) of confirmed reports that have one."""
    rows = Report.objects.filter(verdict=Verdict.CONFIRMED).values_list(
        "listing_title", "listing_text", F("species__group__slug"), F("product_type__slug")
    )
    examples: dict[str, tuple[list[str], list[str]]] = {t: ([], []) for t in TARGETS}
    for title, text, group, product in rows.order_by("pk"):
        doc = document(title, text)
        for target, label in zip(TARGETS, (group, product), strict=True):
            if label:
                examples[target][0].append(doc)
                examples[target][1].append(label)
    return examples


def fit_one(documents: list[str], labels: list[str], min_per_class: int):
    """(pipeline or None, summary). Rare labels become OTHER; refused below two labels."""
    counts = Counter(labels)
    kept = sorted(label for label, n in counts.items() if n >= min_per_class)
    summary = {"n": len(labels), "classes": kept, "min_per_class": min_per_class}
    if len(kept) < 2:
        summary["reason"] = (
            f"{len(kept)} label(s) with at least {min_per_class} confirmed reports; needs 2."
        )
        return None, summary
    y = [label if label in kept else OTHER for label in labels]
    summary["other"] = y.count(OTHER)
    pipeline = build_pipeline()
    pipeline.fit(documents, y)
    return pipeline, summary


def train_all(min_per_class: int) -> tuple[dict, dict]:
    """The fitted suggesters (``{target: pipeline | None}``) and their summaries."""
    fitted, summaries = {}, {}
    for target, (documents, labels) in confirmed_examples().items():
        fitted[target], summaries[target] = fit_one(documents, labels, min_per_class)
    return fitted, summaries


@dataclass(frozen=True)
class Suggester:
    """A fitted multi-class pipeline's numbers, for ``predict_proba`` without scikit-learn's
    per-call checks (as ``classifier.probabilities``; tested equal)."""

    pipeline: Pipeline
    classes: np.ndarray
    weights: np.ndarray  # (classes or 1, features)
    intercepts: np.ndarray

    @classmethod
    def of(cls, pipeline: Pipeline) -> Suggester:
        clf = pipeline.named_steps["clf"]
        return cls(pipeline, clf.classes_, clf.coef_, clf.intercept_)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        matrix = self.pipeline.named_steps["tfidf"].transform(texts)
        decisions = np.asarray(matrix @ self.weights.T) + self.intercepts
        if len(self.classes) == 2:  # binary: one weight row, sigmoid
            positive = 1.0 / (1.0 + np.exp(-decisions[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        decisions -= decisions.max(axis=1, keepdims=True)
        exp = np.exp(decisions)
        return exp / exp.sum(axis=1, keepdims=True)

    def best(self, text: str, minimum: float) -> tuple[str, float] | None:
        row = self.probabilities([text])[0]
        i = int(np.argmax(row))
        label, probability = str(self.classes[i]), float(row[i])
        if label == OTHER or probability < minimum:
            return None
        return label, probability
