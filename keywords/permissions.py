"""Who may see and change which part of the keyword library: one selector per rule.

- Volunteers see the approved library (what to look for), never proposals or retired terms, and
  propose terms from their own reports.
- Experts and admins see every term, its precision and history, and curate it.
- Admins alone import a coalition list; experts and admins export the whole library.
- Company staff get the approved library through the member feed only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404

from spotter.models import Role, User
from spotter.permissions import is_role

from .models import Term, TermStatus

BROWSERS = (Role.VOLUNTEER, Role.EXPERT, Role.ADMIN)
CURATORS = (Role.EXPERT, Role.ADMIN)
PROPOSERS = (Role.VOLUNTEER, Role.EXPERT, Role.ADMIN)


def can_browse_library(user: User) -> bool:
    return is_role(user, *BROWSERS)


def can_curate(user: User) -> bool:
    """Approve, edit, merge, reject, retire, see every status, history and export."""
    return is_role(user, *CURATORS)


def can_import(user: User) -> bool:
    return is_role(user, Role.ADMIN)


def can_propose(user: User) -> bool:
    return is_role(user, *PROPOSERS)


# Who proposes in the fast lane (their proposals come first in the curation queue). keywords
# owns the registry, the rule lives with the role it is about: the leads app registers "is a lead
# spotter" in its AppConfig.ready(), so keywords never imports leads.
fast_lane_rules: list[Callable[[User], bool]] = []


def register_fast_lane_rule(rule: Callable[[User], bool]) -> None:
    if rule not in fast_lane_rules:
        fast_lane_rules.append(rule)


def proposes_in_fast_lane(user: User) -> bool:
    return can_propose(user) and any(rule(user) for rule in fast_lane_rules)


def visible_terms(user: User) -> QuerySet[Term]:
    if can_curate(user):
        return Term.objects.all()
    if can_browse_library(user):
        return Term.objects.filter(status=TermStatus.APPROVED)
    return Term.objects.none()


def access_term(user: User, term_id: int) -> Term:
    term = visible_terms(user).filter(pk=term_id).first()
    if term is None:
        raise Http404("No such term.")
    return term
