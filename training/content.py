"""Loading the training modules shipped in training/data/modules/*.json.

Idempotent: modules are matched by slug, lessons by (module, order) and questions by a key
made from their text, so running it again updates in place and attempts keep pointing at the
same questions. Questions that disappear from the files are retired (``is_active=False``),
never deleted, because past attempts refer to them.

Each other language is a file of the same shape in ``modules/<language>/<slug>.json``
(``fr``, ``zh-hans``): same lessons, questions and choices in the same order, with the same
fixed values (kind, image, which choices are correct), so scoring never depends on the
language. A translation file that does not line up with its English module is refused with
the reason; a missing one leaves that language to the English fallback.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from reports.models import SpeciesGroup

from .models import Choice, Lesson, Module, Question, QuestionKind

MODULES_DIR = Path(__file__).resolve().parent / "data" / "modules"

MODULE_TEXT = ("title", "summary")
LESSON_TEXT = ("title", "body_markdown", "image_alt", "visual_clues", "search_terms", "law")
QUESTION_TEXT = ("prompt", "listing_title", "listing_text", "explanation")


class TranslationMismatch(ValueError):
    """A translation file does not line up with its English module."""


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != "en"]


def _check_alignment(english: dict, other: dict, where: str) -> None:
    def fail(detail: str) -> None:
        raise TranslationMismatch(f"{where}: {detail}")

    for key in ("slug", "species_group", "is_core", "order"):
        if other.get(key) != english.get(key):
            fail(f"{key} is {other.get(key)!r}, the English module has {english.get(key)!r}")
    for part in ("lessons", "questions"):
        have, want = len(other.get(part, [])), len(english.get(part, []))
        if have != want:
            fail(f"{have} {part}, the English module has {want}")
    for i, (en, tr) in enumerate(
        zip(english.get("lessons", []), other["lessons"], strict=True), start=1
    ):
        if (tr.get("image") or "") != (en.get("image") or ""):
            fail(f"lesson {i} image differs")
    for i, (en, tr) in enumerate(
        zip(english.get("questions", []), other["questions"], strict=True), start=1
    ):
        if tr.get("kind", "choice") != en.get("kind", "choice") or (tr.get("image") or "") != (
            en.get("image") or ""
        ):
            fail(f"question {i} kind or image differs")
        flags = [bool(c.get("correct")) for c in en["choices"]]
        if [bool(c.get("correct")) for c in tr.get("choices", [])] != flags:
            fail(f"question {i} choices or correct answers differ")


def _texts(row: dict, fields: tuple[str, ...]) -> dict:
    return {field: row[field] for field in fields if row.get(field)}


def _translations_for(english: dict, directory: Path) -> dict[str, dict]:
    """{language: translated module dict} for every shipped language that has a file."""
    found = {}
    for language in translated_languages():
        path = directory / language / f"{english['slug']}.json"
        if path.exists():
            other = json.loads(path.read_text(encoding="utf-8"))
            _check_alignment(english, other, f"{language}/{path.name}")
            found[language] = other
    return found


def content_key(row: dict) -> str:
    # Listing questions share one prompt, so the listing title is part of the key.
    raw = "\n".join([row.get("kind", "choice"), row["prompt"], row.get("listing_title", "")])
    return hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()


def _load_lessons(module: Module, lessons: list[dict], others: dict[str, dict]) -> int:
    for order, row in enumerate(lessons, start=1):
        translations = {
            lang: _texts(other["lessons"][order - 1], LESSON_TEXT) for lang, other in others.items()
        }
        Lesson.objects.update_or_create(
            module=module,
            order=order,
            defaults={
                "title": row["title"],
                "body_markdown": row["body_markdown"],
                "image": row.get("image") or "",
                "image_alt": row.get("image_alt") or "",
                "visual_clues": row.get("visual_clues") or [],
                "search_terms": row.get("search_terms") or [],
                "law": row.get("law") or "",
                "translations": translations,
            },
        )
    module.lessons.filter(order__gt=len(lessons)).delete()
    return len(lessons)


def _load_choices(question: Question, choices: list[dict], others: dict[str, list]) -> None:
    texts = []
    for order, row in enumerate(choices, start=1):
        translations = {lang: _texts(other[order - 1], ("text",)) for lang, other in others.items()}
        Choice.objects.update_or_create(
            question=question,
            text=row["text"],
            defaults={
                "is_correct": bool(row.get("correct")),
                "order": order,
                "translations": translations,
            },
        )
        texts.append(row["text"])
    question.choices.exclude(text__in=texts).delete()


def _load_questions(module: Module, questions: list[dict], others: dict[str, dict]) -> int:
    keys = []
    for index, row in enumerate(questions):
        translated = {lang: other["questions"][index] for lang, other in others.items()}
        key = content_key(row)
        keys.append(key)
        question, _ = Question.objects.update_or_create(
            module=module,
            content_key=key,
            defaults={
                "kind": row.get("kind", QuestionKind.CHOICE),
                "prompt": row["prompt"],
                "listing_title": row.get("listing_title") or "",
                "listing_text": row.get("listing_text") or "",
                "image": row.get("image") or "",
                "explanation": row.get("explanation") or "",
                "is_active": True,
                "translations": {lang: _texts(q, QUESTION_TEXT) for lang, q in translated.items()},
            },
        )
        _load_choices(
            question, row["choices"], {lang: q["choices"] for lang, q in translated.items()}
        )
    module.questions.exclude(content_key="").exclude(content_key__in=keys).update(is_active=False)
    return len(questions)


def load_module(data: dict, directory: Path | None = None) -> Module:
    others = _translations_for(data, directory or MODULES_DIR)
    group_slug = data.get("species_group")
    module, _ = Module.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "species_group": SpeciesGroup.objects.get(slug=group_slug) if group_slug else None,
            "is_core": bool(data.get("is_core")),
            "order": data.get("order", 0),
            "summary": data.get("summary", ""),
            "translations": {lang: _texts(other, MODULE_TEXT) for lang, other in others.items()},
        },
    )
    _load_lessons(module, data.get("lessons", []), others)
    _load_questions(module, data.get("questions", []), others)
    return module


@transaction.atomic
def load_training_content(directory: Path | None = None) -> dict:
    """Load every module file; needs the species groups (reports.reference) loaded first."""
    directory = directory or MODULES_DIR
    counts = {"modules": 0, "lessons": 0, "questions": 0}
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        load_module(data, directory)
        counts["modules"] += 1
        counts["lessons"] += len(data.get("lessons", []))
        counts["questions"] += len(data.get("questions", []))
    return counts
