"""Suggestions while a volunteer types a listing's title and text (htmx, on the flag form).

POST ``listing_title`` and ``listing_text`` (the form's own fields, CSRF token included); the
answer is an HTML fragment: the approved terms found, the species group(s) and the product type
most frequent among them, each with a button that fills the form (static/js/keyword_suggest.js).
Each field is cut to ``MAX_CHARS`` before matching: a longer paste is truncated, never refused.
Server time is one aggregate (the library version) and two small queries for the matched terms;
docs/benchmarks.md has the figures at 4,000 approved terms.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_POST

from reports.gates import submission_problem
from reports.models import ProductType, SpeciesGroup
from spotter.decorators import role_required
from spotter.models import Role, User
from spotter.permissions import is_role

from . import matcher
from .models import Term, TermStatus
from .normalize import normalize

MAX_CHARS = 5_000
MAX_TERMS_SHOWN = 12
FIELDS = ("listing_title", "listing_text")


@dataclass
class Suggestions:
    terms: list[Term] = field(default_factory=list)  # in order of first appearance
    groups: list[SpeciesGroup] = field(default_factory=list)  # the most frequent (ties: all)
    product_type: ProductType | None = None  # the most frequent (ties: catalogue order)
    truncated: bool = False


def may_get_suggestions(user: User) -> bool:
    """Whoever may flag a listing: a volunteer with nothing barring submission (training)."""
    return is_role(user, Role.VOLUNTEER) and submission_problem(user) is None


def suggest(texts: list[str]) -> Suggestions:
    """The approved terms in ``texts`` (each cut to MAX_CHARS) and what they point to."""
    machine = matcher.automaton()
    truncated = any(len(text) > MAX_CHARS for text in texts)
    order: dict[int, None] = {}
    for text in texts:
        for hit in matcher.scan(normalize(text[:MAX_CHARS]), machine):
            order.setdefault(hit.term_id, None)
    if not order:
        return Suggestions(truncated=truncated)
    by_id = {
        term.pk: term
        for term in Term.objects.filter(pk__in=list(order), status=TermStatus.APPROVED)
        .select_related("product_type")
        .prefetch_related("species_groups")
    }
    terms = [by_id[pk] for pk in order if pk in by_id]
    return Suggestions(
        terms=terms[:MAX_TERMS_SHOWN],
        groups=_most_frequent([g for t in terms for g in t.species_groups.all()], all_ties=True),
        product_type=next(
            iter(_most_frequent([t.product_type for t in terms if t.product_type])), None
        ),
        truncated=truncated,
    )


def _most_frequent(items: list, *, all_ties: bool = False) -> list:
    """The most frequent item(s); ties in the catalogue's order (``order``, then name)."""
    if not items:
        return []
    counts = Counter(items)
    top = max(counts.values())
    best = sorted(
        (item for item, count in counts.items() if count == top),
        key=lambda item: (item.order, str(item.name)),
    )
    return best if all_ties else best[:1]


@require_POST
@role_required(Role.VOLUNTEER)
def suggestions(request):
    started = time.perf_counter()
    if not may_get_suggestions(request.user):
        raise PermissionDenied
    result = suggest([str(request.POST.get(name, "")) for name in FIELDS])
    response = render(request, "keywords/suggestions.html", {"suggestions": result})
    response["Server-Timing"] = f"suggest;dur={(time.perf_counter() - started) * 1000:.1f}"
    response["Cache-Control"] = "no-store"
    return response
