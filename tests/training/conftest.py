"""Fixtures for the training tests: small, exact modules (10 questions each) and users per role."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from reports import services as report_services
from reports.evidence import process_image
from reports.models import ProductType, Species, SpeciesGroup
from spotter.models import Role
from spotter.services import create_user_with_role
from training.models import Certificate, Choice, Lesson, Module, Question, QuestionKind

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "training-test-password-42"
_counter = iter(range(1, 1_000_000))


@pytest.fixture(autouse=True)
def _training_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MFA_REQUIRED_ROLES = []  # MFA has its own tests; here it would only redirect
    settings.QUIZ_PASS_PERCENT = 80
    settings.CERTIFICATE_VALID_DAYS = 365


def make_user(role: str = Role.VOLUNTEER, **kwargs):
    n = next(_counter)
    kwargs.setdefault("email", f"training-{role.replace('_', '-')}-{n}@example.org")
    kwargs.setdefault("country", "US")
    return create_user_with_role(role=role, password=PASSWORD, **kwargs)


def build_module(
    slug: str,
    *,
    is_core: bool = False,
    group: SpeciesGroup | None = None,
    questions: int = 10,
    choices: int = 4,
    lessons: int = 3,
    order: int = 0,
) -> Module:
    """A module whose quiz draws exactly ``questions`` questions; choice 1 is the right one."""
    module = Module.objects.create(
        slug=slug, title=f"Module {slug}", is_core=is_core, species_group=group, order=order
    )
    for i in range(1, lessons + 1):
        Lesson.objects.create(
            module=module, order=i, title=f"{slug} lesson {i}", body_markdown=f"Lesson **{i}**"
        )
    for i in range(1, questions + 1):
        question = Question.objects.create(
            module=module,
            kind=QuestionKind.CHOICE,
            prompt=f"{slug} question {i}?",
            explanation=f"Because {slug} {i}.",
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=f"{slug} q{i} answer {c}", is_correct=c == 1, order=c)
            for c in range(1, choices + 1)
        )
    return module


@pytest.fixture
def groups(db):
    return {
        slug: SpeciesGroup.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
        for slug in ("elephants", "pangolins", "other")
    }


@pytest.fixture
def core(groups):
    return build_module("core", is_core=True)


@pytest.fixture
def elephants(groups):
    return build_module("elephants", group=groups["elephants"], order=10)


@pytest.fixture
def pangolins(groups):
    return build_module("pangolins", group=groups["pangolins"], order=20)


@pytest.fixture
def learner(db):
    """A volunteer who has not been trained yet."""
    return make_user(Role.VOLUNTEER)


@pytest.fixture
def certified_volunteer(db):
    user = make_user(Role.VOLUNTEER)
    now = timezone.now()
    Certificate.objects.create(user=user, issued_at=now, expires_at=now + timedelta(days=365))
    return user


@pytest.fixture
def trainer_expert(db):
    return make_user(Role.EXPERT)


@pytest.fixture
def programme_admin(db):
    return make_user(Role.ADMIN)


@pytest.fixture
def login():
    def make(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


def correct_answers(attempt) -> dict[int, int]:
    return dict(
        Choice.objects.filter(question_id__in=attempt.question_ids, is_correct=True).values_list(
            "question_id", "pk"
        )
    )


def wrong_answers(attempt) -> dict[int, int]:
    answers = {}
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=attempt.question_ids, is_correct=False
    ).values_list("question_id", "pk"):
        answers.setdefault(question_id, choice_id)
    return answers


def answers_with(attempt, n_correct: int) -> dict[int, int]:
    """Exactly ``n_correct`` right answers, the rest wrong."""
    right, wrong = correct_answers(attempt), wrong_answers(attempt)
    ids = attempt.question_ids
    return {q: (right[q] if i < n_correct else wrong[q]) for i, q in enumerate(ids)}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 50, 50)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def make_report(groups, certified_volunteer):
    """make_report(**overrides): a submitted report of a pangolin listing."""
    species, _ = Species.objects.get_or_create(
        scientific_name="Manis pentadactyla",
        defaults={
            "common_name_en": "Chinese pangolin",
            "group": groups["pangolins"],
            "cites_appendix": "I",
        },
    )
    product, _ = ProductType.objects.get_or_create(slug="scales", defaults={"name": "Scales"})

    def make(**overrides):
        values = {
            "listing_url": f"https://www.example-shop.com/item/{next(_counter)}",
            "listing_title": "Pangolin scales 500 g from gx_traders88",
            "product_type": product,
            "species": species,
            "listing_text": "Genuine scales. Contact gx_traders88 on WeChat +86 138 0013 8000 "
            "or see https://shop.example/gx_traders88 or mail gx@example.com",
            "price": Decimal("120.00"),
            "currency": "USD",
            "seller_handle": "gx_traders88",
        }
        values.update(overrides)
        return report_services.submit_report(
            volunteer=certified_volunteer,
            details=report_services.ListingDetails(**values),
            images=[process_image(_png(), "shot.png")],
            image_names=["shot.png"],
        )

    return make


@pytest.fixture
def decided_report(make_report, trainer_expert):
    """decided_report("confirmed" | "rejected", note=...)"""

    def make(verdict: str = "confirmed", note: str = "Scales of Manis; seller gx_traders88."):
        report = make_report()
        report_services.claim_report(report=report, expert=trainer_expert)
        if verdict == "confirmed":
            return report_services.confirm_report(report=report, expert=trainer_expert, note=note)
        return report_services.reject_report(
            report=report, expert=trainer_expert, reason="not_wildlife", note=note
        )

    return make
