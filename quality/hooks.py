"""Entry points called by ``reports.services`` inside its transition transactions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.models import Report


def after_decision(report: Report) -> None:
    """An expert confirmed or rejected ``report``: maybe sample it for a blind second review."""
    from .services import assign_second_review

    assign_second_review(report)
