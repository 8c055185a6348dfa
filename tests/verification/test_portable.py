"""The portable form (plain Python, what the web path predicts with) equals the scikit-learn
pipelines it was written from: the same n-grams, probabilities and explanations."""

import json
import zlib

import pytest

from verification import classifier, listings, model_runtime, portable, training
from verification.models import ModelVersion, RunStatus

from .helpers import make_confirmed_by_group, make_decided, train_small_model

pytestmark = pytest.mark.django_db

TEXTS = [
    "",
    " ",
    "a",
    "ab",
    "I v o r y",
    "象牙手镯 老料 保真",
    "穿山甲片正品药用",
    "Écailles de PANGOLIN déjà vérifiées — 1 kg",
    "ivoire d'éléphant sculpté ancien",
    "genuine   elephant\t\tivory\n\nbangle  ",
    "🐘 ivory 🐘🐘 bangle 💍",
    "hawksbill turtle shell bracelet real #12",
    "玳瑁 bracelet tortoiseshell 眼镜框",
    "x\u00a0\u00a0y\u2003z",
]


@pytest.fixture
def trained(settings):
    return train_small_model(settings)


def test_ngrams_equal_scikit_learns_char_wb_analyzer():
    analyzer = classifier.vectorizer().build_analyzer()
    for text in TEXTS:
        assert portable.ngrams(text) == analyzer(text), text


def test_web_path_predicts_with_the_portable_form(trained):
    model = model_runtime.active_model()
    assert isinstance(model, portable.PortableModel) and model.version == trained.version
    assert set(model.suggesters) == {"species_group", "product_type"}


def test_risk_probabilities_and_explanations_equal_the_pipelines(trained):
    model = model_runtime.active_model()
    loaded = training.active_pipeline()
    documents = TEXTS + [
        listings.document(listings.Listing(t, "Ships worldwide.", ("ivory",), "example.com", "x"))
        for t in TEXTS
    ]
    expected = loaded.pipeline.predict_proba(documents)[:, 1]
    got = [model.risk.probability(d) for d in documents]
    assert got == pytest.approx(expected.tolist(), abs=1e-6)
    assert len({round(p, 3) for p in got}) > 5  # not one constant
    listing = listings.Listing("Genuine elephant ivory bangle", "象牙手镯 🐘", ("ivory",))
    assert model.probability(listing) == pytest.approx(loaded.probability(listing), abs=1e-6)
    explained = 0
    for document in documents:
        got = model.risk.explain(document, model.names)
        want = classifier.explain(
            loaded.pipeline, document, weights=loaded.weights, names=loaded.names
        )
        assert [n for n, _c in got] == [n for n, _c in want], document
        assert [c for _n, c in got] == pytest.approx([c for _n, c in want], abs=2e-4)
        explained += bool(got)
    assert explained > 5
    assert model.explain(listing) == [
        (n, pytest.approx(c, abs=2e-4)) for n, c in loaded.explain(listing)
    ]


def test_suggester_probabilities_equal_the_pipelines(trained):
    model = model_runtime.active_model()
    loaded = training.active_pipeline()
    texts = [listings.suggestion_document(t, "") for t in TEXTS] + TEXTS
    for target, suggester in model.suggesters.items():
        reference = loaded.suggesters[target]
        assert suggester.classes == reference.classes.tolist()
        expected = reference.pipeline.predict_proba(texts)
        for got, want in zip(suggester.probabilities(texts), expected, strict=True):
            assert got == pytest.approx(want.tolist(), abs=1e-6)
        for text in texts:
            assert suggester.best(text, 0.5) == pytest.approx(reference.best(text, 0.5), abs=1e-6)


def test_binary_suggester_equals_the_pipeline(settings):
    settings.VERIFICATION_MIN_DECIDED = 40
    settings.VERIFICATION_MIN_PER_CLASS = 10
    make_confirmed_by_group({"elephants": 15, "pangolins": 15})
    make_decided(0, 20)
    training.train()
    suggester = model_runtime.active_model().suggesters["species_group"]
    reference = training.active_pipeline().suggesters["species_group"]
    assert len(suggester.classes) == 2
    expected = reference.pipeline.predict_proba(TEXTS)
    for got, want in zip(suggester.probabilities(TEXTS), expected, strict=True):
        assert got == pytest.approx(want.tolist(), abs=1e-6)


def test_a_version_without_portable_form_falls_back_to_the_pipeline(trained):
    ModelVersion.objects.filter(pk=trained.pk).update(portable=None)
    model_runtime._cache.update(loaded=None, key=None)
    model = model_runtime.active_model()
    assert isinstance(model, training.Loaded) and model.version == trained.version
    assert 0 <= model.probability(listings.Listing("ivory bangle")) <= 1


def test_retiring_a_version_drops_its_portable_form(trained):
    second = training.train()
    trained.refresh_from_db()
    assert trained.status == RunStatus.RETIRED and trained.portable is None
    assert second.portable and model_runtime.active_model().version == second.version


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="format"):
        header = json.dumps({"format": 99}).encode()
        portable.loads(1, zlib.compress(len(header).to_bytes(4, "little") + header))
