"""The demo: reports' demo accounts and reports, with the demo volunteer really passing two
quizzes through the services in between (only certified spotters flag).

It is put together here, not in reports, because training sits above reports: reports provides
the accounts and the reports, training certifies the volunteer."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from reports.demo import (
    DEMO_ACCOUNTS,
    create_demo_accounts,
    create_demo_canned_replies,
    create_demo_reports,
)
from spotter.errors import InvalidState
from spotter.models import User

from . import selectors, services
from .models import Choice, Module

# Sent by ``manage.py load_demo`` after the demo reports exist, so an app above training adds its
# own demo data (a round, tips, referral partners…) without training importing it.
# kwargs: accounts (the list of (email, role label) printed at the end: a receiver may append).
demo_loaded = Signal()


@transaction.atomic
def load_demo_data() -> list[tuple[str, str]]:
    """Demo accounts, the certified demo volunteer and their reports; (email, role) pairs."""
    users = create_demo_accounts()
    certify_demo_volunteer(users["volunteer@example.org"])
    create_demo_reports(users)
    create_demo_canned_replies()
    return [(email, role) for email, role, *_ in DEMO_ACCOUNTS]


def pass_quiz(user: User, module: Module) -> services.Submission:
    """Start an attempt and answer every question correctly (demo data and tests)."""
    attempt = services.start_attempt(user=user, module=module)
    correct = dict(
        Choice.objects.filter(question_id__in=attempt.question_ids, is_correct=True).values_list(
            "question_id", "pk"
        )
    )
    return services.submit_attempt(attempt=attempt, user=user, answers=correct)


def certify_demo_volunteer(user: User) -> None:
    """Certify the demo volunteer with a passed core and elephants quiz (no-op if certified)."""
    if selectors.active_certificate(user) is not None:
        return
    for slug in ("core", "elephants"):
        module = Module.objects.filter(slug=slug).first()
        if module is None:
            raise InvalidState(f"Training module {slug!r} is missing: run load_training first.")
        pass_quiz(user, module)
