"""Aho–Corasick over the normalised approved terms, built once per library version.

The automaton lives in this process and is rebuilt only when the library's version changes.
The version is read from the database — (number of terms, latest ``updated_at``) — so every
writer (services, the loader, the admin) invalidates it without remembering to bump a cache key;
that is one cheap aggregate query per scan, never a rebuild per request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import ahocorasick
from django.db.models import Count, Max

from .models import Term, TermStatus
from .normalize import normalize


@dataclass(frozen=True)
class Hit:
    term_id: int
    matched_text: str  # the normalised term as found
    start: int  # index in the normalised text
    end: int  # exclusive


_lock = threading.Lock()
_state: dict = {"version": None, "automaton": None}


def library_version() -> tuple:
    row = Term.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (row["n"], row["latest"])


def build(terms: list[tuple[int, str]]) -> ahocorasick.Automaton | None:
    """An automaton over ``(term id, normalised text)`` pairs; None when there are none."""
    by_key: dict[str, list[int]] = {}
    for term_id, key in terms:
        if key:
            by_key.setdefault(key, []).append(term_id)
    if not by_key:
        return None
    automaton = ahocorasick.Automaton()
    for key, ids in by_key.items():
        automaton.add_word(key, (key, tuple(ids)))
    automaton.make_automaton()
    return automaton


def automaton() -> ahocorasick.Automaton | None:
    version = library_version()
    with _lock:
        if _state["version"] != version:
            approved = Term.objects.filter(status=TermStatus.APPROVED).values_list(
                "id", "normalized"
            )
            _state["automaton"] = build(list(approved))
            _state["version"] = version
        return _state["automaton"]


def built_version() -> tuple | None:
    """The library version the cached automaton was built for (call ``automaton()`` first)."""
    return _state["version"]


def scan(normalized_text: str, machine: ahocorasick.Automaton | None) -> list[Hit]:
    """Every occurrence of every term in already-normalised text."""
    if machine is None or not normalized_text:
        return []
    hits = []
    for end, (key, ids) in machine.iter(normalized_text):
        start = end - len(key) + 1
        hits.extend(Hit(term_id, key, start, end + 1) for term_id in ids)
    return hits


def find(text: str) -> list[Hit]:
    """Approved terms in ``text`` (normalised here)."""
    return scan(normalize(text), automaton())
