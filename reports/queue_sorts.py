"""The expert queue's orderings by name: what ``?sort=`` may say.

reports registers its own (oldest first — the default —, newest, CITES Appendix I first, species
group); an app above reports (verification adds "risk") registers
a :class:`QueueSort`: ``apply(queryset)`` adds what it needs (a join, an annotation) and the
``order_by``; with a ``column`` heading, the queue shows each row's ``sort_value`` annotation
(added by ``apply``) in an extra column. reports renders
the choice without knowing which app provides it, and never imports that app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class QueueSort:
    key: str  # the ?sort= value
    label: Any  # a lazy translation: the option in the queue's "Sort" select
    apply: Callable[[QuerySet], QuerySet]
    column: Any = ""  # heading of the column showing ``sort_value`` ("" for no column)


queue_sorts: dict[str, QueueSort] = {}


def register_queue_sort(sort: QueueSort) -> None:
    queue_sorts[sort.key] = sort


def queue_sort(key: str) -> QueueSort:
    """The registered ordering for ``key``; the default (oldest first) for anything else."""
    return queue_sorts.get(key) or queue_sorts[DEFAULT_QUEUE_SORT]


def _ordered(*ordering) -> Callable[[QuerySet], QuerySet]:
    # Every ordering ends with "id", so pages and "next in queue" are stable.
    return lambda queryset: queryset.order_by(*ordering)


DEFAULT_QUEUE_SORT = "oldest"
for _sort in (
    QueueSort("oldest", _("Oldest first"), _ordered(F("submitted_at").asc(), F("id").asc())),
    QueueSort("newest", _("Newest first"), _ordered(F("submitted_at").desc(), F("id").desc())),
    # "I" < "II" < "III" as text; reports without a catalogue species come last.
    QueueSort(
        "cites",
        _("CITES Appendix I first"),
        _ordered(F("species__cites_appendix").asc(nulls_last=True), F("submitted_at"), F("id")),
    ),
    QueueSort(
        "group",
        _("Species group"),
        _ordered(
            F("species__group__order").asc(nulls_last=True),
            F("species__group__slug").asc(nulls_last=True),
            F("submitted_at"),
            F("id"),
        ),
    ),
):
    register_queue_sort(_sort)
