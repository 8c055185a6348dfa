"""Training, refusal, versioning, the review panel and the model page; and no model path
ever changes a report."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from reports.models import Report
from spotter.models import AuditEvent
from tests import factories
from verification import classifier, listings, model_runtime, risk, tasks, training, training_tasks
from verification.models import ModelVersion, ReportRisk, RunStatus

from .helpers import make_decided

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_minimums(settings):
    settings.VERIFICATION_MIN_DECIDED = 40
    settings.VERIFICATION_MIN_PER_CLASS = 10


def test_too_few_decided_reports_keeps_the_model_off_and_says_why(settings, client_for, admin_user):
    settings.VERIFICATION_MIN_DECIDED = 200
    make_decided(20, 20)
    run = training.train()
    assert run.status == RunStatus.REFUSED and run.pipeline is None
    assert "40" in run.reason and "200" in run.reason
    assert model_runtime.active_model() is None
    event = AuditEvent.objects.get(action=training.REFUSED_EVENT)
    assert event.object_id == str(run.pk) and event.reason == run.reason
    page = client_for(admin_user).get(reverse("verification:model")).content.decode()
    assert "The model is off" in page and run.reason in page


def test_one_class_too_small_is_refused_too(small_minimums):
    make_decided(60, 5)
    run = training.train()
    assert run.status == RunStatus.REFUSED
    assert "5 rejected" in run.reason


def test_training_stores_a_versioned_model_with_held_out_metrics(small_minimums):
    make_decided(40, 40)
    first = training.train()
    assert first.status == RunStatus.ACTIVE and first.version == 1
    assert (first.n_train, first.n_test, first.n_decided) == (60, 20, 80)
    metrics = first.metrics
    assert {"precision", "recall", "brier", "calibration"} <= set(metrics)
    assert 0 <= metrics["brier"] <= 1 and len(metrics["calibration"]) == classifier.CALIBRATION_BINS
    assert sum(row["n"] for row in metrics["calibration"]) == 20
    assert model_runtime.active_model().version == 1
    event = AuditEvent.objects.get(action=training.TRAINED_EVENT)
    assert event.data["precision"] == metrics["precision"]

    second = training.train()
    assert second.version == 2
    first.refresh_from_db()
    assert first.status == RunStatus.RETIRED and first.pipeline is None
    assert ModelVersion.objects.filter(status=RunStatus.ACTIVE).count() == 1
    assert model_runtime.active_model().version == 2


def test_fast_probabilities_equal_scikit_learns(small_minimums):
    make_decided(40, 40)
    training.train()
    model = training.active_pipeline()
    texts = ["ivory bangle genuine", "resin replica comb", "象牙手镯", ""]
    expected = model.pipeline.predict_proba(texts)[:, 1]
    got = classifier.probabilities(model.pipeline, texts, model.folds)
    assert got == pytest.approx(expected, abs=1e-6)  # float32 weights


def test_review_panel_shows_probability_and_the_ngrams_behind_it(
    small_minimums, client_for, volunteer, expert
):
    make_decided(40, 40)
    training.train()
    report = factories.make_report(volunteer, listing_title="Genuine elephant ivory bangle")
    risk.refresh_reports([report.pk])
    row = ReportRisk.objects.get(pk=report.pk)
    assert row.model_version == 1 and 0 <= row.model_probability <= 1
    assert row.components["model"] == pytest.approx(row.model_probability, abs=1e-4)
    html = client_for(expert).get(reverse("reports:review", args=[report.reference])).content
    html = html.decode()
    assert 'id="model-probability"' in html and 'id="risk-score"' in html
    drivers = model_runtime.active_model().explain(
        listings.listings_of(Report.objects.filter(pk=report.pk))[report.pk]
    )
    assert drivers and all(weight > 0 for _ngram, weight in drivers)
    document = listings.document(
        listings.listings_of(Report.objects.filter(pk=report.pk))[report.pk]
    )
    assert all(ngram.strip() in document for ngram, _weight in drivers)
    assert "model-drivers" in html


def test_no_panel_without_a_model_or_a_score(client_for, volunteer, expert):
    report = factories.make_report(volunteer)
    ReportRisk.objects.filter(pk=report.pk).delete()
    html = client_for(expert).get(reverse("reports:review", args=[report.reference])).content
    assert b"model-prediction" not in html


def _snapshot():
    return (
        list(Report.objects.order_by("pk").values_list("pk", "status", "verdict", "updated_at")),
        AuditEvent.objects.filter(object_type="report").count(),
    )


def test_no_model_path_changes_any_report(
    small_minimums, client_for, volunteer, expert, admin_user
):
    make_decided(40, 40)
    waiting = [factories.make_report(volunteer) for _ in range(3)]
    before = _snapshot()
    training_tasks.retrain_model()
    tasks.refresh_waiting_risk()
    tasks.refresh_report_risk(waiting[0].pk)
    client_for(expert).get(reverse("reports:review", args=[waiting[0].reference]))
    client_for(expert).get(reverse("reports:queue") + "?sort=risk")
    client_for(admin_user).get(reverse("verification:model"))
    assert _snapshot() == before


def test_the_app_never_imports_a_service_that_changes_reports():
    root = Path(__file__).resolve().parents[2] / "verification"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("reports.services"), path
                assert "services" not in node.module, path


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin_user", 200), ("expert", 403), ("volunteer", 403), ("staff", 403)],
)
def test_model_page_is_for_admins_only(request, client_for, who, status):
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("verification:model")).status_code == status


def test_model_page_anonymous_goes_to_login(client):
    response = client.get(reverse("verification:model"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_model_page_shows_held_out_figures_and_history(small_minimums, client_for, admin_user):
    settings_min = 40
    make_decided(settings_min // 2 - 5, 10)
    training.train()  # refused: 25 decided
    make_decided(20, 20)
    active = training.train()
    html = client_for(admin_user).get(reverse("verification:model")).content.decode()
    assert 'id="precision"' in html and 'id="recall"' in html and 'id="brier"' in html
    assert f"{active.metrics['precision']:.3f}" in html
    assert html.count("<tr><td>") >= 2 + classifier.CALIBRATION_BINS  # two runs in the history


def test_management_command(small_minimums, capsys):
    from django.core.management import call_command

    call_command("train_verification_model")
    assert "not trained" in capsys.readouterr().out
