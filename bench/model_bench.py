"""The verification model against a keyword-only and a majority-class baseline, in one run.

    .venv/bin/python bench/model_bench.py                  # 6,000 listings (about a minute)
    .venv/bin/python bench/model_bench.py --n 20000 --noise 0.1 --seed 3

Generates a labelled synthetic set (``bench/listing_generator.py``: en / zh / fr listings of
prohibited products, code words, replicas, legal look-alikes and antique claims, with label
noise), splits it 75 / 25 (stratified, the same split for every method) and reports on the
held-out quarter:

- **model**: ``verification.classifier`` exactly as production trains it (TF-IDF char_wb
  2–5-grams + logistic regression calibrated with CalibratedClassifierCV), documents built by
  ``listings.document`` with the keyword matches included, as for real reports;
- **keywords only**: the keyword matcher (``keywords.matcher``, Aho–Corasick over the starter
  library normalised by ``keywords.normalize``): any approved term found → positive;
- **majority class**: always the more frequent training label.

Also: training time, and the latency of one prediction (one listing, as the review panel and
the risk refresh call it) and of one explanation: median and p95 over ``--latency`` listings.
Figures go to stdout and bench/results/model_bench.json (git-ignored); docs/benchmarks.md
keeps a copy. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotter.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from sklearn.metrics import brier_score_loss  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from bench.listing_generator import generate  # noqa: E402
from keywords.loader import STARTER_FILE  # noqa: E402
from keywords.matcher import build, scan  # noqa: E402
from keywords.normalize import normalize  # noqa: E402
from verification import classifier, listings  # noqa: E402


def keyword_machine():
    terms = json.loads(Path(STARTER_FILE).read_text())
    species = json.loads((ROOT / "reports/data/species.json").read_text())
    keys = [normalize(t["text"]) for t in terms]
    for s in species:  # the loader also generates terms from the catalogue's names
        keys += [normalize(s[f]) for f in ("common_name_en", "common_name_zh", "common_name_fr")]
        keys.append(normalize(s["scientific_name"]))
    return build([(i, key) for i, key in enumerate(keys) if key])


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=6000)
    parser.add_argument("--noise", type=float, default=0.06)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--latency", type=int, default=500)
    args = parser.parse_args()

    machine = keyword_machine()
    examples = generate(args.n, seed=args.seed, noise=args.noise)

    def matched(example) -> tuple[str, ...]:
        hits = scan(normalize(f"{example.title}\n{example.text}"), machine)
        return tuple(sorted({hit.matched_text for hit in hits}))

    keywords = [matched(e) for e in examples]
    documents = [
        listings.document(listings.Listing(e.title, e.text, kw, e.platform, e.species_group))
        for e, kw in zip(examples, keywords, strict=True)
    ]
    labels = [e.label for e in examples]
    index = list(range(len(examples)))
    train_idx, test_idx = train_test_split(
        index, test_size=classifier.TEST_SHARE, random_state=classifier.SEED, stratify=labels
    )
    test_y = [labels[i] for i in test_idx]

    # The model: classifier.fit makes the same split (same seed, same stratification).
    fitted = classifier.fit(documents, labels)
    model = {k: fitted.metrics[k] for k in ("precision", "recall", "brier")} | {
        "train_seconds": round(fitted.seconds, 2),
        "n_train": fitted.n_train,
    }

    keyword_pred = [int(bool(keywords[i])) for i in test_idx]
    majority = int(np.mean([labels[i] for i in train_idx]) >= 0.5)
    majority_pred = [majority] * len(test_idx)
    baselines = {
        "keywords_only": classifier.scores(test_y, keyword_pred),
        "majority_class": classifier.scores(test_y, majority_pred)
        | {"brier": round(float(brier_score_loss(test_y, [majority] * len(test_y))), 4)},
    }

    folds = classifier.folds_of(fitted.pipeline)
    weights = folds.weights.mean(axis=0)
    names = fitted.pipeline.named_steps["tfidf"].get_feature_names_out()
    sample = [documents[i] for i in test_idx[: args.latency]]
    # Wall-clock and this process's CPU time: on a shared machine the wall-clock tail is mostly
    # waiting for a core; the CPU time is what one prediction costs.
    timings: dict[str, list[float]] = {
        "predict_ms": [],
        "predict_cpu_ms": [],
        "explain_ms": [],
        "explain_cpu_ms": [],
    }
    for text in sample:
        for name, call in (
            ("predict", lambda t=text: classifier.probability(fitted.pipeline, t, folds)),
            (
                "explain",
                lambda t=text: classifier.explain(fitted.pipeline, t, weights=weights, names=names),
            ),
        ):
            wall, cpu = time.perf_counter(), time.process_time()
            call()
            timings[f"{name}_cpu_ms"].append((time.process_time() - cpu) * 1000)
            timings[f"{name}_ms"].append((time.perf_counter() - wall) * 1000)
    sklearn_ms = []
    for text in sample[:100]:  # scikit-learn's own predict_proba, for comparison
        started = time.perf_counter()
        fitted.pipeline.predict_proba([text])
        sklearn_ms.append((time.perf_counter() - started) * 1000)

    result = {
        "n": args.n,
        "noise": args.noise,
        "seed": args.seed,
        "n_test": len(test_idx),
        "positive_share": round(float(np.mean(labels)), 3),
        "model": model,
        **baselines,
        "calibration": fitted.metrics["calibration"],
        **{
            name: {
                "median": round(statistics.median(values), 3),
                "p95": round(percentile(values, 95), 3),
            }
            for name, values in timings.items()
        },
        "sklearn_predict_proba_ms": {"median": round(statistics.median(sklearn_ms), 3)},
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "features": len(names),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "model_bench.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "calibration"}, indent=2))
    print("calibration (held out):")
    for row in result["calibration"]:
        print(
            f"  {row['low']:.1f}-{row['high']:.1f}  n={row['n']:4d}  "
            f"mean={row['mean']}  observed={row['observed']}"
        )


if __name__ == "__main__":
    main()
