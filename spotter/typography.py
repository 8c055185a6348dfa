"""Punctuation after a translated label, as each language writes it.

French puts a no-break space before ``:`` (and a narrow one before ``;``, ``?`` and ``!``);
Chinese uses full-width marks; English none of that. Templates write
``{% translate "Reference" %}{% colon %}`` (``{% load typography %}``) instead of a bare ``:``,
so the msgids stay free of punctuation and no translation has to repeat the rule.
"""

from __future__ import annotations

from django.utils.translation import get_language

NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"
FULL_WIDTH = {":": "：", ";": "；", "?": "？", "!": "！"}


def punctuation(mark: str, language: str | None = None) -> str:
    """``mark`` (one of ``: ; ? !``) as written after a word in ``language`` (default: active)."""
    code = (language or get_language() or "").lower()
    if code.startswith("fr"):
        return (NO_BREAK_SPACE if mark == ":" else NARROW_NO_BREAK_SPACE) + mark
    if code.startswith("zh"):
        return FULL_WIDTH.get(mark, mark)
    return mark


def colon(language: str | None = None) -> str:
    return punctuation(":", language)


def with_colon(label: object, language: str | None = None) -> str:
    """``label`` followed by the colon of ``language`` (e.g. for a label built in Python)."""
    return f"{label}{colon(language)}"
