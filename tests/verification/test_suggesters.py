"""The species group / product type suggesters trained with the model, and what the
suggest-while-typing box (keywords:suggest) shows from them; nothing ever changes."""

import pytest
from django.urls import reverse

from reports.models import ProductType, Report, SpeciesGroup
from spotter.models import AuditEvent
from verification import model_runtime, suggesters, training
from verification.models import ModelVersion, RunStatus
from verification.selectors import suggest_for_text

from .helpers import make_confirmed_by_group, make_decided

pytestmark = pytest.mark.django_db
URL = "keywords:suggest"
NOTHING = {"species_group": None, "product_type": None}


@pytest.fixture
def small_minimums(settings):
    settings.VERIFICATION_MIN_DECIDED = 40
    settings.VERIFICATION_MIN_PER_CLASS = 10


@pytest.fixture
def trained(small_minimums):
    make_confirmed_by_group({"elephants": 15, "pangolins": 15, "marine-turtles": 15})
    make_decided(0, 20)
    run = training.train()
    assert run.status == RunStatus.ACTIVE
    return run


def ask(client, title="", text=""):
    return client.post(reverse(URL), {"listing_title": title, "listing_text": text})


def test_training_stores_both_suggesters_in_the_versions_one_bundle(trained):
    summary = trained.metrics["suggesters"]
    assert summary["species_group"]["classes"] == ["elephants", "marine-turtles", "pangolins"]
    assert summary["product_type"]["classes"] == ["ivory-carving", "scales", "tortoiseshell"]
    assert summary["species_group"]["n"] == 45  # confirmed reports only
    assert set(model_runtime.active_model().suggesters) == {"species_group", "product_type"}
    model = training.active_pipeline()
    texts = ["象牙手镯", "pangolin scales", "玳瑁 bracelet", ""]
    for suggester in model.suggesters.values():
        expected = suggester.pipeline.predict_proba(texts)
        # float32 weights: the two orders of summation round apart
        assert suggester.probabilities(texts) == pytest.approx(expected, abs=1e-6)


def test_suggests_group_and_product_above_the_threshold_only(trained, settings):
    found = suggest_for_text("象牙手镯 老料", "保真")
    assert found["species_group"][0] == "elephants" and found["species_group"][1] >= 0.6
    assert found["product_type"][0] == "ivory-carving" and found["product_type"][1] >= 0.6
    assert suggest_for_text("穿山甲片 正品", "")["species_group"][0] == "pangolins"
    settings.VERIFICATION_SUGGEST_THRESHOLD = 1.0
    assert suggest_for_text("象牙手镯 老料", "保真") == NOTHING


def test_too_few_decided_reports_refuse_the_suggesters_with_the_model(settings):
    settings.VERIFICATION_MIN_DECIDED = 200
    make_confirmed_by_group({"elephants": 15, "pangolins": 15})
    run = training.train()
    assert run.status == RunStatus.REFUSED and run.pipeline is None
    assert suggest_for_text("象牙手镯", "") == NOTHING


def test_too_few_per_label_trains_no_suggester_but_the_model(small_minimums):
    make_decided(25, 25)  # every confirmed report is one group and one product type
    make_confirmed_by_group({"elephants": 5})
    run = training.train()
    assert run.status == RunStatus.ACTIVE
    for target in suggesters.TARGETS:
        assert "reason" in run.metrics["suggesters"][target]
    assert model_runtime.active_model().suggesters == {}
    assert suggest_for_text("象牙手镯", "") == NOTHING


def test_rare_labels_are_never_suggested(small_minimums):
    make_confirmed_by_group({"elephants": 15, "pangolins": 15, "marine-turtles": 4})
    make_decided(0, 20)
    run = training.train()
    summary = run.metrics["suggesters"]["species_group"]
    assert summary["classes"] == ["elephants", "pangolins"] and summary["other"] == 4
    model = model_runtime.active_model()
    assert "marine-turtles" not in model.suggesters["species_group"].classes
    found = suggest_for_text("玳瑁手镯 真玳瑁", "")["species_group"]
    assert found is None or found[0] != "marine-turtles"


def test_binary_suggester_matches_scikit_learn(small_minimums):
    make_confirmed_by_group({"elephants": 15, "pangolins": 15})
    make_decided(0, 20)
    training.train()
    suggester = training.active_pipeline().suggesters["species_group"]
    assert len(suggester.classes) == 2
    texts = ["象牙手镯", "pangolin scales", ""]
    expected = suggester.pipeline.predict_proba(texts)
    assert suggester.probabilities(texts) == pytest.approx(expected, abs=1e-6)  # float32 weights


def test_suggest_box_shows_the_models_suggestion_with_apply_buttons(trained, client_for, volunteer):
    response = ask(client_for(volunteer), title="象牙手镯 老料", text="保真")
    assert response.status_code == 200
    body = response.content.decode()
    assert "The model suggests" in body and "you decide" in body
    elephants = SpeciesGroup.objects.get(slug="elephants")
    ivory = ProductType.objects.get(slug="ivory-carving")
    assert f'data-keyword-group="{elephants.name}">{elephants.name} (' in body
    assert f'data-keyword-product="{ivory.pk}">{ivory.name} (' in body
    assert "%)</button>" in body


def test_suggest_box_shows_nothing_from_the_model_while_it_is_off(client_for, volunteer):
    make_confirmed_by_group({"elephants": 15, "pangolins": 15})
    assert training.train().status == RunStatus.REFUSED
    response = ask(client_for(volunteer), title="象牙手镯 老料", text="保真")
    assert response.status_code == 200
    assert "The model suggests" not in response.content.decode()
    assert response.content.decode().strip() == ""  # no keyword library loaded either


def _snapshot():
    return (
        list(Report.objects.order_by("pk").values_list("pk", "status", "verdict", "updated_at")),
        list(ModelVersion.objects.order_by("pk").values_list("pk", "status", "version")),
        AuditEvent.objects.count(),
    )


def test_suggesting_changes_nothing(trained, client_for, volunteer):
    before = _snapshot()
    client = client_for(volunteer)
    for title in ("象牙手镯 老料", "pangolin scales", "玳瑁手镯", ""):
        assert ask(client, title=title).status_code == 200
        suggest_for_text(title, "")
    assert _snapshot() == before
