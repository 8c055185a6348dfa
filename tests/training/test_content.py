"""The shipped modules load idempotently and meet the content rules of the issue."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from reports.reference import load_reference_data
from training.content import MODULES_DIR, load_training_content
from training.models import Choice, Lesson, Module, Question, QuestionKind
from training.templatetags.training_tags import render_markdown

pytestmark = pytest.mark.django_db

OWLET_GROUPS = {
    "elephants",
    "marine-turtles",
    "pangolins",
    "rhinos",
    "primates",
    "birds",
    "reptiles",
    "big-cats",
}


def table_counts():
    return tuple(m.objects.count() for m in (Module, Lesson, Question, Choice))


@pytest.fixture
def loaded(db):
    load_reference_data()
    load_training_content()


def test_loader_is_idempotent(loaded):
    before = table_counts()
    ids = set(Question.objects.values_list("pk", flat=True))
    load_training_content()
    assert table_counts() == before
    assert set(Question.objects.values_list("pk", flat=True)) == ids


def test_management_command(db, capsys):
    call_command("load_training")
    assert "Loaded" in capsys.readouterr().out
    assert Module.objects.filter(is_core=True).count() == 1


def test_core_and_the_eight_owlet_modules_are_there(loaded):
    assert Module.objects.get(slug="core").is_core
    groups = set(Module.objects.filter(is_core=False).values_list("species_group__slug", flat=True))
    assert groups >= OWLET_GROUPS


def test_every_module_has_enough_lessons_and_questions(loaded):
    static = Path(settings.BASE_DIR) / "static"
    for module in Module.objects.prefetch_related("lessons", "questions__choices"):
        lessons = list(module.lessons.all())
        questions = list(module.questions.all())
        assert len(lessons) >= 5, module.slug
        assert len(questions) >= 10, module.slug
        assert sum(q.kind == QuestionKind.LISTING for q in questions) >= 3, module.slug
        assert any(lesson.law for lesson in lessons), module.slug
        for question in questions:
            assert sum(c.is_correct for c in question.choices.all()) == 1, question.prompt
        for path in [x.image for x in lessons + questions if x.image]:
            assert (static / path).is_file(), path
        for lesson in lessons:
            html = render_markdown(lesson.body_markdown)
            assert "<script" not in html and html.strip(), lesson.title


def test_removed_questions_are_retired_not_deleted(db, tmp_path):
    load_reference_data()
    source = json.loads((MODULES_DIR / "core.json").read_text(encoding="utf-8"))
    (tmp_path / "core.json").write_text(json.dumps(source), encoding="utf-8")
    load_training_content(tmp_path)
    dropped = source["questions"].pop()
    source["lessons"][0]["title"] = "Edited title"
    (tmp_path / "core.json").write_text(json.dumps(source), encoding="utf-8")
    load_training_content(tmp_path)
    assert not Question.objects.get(
        prompt=dropped["prompt"], listing_title=dropped.get("listing_title", "")
    ).is_active
    assert Lesson.objects.get(module__slug="core", order=1).title == "Edited title"
    assert Question.objects.filter(is_active=True).count() == len(source["questions"])


def test_demo_data_certifies_the_demo_volunteer_only(loaded, settings, tmp_path):
    from spotter.models import User
    from training.demo import load_demo_data
    from training.selectors import certification_problem

    settings.MEDIA_ROOT = tmp_path
    load_demo_data()
    assert certification_problem(User.objects.get(email="volunteer@example.org")) is None
    assert certification_problem(User.objects.get(email="newcomer@example.org")) is not None
