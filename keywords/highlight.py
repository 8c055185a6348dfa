"""Matched terms in ``<mark>`` inside a listing's own title and text (review page, notices).

``ReportMatch.start``/``end`` index the *normalised* field, while the page shows the text as the
volunteer captured it. ``normalized_offsets`` repeats keywords.normalize step by step while
remembering, for every character of the normal form, which characters of the original it came
from; the result is checked against ``normalize`` itself, and if the two ever differ (an input
the step-by-step mapping does not reproduce) the highlighter falls back to marking the matched
term's occurrences in the original text case-insensitively. Everything outside the marks is
HTML-escaped, so a hostile listing cannot inject markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import MatchField, ReportMatch
from .normalize import _NON_ASCII_RUNS, _convert_run, _is_separator, normalize

Span = tuple[int, int]  # [start, end) in the original text


def _fold(text: str) -> tuple[str, list[Span]]:
    """NFKC + casefold, one cluster (a character and its combining marks) at a time."""
    chars: list[str] = []
    spans: list[Span] = []
    i = 0
    while i < len(text):
        k = i + 1
        while k < len(text) and unicodedata.combining(text[k]):
            k += 1
        piece = unicodedata.normalize("NFKC", text[i:k]).casefold()
        chars.append(piece)
        spans.extend([(i, k)] * len(piece))
        i = k
    return "".join(chars), spans


def _simplify(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Traditional → Simplified per non-ASCII run (as normalize.to_simplified); a run whose
    length changes maps each of its characters to the whole run."""
    out: list[str] = []
    out_spans: list[Span] = []
    position = 0
    for index, part in enumerate(_NON_ASCII_RUNS.split(text)):
        part_spans = spans[position : position + len(part)]
        position += len(part)
        converted = _convert_run(part) if index % 2 else part
        if len(converted) != len(part):
            whole = (part_spans[0][0], part_spans[-1][1]) if part_spans else (0, 0)
            part_spans = [whole] * len(converted)
        out.append(converted)
        out_spans.extend(part_spans)
    return "".join(out), out_spans


def _join(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """normalize._join_separators, keeping each output character's span."""
    words: list[tuple[list[int], list[int]]] = []  # (separator indexes, word indexes)
    sep: list[int] = []
    word: list[int] = []
    for index, char in enumerate(text):
        if _is_separator(char):
            if word:
                words.append((sep, word))
                sep, word = [], []
            sep.append(index)
        else:
            word.append(index)
    words.append((sep, word))

    def single_letter(indexes: list[int]) -> bool:
        return len(indexes) == 1 and text[indexes[0]].isalpha()

    out: list[tuple[str, Span]] = []
    previous: list[int] = []
    for sep, word in words:
        if sep and not (single_letter(previous) and single_letter(word)):
            if any(text[i].isspace() for i in sep):
                out.append((" ", (spans[sep[0]][0], spans[sep[-1]][1])))
            else:
                out.extend((text[i], spans[i]) for i in sep)
        out.extend((text[i], spans[i]) for i in word)
        previous = word
    while out and out[0][0].isspace():
        out.pop(0)
    while out and out[-1][0].isspace():
        out.pop()
    return "".join(c for c, _ in out), [span for _, span in out]


def normalized_offsets(text: str) -> list[Span] | None:
    """For each character of ``normalize(text)``, the span of ``text`` it comes from; None if
    the step-by-step mapping does not reproduce ``normalize`` exactly."""
    folded, spans = _fold(text or "")
    simplified, spans = _simplify(folded, spans)
    joined, spans = _join(simplified, spans)
    return spans if joined == normalize(text) else None


def _to_original(offsets: list[Span], normalized_spans: Iterable[Span]) -> list[Span]:
    """Spans of the normalised text as spans of the original (merged, in order)."""
    return _merge(
        [
            (offsets[start][0], offsets[end - 1][1])
            for start, end in normalized_spans
            if 0 <= start < end <= len(offsets)
        ]
    )


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _html(text: str, *, linebreaks: bool) -> str:
    escaped = escape(text)
    if linebreaks:
        escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return escaped


def mark_spans(text: str, spans: list[Span], *, linebreaks: bool = False) -> SafeString:
    """``text`` escaped, with each span in ``<mark>``."""
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(_html(text[position:start], linebreaks=linebreaks))
        out.append("<mark>" + _html(text[start:end], linebreaks=linebreaks) + "</mark>")
        position = end
    out.append(_html(text[position:], linebreaks=linebreaks))
    return mark_safe("".join(out))  # noqa: S308 — every piece of text went through escape()


def term_spans(text: str, matched: Iterable[str], stored: Iterable[Span] = ()) -> list[Span]:
    """The ``stored`` spans (ReportMatch start/end: the first occurrence of each term) and every
    other occurrence of each normalised term in ``text``, as spans of the original."""
    normalized = normalize(text)
    matched = list(matched)
    found: list[Span] = [(start, end) for start, end in stored if normalized[start:end] in matched]
    for key in set(matched):
        start = normalized.find(key) if key else -1
        while start != -1:
            found.append((start, start + len(key)))
            start = normalized.find(key, start + 1)
    if not found:
        return []
    offsets = normalized_offsets(text)
    if offsets is not None:
        return _to_original(offsets, found)
    # Fallback (the mapping did not reproduce normalize): the terms as written, ignoring case.
    pattern = re.compile("|".join(re.escape(key) for key in set(matched) if key), re.IGNORECASE)
    return _merge([m.span() for m in pattern.finditer(text)])


FIELD_OF = {"title": MatchField.TITLE, "text": MatchField.TEXT}


def report_matches(report) -> list[ReportMatch]:
    """The report's matches, read once per report object (title and text share them)."""
    cached = getattr(report, "_keyword_matches", None)
    if cached is None:
        cached = list(ReportMatch.objects.filter(report=report))
        report._keyword_matches = cached
    return cached


def highlight_listing(report, field: str) -> SafeString | None:
    """reports.highlights hook: the title or text with its matched terms marked; None when
    nothing matched (reports then renders the plain text)."""
    if field not in FIELD_OF:
        return None
    text = report.listing_title if field == "title" else report.listing_text
    matches = [m for m in report_matches(report) if m.field == FIELD_OF[field]]
    if not text or not matches:
        return None
    spans = term_spans(text, [m.matched_text for m in matches], [(m.start, m.end) for m in matches])
    if not spans:
        return None
    return mark_spans(text, spans, linebreaks=field == "text")
