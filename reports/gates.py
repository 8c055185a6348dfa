"""Checks a higher app adds to "may this volunteer submit?" without reports importing it.

``training`` appends its certification check in ``TrainingConfig.ready()``; each check returns
the message to show (the volunteer may not submit) or None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # apps.py modules import this before the models are ready
    from spotter.models import User

submission_checks: list[Callable[[User], str | None]] = []


def submission_problem(user: User) -> str | None:
    """The first registered check's objection, or None when every check lets the user submit."""
    for check in submission_checks:
        problem = check(user)
        if problem:
            return problem
    return None
