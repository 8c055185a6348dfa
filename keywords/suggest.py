"""Suggestions while a volunteer types a listing's title and text (htmx, on the flag form).

POST ``listing_title`` and ``listing_text`` (the form's own fields, CSRF token included); the
answer is an HTML fragment: the approved terms found, the species group(s) and the product type
most frequent among them, each with a button that fills the form (static/js/keyword_suggest.js);
then what the registered suggesters (``keywords.suggesters``, e.g. verification's model) add.
Each field is cut to ``MAX_CHARS`` before matching: a longer paste is truncated, never refused.
Server time is one aggregate query (the library version; the terms' display data is cached per
version like the automaton) plus the session and certificate checks every page makes;
docs/benchmarks.md has the figures at 4,000 approved terms.
"""

from __future__ import annotations

import threading
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
from .models import Term, TermKind, TermStatus
from .normalize import normalize
from .suggesters import ExtraSuggestion, extra_suggestions

MAX_CHARS = 5_000
MAX_TERMS_SHOWN = 12
FIELDS = ("listing_title", "listing_text")


@dataclass(frozen=True)
class TermInfo:
    """What the fragment shows of an approved term (cached per library version)."""

    id: int
    text: str
    kind: str
    language: str
    groups: tuple[SpeciesGroup, ...]
    product_type: ProductType | None

    def get_kind_display(self) -> str:
        return TermKind(self.kind).label


@dataclass
class Suggestions:
    terms: list[TermInfo] = field(default_factory=list)  # in order of first appearance
    groups: list[SpeciesGroup] = field(default_factory=list)  # the most frequent (ties: all)
    product_type: ProductType | None = None  # the most frequent (ties: catalogue order)
    truncated: bool = False
    extra: list[ExtraSuggestion] = field(default_factory=list)  # e.g. the model's


_lock = threading.Lock()
_cache: dict = {"version": None, "terms": {}}


def _approved_terms(version: tuple | None) -> dict[int, TermInfo]:
    """Every approved term's display data, read (four queries) once per library version, so a
    suggestion costs no query beyond the matcher's version check."""
    with _lock:
        if _cache["version"] != version or version is None:
            approved = Term.objects.filter(status=TermStatus.APPROVED)
            groups = {g.pk: g for g in SpeciesGroup.objects.all()}
            products = {p.pk: p for p in ProductType.objects.all()}
            term_groups: dict[int, list[SpeciesGroup]] = {}
            through = Term.species_groups.through.objects.filter(term__in=approved)
            for term_id, group_id in through.values_list("term_id", "speciesgroup_id"):
                term_groups.setdefault(term_id, []).append(groups[group_id])
            _cache["terms"] = {
                pk: TermInfo(
                    pk,
                    text,
                    kind,
                    language,
                    tuple(term_groups.get(pk, ())),
                    products.get(product_id),
                )
                for pk, text, kind, language, product_id in approved.values_list(
                    "id", "text", "kind", "language", "product_type_id"
                )
            }
            _cache["version"] = version
        return _cache["terms"]


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
    approved = _approved_terms(matcher.built_version())
    terms = [approved[pk] for pk in order if pk in approved]
    products = [t.product_type for t in terms if t.product_type]
    return Suggestions(
        terms=terms[:MAX_TERMS_SHOWN],
        groups=_most_frequent([g for t in terms for g in t.groups], all_ties=True),
        product_type=next(iter(_most_frequent(products)), None),
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
    started, cpu_started = time.perf_counter(), time.thread_time()
    if not may_get_suggestions(request.user):
        raise PermissionDenied
    texts = [str(request.POST.get(name, "")) for name in FIELDS]
    result = suggest(texts)
    result.extra = extra_suggestions(*(text[:MAX_CHARS] for text in texts))
    response = render(request, "keywords/suggestions.html", {"suggestions": result})
    wall_ms = (time.perf_counter() - started) * 1000
    cpu_ms = (time.thread_time() - cpu_started) * 1000
    response["Server-Timing"] = f"suggest;dur={wall_ms:.1f}, cpu;dur={cpu_ms:.1f}"
    response["Cache-Control"] = "no-store"
    return response
