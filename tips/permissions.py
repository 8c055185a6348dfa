"""Who may do what with tips: the one rule used by the nav link, the views and the services.

Anyone may send a tip (the public form). Tips are triaged by lead spotters, experts and
programme admins. Company staff never see tips: a tip may name a competitor, a member's own
platform or the tipster's email, and the programme, not the company, decides what becomes a
report.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from spotter.errors import NotAllowed
from spotter.models import Role, User


def may_triage(user: User) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_programme_admin or user.role == Role.EXPERT:
        return True
    return user.role == Role.VOLUNTEER and user.is_lead_spotter


def ensure_may_triage(user: User) -> None:
    if not may_triage(user):
        raise NotAllowed(_("Only lead spotters, experts and admins triage tips."))
