"""The active model in plain Python: what the web path predicts with (issue #12, memory).

Importing scikit-learn, scipy and the unpickled pipeline costs a web process about 80 MB, which
puts a gunicorn worker over its 200 MB budget once it has served one prediction
(docs/benchmarks.md, "Peak RSS"). The predictions need only the fitted numbers, so
``training.train`` also stores this *portable form* of each version (``ModelVersion.portable``,
zlib-compressed JSON, written by ``dumps``) and ``model_runtime.active_model`` reads it with
``loads``: the standard library only — **no scikit-learn, scipy or numpy here**.

What it holds: one sorted list of the character n-grams of every vectorizer of the version,
and per model (the risk classifier, each suggester) the column of each n-gram, its idf, and
the weights — for the risk classifier per calibration fold the logistic regression's weights
and intercept and the sigmoid calibrator's ``a`` and ``b``; for a suggester its classes,
weights and intercepts. Stored as one zlib stream: a JSON header (the scalars, the classes,
and the length of each section), the n-grams joined by newlines (a char_wb n-gram never holds
one), then each vector as raw little-endian ``array`` bytes — ``'f'``: the vectorizer and the
logistic regressions compute in float32, so float32 holds them exactly, in half the memory.
``loads`` reads the stream section by section, so it never holds the whole text at once.

``Features.transform`` reproduces ``classifier.vectorizer()`` (``TfidfVectorizer(analyzer=
"char_wb", ngram_range=(2, 5), sublinear_tf=True)``, lowercase, smooth idf, l2 norm) and the
decision arithmetic is ``classifier.probabilities`` / ``suggesters.Suggester.probabilities``;
``tests/verification/test_portable.py`` holds them equal to ``predict_proba`` (to 1e-6: the
vectorizer computes in float32, this in float64) and the n-grams equal to scikit-learn's.
"""

from __future__ import annotations

import json
import math
import re
import sys
import zlib
from array import array

from .listings import SUGGEST_OTHER, Listing, document

FORMAT = 1
MIN_N, MAX_N = 2, 5  # classifier.vectorizer()'s ngram_range
_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's _VectorizerMixin._white_spaces


def ngrams(text: str) -> list[str]:
    """scikit-learn's ``analyzer="char_wb"`` (lowercase, then ``_char_wb_ngrams``): per
    whitespace-separated word padded with one space each side, its n-grams of every length;
    a word shorter than n counts once, whole."""
    text = _WHITE_SPACES.sub(" ", text.lower())
    found = []
    append = found.append
    for word in text.split():
        word = f" {word} "
        length = len(word)
        for n in range(MIN_N, MAX_N + 1):
            offset = 0
            append(word[offset : offset + n])
            while offset + n < length:
                offset += 1
                append(word[offset : offset + n])
            if offset == 0:
                break
    return found


def _bytes(values, typecode: str) -> bytes:
    packed = array(typecode, values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


class _Reader:
    """Reads a zlib stream piece by piece (no second copy of the whole model in memory)."""

    def __init__(self, data) -> None:
        self.stream = zlib.decompressobj()
        self.pending = memoryview(data)

    def read(self, size: int) -> bytes:
        parts, missing = [], size
        while missing:
            part = self.stream.decompress(self.pending, missing)
            self.pending = memoryview(self.stream.unconsumed_tail)
            if not part:
                raise ValueError("portable model: truncated")
            parts.append(part)
            missing -= len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def array(self, typecode: str, count: int) -> array:
        found = array(typecode)
        found.frombytes(self.read(count * found.itemsize))
        if sys.byteorder == "big":
            found.byteswap()
        return found


def _sigmoid(x: float) -> float:
    """1 / (1 + exp(-x)) without overflow (numpy gives 0 or 1 where math.exp would raise)."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _dot(row: dict[int, float], weights: array) -> float:
    return math.fsum(value * weights[col] for col, value in row.items())


class Features:
    """One fitted vectorizer: n-gram → its column (through the version's shared n-gram
    index), idf per column."""

    def __init__(self, index: dict[str, int], size: int, columns: array, idf: array) -> None:
        self.index = index
        self.idf = idf
        self.columns = columns  # column → position in the shared n-gram list
        self.local = array("i", [-1]) * size  # position in the shared list → column, or -1
        for col, position in enumerate(columns):
            self.local[position] = col

    def transform(self, text: str) -> dict[int, float]:
        """The TF-IDF row of ``text``: {column: value}, (1 + ln count) × idf, l2-normalised."""
        counts: dict[int, int] = {}
        index, local = self.index, self.local
        for gram in ngrams(text):
            position = index.get(gram)
            if position is not None and (col := local[position]) >= 0:
                counts[col] = counts.get(col, 0) + 1
        row = {col: (1.0 + math.log(n)) * self.idf[col] for col, n in counts.items()}
        norm = math.sqrt(math.fsum(v * v for v in row.values()))
        return {col: v / norm for col, v in row.items()} if norm else row


class RiskModel:
    """The calibrated confirm/reject classifier (``classifier.build_pipeline``)."""

    def __init__(self, features: Features, spec: dict, reader: _Reader) -> None:
        self.features = features
        size = len(features.columns)
        self.folds = [
            (reader.array("f", size), f["intercept"], f["a"], f["b"]) for f in spec["folds"]
        ]
        # explain: the weights averaged over the folds (``classifier.coefficients``)
        n = len(self.folds)
        self.mean_weights = array(
            "f", (math.fsum(f[0][i] for f in self.folds) / n for i in range(size))
        )

    def probability(self, text: str) -> float:
        row = self.features.transform(text)
        calibrated = [
            _sigmoid(-(a * (_dot(row, weights) + intercept) + b))
            for weights, intercept, a, b in self.folds
        ]
        return math.fsum(calibrated) / len(calibrated)

    def explain(self, text: str, names: list[str], top: int = 8) -> list[tuple[str, float]]:
        """As ``classifier.explain``: the n-grams present with the largest positive
        TF-IDF value × mean weight, ``[(ngram, contribution rounded to 4 places)]``."""
        weights, columns = self.mean_weights, self.features.columns
        row = self.features.transform(text)
        contributions = [
            (col, value * weights[col]) for col, value in sorted(row.items()) if weights[col] > 0
        ]
        contributions.sort(key=lambda pair: pair[1], reverse=True)
        return [(names[columns[col]], round(c, 4)) for col, c in contributions[:top]]


class Suggester:
    """A species group / product type classifier (``suggesters.build_pipeline``)."""

    def __init__(self, features: Features, spec: dict, reader: _Reader) -> None:
        self.features = features
        self.classes = list(spec["classes"])
        self.intercepts = list(spec["intercepts"])  # one weight row each; one when binary
        self.weights = [reader.array("f", len(features.columns)) for _c in self.intercepts]

    def probabilities(self, texts: list[str]) -> list[list[float]]:
        return [self._row(text) for text in texts]

    def _row(self, text: str) -> list[float]:
        row = self.features.transform(text)
        decisions = [
            _dot(row, weights) + intercept
            for weights, intercept in zip(self.weights, self.intercepts, strict=True)
        ]
        if len(self.classes) == 2:  # binary: one weight row, sigmoid
            positive = _sigmoid(decisions[0])
            return [1.0 - positive, positive]
        top = max(decisions)
        exp = [math.exp(d - top) for d in decisions]
        total = math.fsum(exp)
        return [e / total for e in exp]

    def best(self, text: str, minimum: float) -> tuple[str, float] | None:
        row = self._row(text)
        i = max(range(len(row)), key=row.__getitem__)  # the first of equals, as np.argmax
        label, probability = self.classes[i], row[i]
        if label == SUGGEST_OTHER or probability < minimum:
            return None
        return label, probability


class PortableModel:
    """The same interface as ``training.Loaded`` (what selectors and risk call)."""

    def __init__(self, version: int, header: dict, reader: _Reader) -> None:
        self.version = version
        self.names: list[str] = reader.read(header["ngrams"]).decode("utf-8").split("\n")
        index = {gram: i for i, gram in enumerate(self.names)}
        size = len(self.names)

        def features(spec: dict) -> Features:
            count = spec["columns"]
            columns, idf = reader.array("i", count), reader.array("f", count)
            return Features(index, size, columns, idf)

        risk = header["risk"]
        self.risk = RiskModel(features(risk), risk, reader)
        self.suggesters = {}
        for target, spec in header["suggesters"].items():
            self.suggesters[target] = Suggester(features(spec), spec, reader)

    def probability(self, listing: Listing) -> float:
        return self.risk.probability(document(listing))

    def probabilities(self, listings: list[Listing]) -> list[float]:
        return [self.probability(listing) for listing in listings]

    def explain(self, listing: Listing, top: int = 8) -> list[tuple[str, float]]:
        return self.risk.explain(document(listing), self.names, top=top)


def dumps(risk: dict, suggesters: dict[str, dict]) -> bytes:
    """The portable form from plain lists (``training.portable_of`` reads them off the fitted
    pipelines). Each model: ``vocabulary`` {n-gram: column}, ``idf`` per column; risk:
    ``folds`` [{weights, intercept, a, b}]; suggester: ``classes``, ``weights`` (rows),
    ``intercepts``. The sections follow the header in the order ``loads`` reads them."""
    models = {"risk": risk, **suggesters}
    names = sorted(set().union(*(m["vocabulary"] for m in models.values())))
    assert not any("\n" in gram for gram in names)
    position = {gram: i for i, gram in enumerate(names)}
    ngrams = "\n".join(names).encode("utf-8")
    sections = [ngrams]

    def common(model: dict) -> dict:
        by_column = sorted(model["vocabulary"].items(), key=lambda item: item[1])
        assert [col for _gram, col in by_column] == list(range(len(by_column)))
        sections.append(_bytes((position[gram] for gram, _col in by_column), "i"))
        sections.append(_bytes(model["idf"], "f"))
        return {"columns": len(by_column)}

    header = {"format": FORMAT, "ngrams": len(ngrams), "risk": common(risk), "suggesters": {}}
    header["risk"]["folds"] = []
    for fold in risk["folds"]:
        sections.append(_bytes(fold["weights"], "f"))
        header["risk"]["folds"].append({k: float(fold[k]) for k in ("intercept", "a", "b")})
    for target, model in suggesters.items():
        header["suggesters"][target] = common(model) | {
            "classes": [str(c) for c in model["classes"]],
            "intercepts": [float(c) for c in model["intercepts"]],
        }
        sections.extend(_bytes(row, "f") for row in model["weights"])
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    compressor = zlib.compressobj(6)
    parts = [compressor.compress(len(head).to_bytes(4, "little") + head)]
    parts += [compressor.compress(section) for section in sections]
    return b"".join([*parts, compressor.flush()])


def loads(version: int, data) -> PortableModel:
    """The model of a stored portable form (bytes ``dumps`` wrote in ``training.train``)."""
    reader = _Reader(data)
    header = json.loads(reader.read(int.from_bytes(reader.read(4), "little")))
    if header.get("format") != FORMAT:
        raise ValueError(f"portable model format {header.get('format')!r}, expected {FORMAT}")
    return PortableModel(version, header, reader)
