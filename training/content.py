"""Loading the training modules shipped in training/data/modules/*.json.

Idempotent: modules are matched by slug, lessons by (module, order) and questions by a key
made from their text, so running it again updates in place and attempts keep pointing at the
same questions. Questions that disappear from the files are retired (``is_active=False``),
never deleted, because past attempts refer to them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db import transaction

from reports.models import SpeciesGroup

from .models import Choice, Lesson, Module, Question, QuestionKind

MODULES_DIR = Path(__file__).resolve().parent / "data" / "modules"


def content_key(row: dict) -> str:
    # Listing questions share one prompt, so the listing title is part of the key.
    raw = "\n".join([row.get("kind", "choice"), row["prompt"], row.get("listing_title", "")])
    return hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()


def _load_lessons(module: Module, lessons: list[dict]) -> int:
    for order, row in enumerate(lessons, start=1):
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
            },
        )
    module.lessons.filter(order__gt=len(lessons)).delete()
    return len(lessons)


def _load_choices(question: Question, choices: list[dict]) -> None:
    texts = []
    for order, row in enumerate(choices, start=1):
        Choice.objects.update_or_create(
            question=question,
            text=row["text"],
            defaults={"is_correct": bool(row.get("correct")), "order": order},
        )
        texts.append(row["text"])
    question.choices.exclude(text__in=texts).delete()


def _load_questions(module: Module, questions: list[dict]) -> int:
    keys = []
    for row in questions:
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
            },
        )
        _load_choices(question, row["choices"])
    module.questions.exclude(content_key="").exclude(content_key__in=keys).update(is_active=False)
    return len(questions)


def load_module(data: dict) -> Module:
    group_slug = data.get("species_group")
    module, _ = Module.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "species_group": SpeciesGroup.objects.get(slug=group_slug) if group_slug else None,
            "is_core": bool(data.get("is_core")),
            "order": data.get("order", 0),
            "summary": data.get("summary", ""),
        },
    )
    _load_lessons(module, data.get("lessons", []))
    _load_questions(module, data.get("questions", []))
    return module


@transaction.atomic
def load_training_content(directory: Path | None = None) -> dict:
    """Load every module file; needs the species groups (reports.reference) loaded first."""
    counts = {"modules": 0, "lessons": 0, "questions": 0}
    for path in sorted((directory or MODULES_DIR).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        load_module(data)
        counts["modules"] += 1
        counts["lessons"] += len(data.get("lessons", []))
        counts["questions"] += len(data.get("questions", []))
    return counts
