"""Store the approved terms found in a report's listing title and text."""

from __future__ import annotations

from reports.models import Report

from . import matcher
from .models import MatchField, ReportMatch
from .normalize import normalize


def match_report(report: Report) -> list[ReportMatch]:
    """Replace the report's matches with the first hit of each term in each field."""
    machine = matcher.automaton()
    rows: dict[tuple[int, str], ReportMatch] = {}
    for field, text in (
        (MatchField.TITLE, report.listing_title),
        (MatchField.TEXT, report.listing_text),
    ):
        for hit in matcher.scan(normalize(text), machine):
            rows.setdefault(
                (hit.term_id, field),
                ReportMatch(
                    report=report,
                    term_id=hit.term_id,
                    field=field,
                    matched_text=hit.matched_text,
                    start=hit.start,
                    end=hit.end,
                ),
            )
    ReportMatch.objects.filter(report=report).delete()
    return ReportMatch.objects.bulk_create(rows.values())
