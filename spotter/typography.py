"""Punctuation after a translated label, as each language writes it.

French puts a no-break space before ``:`` (and a narrow one before ``;``, ``?`` and ``!``);
Chinese uses full-width marks; English none of that. Templates write
``{% translate "Reference" %}{% colon %}`` (``{% load typography %}``) instead of a bare ``:``,
so the msgids stay free of punctuation and no translation has to repeat the rule.
"""

from __future__ import annotations

from django.utils.formats import number_format
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


def number(value: float | int, digits: int = 0) -> str:
    """A figure in the active language: grouping and decimal mark (``1,234.5``, ``1 234,5``)."""
    # number_format cuts the decimals it does not show; round first, as "%.0f" does.
    return number_format(
        round(value, digits), decimal_pos=digits, use_l10n=True, force_grouping=True
    )


def percent(value: float, digits: int = 0, language: str | None = None) -> str:
    """``value`` (already × 100) as a percentage: ``95%``, French ``95 %`` (no-break space)."""
    code = (language or get_language() or "").lower()
    sign = NO_BREAK_SPACE + "%" if code.startswith("fr") else "%"
    return number(value, digits) + sign
