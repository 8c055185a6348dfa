"""The listing-text classifier: TF-IDF character n-grams + calibrated logistic regression.

A pure module (no database): ``build_pipeline`` makes the untrained pipeline, ``fit`` trains
and measures it on a held-out split, ``explain`` names the character n-grams that pushed one
listing's probability up. The text it reads is ``listings.document`` (kept there, free of
scikit-learn, for the web path); ``training.portable_of`` writes the fitted numbers in plain
form (``portable``), which the web path predicts with. Both
``training`` (the programme's decided reports) and ``bench/model_bench.py`` (a synthetic set)
use it, so the benchmark measures exactly what production runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

THRESHOLD = 0.5  # precision and recall are read at this probability
CALIBRATION_BINS = 10
TEST_SHARE = 0.25
SEED = 16


def vectorizer() -> TfidfVectorizer:
    """The text features every classifier of the app reads (also ``suggesters``)."""
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        max_features=200_000,
        dtype=np.float32,
    )


def build_pipeline() -> Pipeline:
    return Pipeline(
        [
            ("tfidf", vectorizer()),
            (
                "clf",
                CalibratedClassifierCV(
                    LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced"),
                    method="sigmoid",
                    cv=3,
                ),
            ),
        ]
    )


@dataclass
class Fitted:
    pipeline: Pipeline
    metrics: dict
    n_train: int
    n_test: int
    seconds: float


def calibration_bins(labels, probabilities, bins: int = CALIBRATION_BINS) -> list[dict]:
    """Equal-width probability bins: how many held-out listings fell in each, their mean
    predicted probability and the share that were really confirmed."""
    rows = []
    edges = np.linspace(0.0, 1.0, bins + 1)
    labels = np.asarray(labels)
    probabilities = np.asarray(probabilities)
    for i in range(bins):
        low, high = edges[i], edges[i + 1]
        inside = (probabilities >= low) & (
            (probabilities < high) if i < bins - 1 else (probabilities <= high)
        )
        n = int(inside.sum())
        rows.append(
            {
                "low": round(float(low), 2),
                "high": round(float(high), 2),
                "n": n,
                "mean": round(float(probabilities[inside].mean()), 4) if n else None,
                "observed": round(float(labels[inside].mean()), 4) if n else None,
            }
        )
    return rows


def scores(labels, predicted) -> dict:
    return {
        "precision": round(float(precision_score(labels, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(labels, predicted, zero_division=0)), 4),
    }


def fit(documents: list[str], labels: list[int], *, seed: int = SEED) -> Fitted:
    """Train on a stratified 75 % and measure on the held-out 25 %."""
    train_docs, test_docs, train_y, test_y = train_test_split(
        documents, labels, test_size=TEST_SHARE, random_state=seed, stratify=labels
    )
    pipeline = build_pipeline()
    started = time.perf_counter()
    pipeline.fit(train_docs, train_y)
    seconds = time.perf_counter() - started
    probabilities = pipeline.predict_proba(test_docs)[:, 1]
    predicted = (probabilities >= THRESHOLD).astype(int)
    metrics = {
        **scores(test_y, predicted),
        "brier": round(float(brier_score_loss(test_y, probabilities)), 4),
        "base_rate": round(float(np.mean(test_y)), 4),
        "threshold": THRESHOLD,
        "calibration": calibration_bins(test_y, probabilities),
    }
    return Fitted(pipeline, metrics, len(train_docs), len(test_docs), seconds)


@dataclass(frozen=True)
class Folds:
    """The fitted numbers of the calibrated classifier: per calibration fold, the logistic
    regression's weights and intercept and the sigmoid calibrator's ``a`` and ``b``."""

    weights: np.ndarray  # (folds, features)
    intercepts: np.ndarray  # (folds,)
    a: np.ndarray
    b: np.ndarray


def folds_of(pipeline: Pipeline) -> Folds:
    folds = pipeline.named_steps["clf"].calibrated_classifiers_
    return Folds(
        weights=np.vstack([fold.estimator.coef_[0] for fold in folds]),
        intercepts=np.array([fold.estimator.intercept_[0] for fold in folds]),
        a=np.array([fold.calibrators[0].a_ for fold in folds]),
        b=np.array([fold.calibrators[0].b_ for fold in folds]),
    )


def probabilities(pipeline: Pipeline, texts: list[str], folds: Folds | None = None) -> np.ndarray:
    """``pipeline.predict_proba(texts)[:, 1]``, computed from the fitted numbers directly:
    the same arithmetic (per fold: decision = X·w + c, calibrated 1 / (1 + exp(a·decision + b));
    mean over folds; tested equal), without scikit-learn's per-call checks, which cost ~15 ms
    for one listing against ~1 ms for this (docs/benchmarks.md)."""
    folds = folds_of(pipeline) if folds is None else folds
    matrix = pipeline.named_steps["tfidf"].transform(texts)
    decisions = np.asarray(matrix @ folds.weights.T) + folds.intercepts
    calibrated = 1.0 / (1.0 + np.exp(folds.a * decisions + folds.b))
    return calibrated.mean(axis=1)


def probability(pipeline: Pipeline, text: str, folds: Folds | None = None) -> float:
    return float(probabilities(pipeline, [text], folds)[0])


def coefficients(pipeline: Pipeline) -> np.ndarray:
    """The logistic regressions' weights averaged over the calibration folds."""
    folds = pipeline.named_steps["clf"].calibrated_classifiers_
    return np.mean([fold.estimator.coef_[0] for fold in folds], axis=0)


def explain(pipeline: Pipeline, text: str, *, top: int = 8, weights=None, names=None) -> list:
    """The character n-grams present in ``text`` that pushed the probability up most:
    ``[(ngram, contribution)]``, contribution = TF-IDF value × weight, largest first."""
    vectorizer = pipeline.named_steps["tfidf"]
    weights = coefficients(pipeline) if weights is None else weights
    row = vectorizer.transform([text]).tocoo()
    contributions = [
        (int(col), float(value * weights[col]))
        for col, value in sorted(zip(row.col, row.data, strict=True))
        if weights[col] > 0
    ]
    contributions.sort(key=lambda pair: pair[1], reverse=True)  # equals: by column
    names = vectorizer.get_feature_names_out() if names is None else names
    return [(str(names[col]), round(c, 4)) for col, c in contributions[:top]]
