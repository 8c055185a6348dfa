"""Hooks called by the transition services to keep dashboard counters incremental.

The dashboards issue fills these in; they run inside the transition's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Report


def on_submitted(report: Report) -> None:
    pass


def on_decided(report: Report) -> None:
    pass


def on_forwarded(report: Report) -> None:
    pass


def on_outcome(report: Report) -> None:
    pass
