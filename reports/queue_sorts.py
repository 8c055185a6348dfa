"""Extra orderings of the expert queue, filled by higher apps in their AppConfig.ready().

The queue's default is oldest first. An app above reports (verification adds "risk") registers
a :class:`QueueSort`: ``apply(queryset)`` adds what it needs (a join, an annotation) and the
``order_by``; with a ``column`` heading, the queue shows each row's ``sort_value`` annotation
(added by ``apply``) in an extra column. reports renders
the choice without knowing which app provides it, and never imports that app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class QueueSort:
    key: str  # the ?sort= value
    label: Any  # a lazy translation: the option in the queue's "Sort" select
    apply: Callable[[QuerySet], QuerySet]
    column: Any = ""  # heading of the column showing ``sort_value`` ("" for no column)


queue_sorts: dict[str, QueueSort] = {}


def register_queue_sort(sort: QueueSort) -> None:
    queue_sorts[sort.key] = sort


def queue_sort(key: str) -> QueueSort | None:
    """The registered ordering for ``key``; None (the default order) for anything else."""
    return queue_sorts.get(key)
