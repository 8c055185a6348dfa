"""Marks inside a listing's title and text, provided by higher apps in AppConfig.ready().

Each entry is ``callable(report, field) -> SafeString | None`` with ``field`` "title" or
"text": the field as safe HTML (every character of the listing escaped, line breaks of the text
as ``<br>``, marks added), or None to leave it to the next one. reports renders the first
answer, or the plain escaped text, without knowing which app provides it (keywords marks its
matched terms).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape

listing_highlighters: list[Callable[[Any, str], str | None]] = []


def register_listing_highlighter(highlighter: Callable[[Any, str], str | None]) -> None:
    if highlighter not in listing_highlighters:
        listing_highlighters.append(highlighter)


def highlighted_field(report, field: str) -> str:
    """The listing's title (``"title"``) or text (``"text"``) as safe HTML."""
    for highlighter in listing_highlighters:
        html = highlighter(report, field)
        if html is not None:
            return html
    if field == "text":
        return linebreaksbr(report.listing_text or "", autoescape=True)
    return escape(report.listing_title or "")
