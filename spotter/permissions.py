"""The generic permission primitives: roles, and who closes their own account.

Rules about reports, evidence and packages live with them in ``reports.permissions``; every
view, API endpoint and decorator asks one of the two modules, so a rule changes in one place.
"""

from __future__ import annotations

from .models import Role, User


def can_delete_own_account(user: User) -> bool:
    """Volunteers close their own account; staff accounts are closed by an admin."""
    return is_role(user, Role.VOLUNTEER)


def is_role(user: User, *roles: str) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.role in roles or (Role.ADMIN in roles and user.is_superuser))
    )
