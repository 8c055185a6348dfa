"""Hooks called by the transition services to keep dashboard counters incremental.

They run inside the transition's transaction, so the counters commit (or roll back) with the
change itself. The work is done by ``quality.rollups.sync``, which diffs what the report
counted before with what it counts now; see that module and docs/quality.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Report


def _sync(report: Report) -> None:
    from quality.rollups import sync

    sync(report)


def on_submitted(report: Report) -> None:
    _sync(report)


def on_decided(report: Report) -> None:
    _sync(report)


def on_forwarded(report: Report) -> None:
    _sync(report)


def on_outcome(report: Report) -> None:
    _sync(report)
