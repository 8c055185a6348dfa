"""Training content in every shipped language: loading, alignment, fallback and scoring."""

import copy
import json

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.html import escape

from reports.reference import load_reference_data
from training.content import (
    MODULES_DIR,
    TranslationMismatch,
    load_training_content,
    translated_languages,
)
from training.models import Choice, Lesson, Module, Question

from .conftest import make_user

pytestmark = pytest.mark.django_db


def english(slug="core"):
    return json.loads((MODULES_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def fake_french(source: dict) -> dict:
    """A French file of the same shape: every text prefixed, fixed values kept."""
    other = copy.deepcopy(source)
    other["language"] = "fr"
    other["title"] = "FR " + source["title"]
    other["summary"] = "FR " + source["summary"]
    for lesson in other["lessons"]:
        lesson["title"] = "FR " + lesson["title"]
        lesson["body_markdown"] = "FR " + lesson["body_markdown"]
        lesson["search_terms"] = ["ivoire", "défense"]
    for question in other["questions"]:
        question["prompt"] = "FR " + question["prompt"]
        for choice in question["choices"]:
            choice["text"] = "FR " + choice["text"]
    return other


def write(tmp_path, source, french=None):
    (tmp_path / "core.json").write_text(json.dumps(source), encoding="utf-8")
    if french is not None:
        (tmp_path / "fr").mkdir(exist_ok=True)
        (tmp_path / "fr" / "core.json").write_text(json.dumps(french), encoding="utf-8")


@pytest.fixture
def reference(db):
    load_reference_data()


def test_translation_is_loaded_beside_the_english(reference, tmp_path):
    source = english()
    write(tmp_path, source, fake_french(source))
    load_training_content(tmp_path)
    module = Module.objects.get(slug="core")
    lesson = Lesson.objects.get(module=module, order=1)
    assert module.title == source["title"]
    assert module.tr("title", "fr") == "FR " + source["title"]
    assert lesson.tr("search_terms", "fr") == ["ivoire", "défense"]
    with translation.override("fr"):
        assert str(module) == "FR " + source["title"]
        assert module.is_translated() and lesson.is_translated()
    with translation.override("zh-hans"):
        # No Chinese file in this directory: English, field by field, and flagged as missing.
        assert lesson.tr("title") == source["lessons"][0]["title"]
        assert not lesson.is_translated()


def test_one_language_is_updated_without_touching_the_others(reference, tmp_path):
    source = english()
    french = fake_french(source)
    write(tmp_path, source, french)
    load_training_content(tmp_path)
    ids = set(Question.objects.values_list("pk", flat=True))
    french["lessons"][0]["title"] = "Titre corrigé"
    write(tmp_path, source, french)
    load_training_content(tmp_path)
    lesson = Lesson.objects.get(module__slug="core", order=1)
    assert lesson.tr("title", "fr") == "Titre corrigé"
    assert lesson.title == source["lessons"][0]["title"]
    assert set(Question.objects.values_list("pk", flat=True)) == ids


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: f["lessons"].pop(),
        lambda f: f["questions"].pop(),
        lambda f: f["questions"][0]["choices"].reverse(),
        lambda f: f.update(slug="elephants"),
        lambda f: f["questions"][0].update(
            kind="listing" if f["questions"][0].get("kind") != "listing" else "choice"
        ),
    ],
)
def test_a_translation_that_does_not_line_up_is_refused(reference, tmp_path, damage):
    source = english()
    french = fake_french(source)
    damage(french)
    write(tmp_path, source, french)
    with pytest.raises(TranslationMismatch, match="fr/core.json"):
        load_training_content(tmp_path)


def test_pages_show_the_learners_language_and_a_fallback_notice(reference, tmp_path, client):
    source = english()
    write(tmp_path, source, fake_french(source))
    load_training_content(tmp_path)
    client.force_login(make_user())
    french = client.get("/training/core/lessons/1/", HTTP_ACCEPT_LANGUAGE="fr")
    body = french.content.decode()
    assert "FR " + source["lessons"][0]["title"] in body
    assert "fallback-notice" not in body
    chinese = client.get("/training/core/lessons/1/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = chinese.content.decode()
    assert source["lessons"][0]["title"] in body
    assert "fallback-notice" in body


def test_scoring_does_not_depend_on_the_language(reference, tmp_path, client):
    source = english()
    write(tmp_path, source, fake_french(source))
    load_training_content(tmp_path)
    user = make_user()
    client.force_login(user)
    scores = []
    for language in ("en", "fr"):
        page = client.get("/training/core/quiz/", HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        text = page.content.decode()
        expected_prefix = "FR " if language == "fr" else ""
        question, _choices = page.context["items"][0]
        assert escape(f"{expected_prefix}{question.prompt}") in text
        answers = {
            f"q{q.pk}": str(next(c.pk for c in choices if c.is_correct))
            for q, choices in page.context["items"]
        }
        done = client.post(
            "/training/core/quiz/", {"attempt": page.context["attempt"].pk, **answers}
        )
        assert done.status_code == 302
        scores.append(user.quiz_attempts.order_by("-pk").first().score_percent)
    assert scores == [100, 100]


@override_settings(LANGUAGE_CODE="en")
def test_every_shipped_module_is_complete_in_every_shipped_language(reference):
    """CI guard: a module, lesson, question or answer without a shipped language fails."""
    load_training_content()
    missing = []
    for language in translated_languages():
        for model in (Module, Lesson, Question, Choice):
            for row in model.objects.filter(**({"is_active": True} if model is Question else {})):
                if not row.is_translated(language):
                    missing.append(f"{language}: {model.__name__} {row}")
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"
