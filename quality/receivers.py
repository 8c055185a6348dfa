"""How the quality app follows reports: receivers of ``reports.events`` (connected in
``QualityConfig.ready``)."""

from __future__ import annotations

from rechecks.signals import takedown_flagged
from reports import events, fragments

from . import rollups
from .services import assign_second_review


def mark_counters_dirty(sender, *, report, **kwargs) -> None:
    """In the transaction: append the report to the backlog (an INSERT, no shared row); the
    counters are brought up to date by ``rollups.refresh`` within seconds."""
    rollups.mark_dirty(report.pk)


def sample_second_review(sender, *, report, action, **kwargs) -> None:
    """In the transaction: after a confirm or reject, maybe sample it for a blind second
    review, so the sampling commits (and hides the case from other experts) with the verdict."""
    if action in events.DECIDED:
        assign_second_review(report)


def refresh_counters(sender, **kwargs) -> None:
    """The embedded worker loop's pass: what beat's ``quality.tasks.refresh_rollups`` does."""
    rollups.refresh()


def on_takedown_flagged(sender, **kwargs) -> None:
    """Cache invalidation only: the programme dashboard counts rechecks' outcome discrepancies
    (reports/fragments.py, scope ``flags``)."""
    fragments.bump_now_and_on_commit(["flags"])


def connect() -> None:
    takedown_flagged.connect(on_takedown_flagged, dispatch_uid="quality.fragments")
    events.report_changed.connect(mark_counters_dirty, dispatch_uid="quality.counters")
    events.report_changed.connect(sample_second_review, dispatch_uid="quality.second_review")
    events.worker_tick.connect(refresh_counters, dispatch_uid="quality.refresh_counters")
