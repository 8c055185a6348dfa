"""Extra suggestions for the suggest-while-typing box, filled by apps above keywords.

keywords may not import them (verification sits above it), so it owns this registry: each
entry is a callable ``(title, text) -> ExtraSuggestion | None`` that the suggest view calls
with the (truncated) fields; verification registers its model's suggester in ``ready()``.
A suggester must read only: the suggest view changes nothing. One that fails is logged and
skipped, so the keyword suggestions still show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from reports.models import ProductType, SpeciesGroup

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtraSuggestion:
    label: str  # e.g. "The model suggests" (translated by the registering app)
    note: str  # says it is a suggestion and the volunteer decides
    group: SpeciesGroup | None = None
    group_probability: float | None = None
    product_type: ProductType | None = None
    product_probability: float | None = None

    @property
    def group_percent(self) -> int:
        return round((self.group_probability or 0) * 100)

    @property
    def product_percent(self) -> int:
        return round((self.product_probability or 0) * 100)


Suggester = Callable[[str, str], "ExtraSuggestion | None"]
suggesters: list[Suggester] = []


def register_suggester(suggester: Suggester) -> None:
    if suggester not in suggesters:
        suggesters.append(suggester)


def extra_suggestions(title: str, text: str) -> list[ExtraSuggestion]:
    found = []
    for suggester in suggesters:
        try:
            extra = suggester(title, text)
        except Exception:  # noqa: BLE001 — a failing suggester must not break the box
            log.warning("Suggester %r failed; skipped.", suggester, exc_info=True)
            continue
        if extra is not None and (extra.group is not None or extra.product_type is not None):
            found.append(extra)
    return found
