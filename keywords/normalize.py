"""One normal form for terms and listing text, so a term matches however a trader spells it.

Steps, in order (``normalize`` is the single source of truth, used for terms and text alike):

1. Unicode NFKC: compatibility forms fold to their plain form — full-width Latin letters and
   digits become half-width (``ＩＶＯＲＹ`` → ``IVORY``), ligatures split, the ideographic space
   becomes a space.
2. ``str.casefold()`` (stronger than lower(): ``ß`` → ``ss``).
3. Traditional → Simplified Chinese with OpenCC's ``t2s`` dictionaries (``象牙雕刻`` stays,
   ``穿山甲鱗片`` → ``穿山甲鳞片``), so Traditional variants never need their own terms.
4. Separator tricks: a *separator* is any whitespace or one of ``SEPARATORS``. The text is cut
   into words at separator runs. Where two neighbouring words are each ONE letter (``str.isalpha``,
   which includes CJK characters), the separators between them are dropped: ``i v o r y``,
   ``i.v.o.r.y``, ``i-v-o-r-y``, ``象.牙`` and ``象 牙`` all become ``ivory`` / ``象牙``. Digits are
   not letters, so ``3.5 kg`` keeps its dot. Every other separator run containing whitespace
   becomes one space; a run without whitespace is kept as written (``象牙-雕刻``).

Known over-joining: two genuine one-letter words (``a b``) are joined too; acceptable for
matching, and the same rule applies to the terms so nothing is lost.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# Punctuation traders put between letters to dodge filters (after NFKC, so full-width forms
# such as "．" and "－" have already become these).
SEPARATORS = frozenset(".-_*·•・/|~+,'")

_converter = opencc.OpenCC("t2s")


def _is_separator(char: str) -> bool:
    return char.isspace() or char in SEPARATORS


def _words(text: str) -> list[tuple[str, str]]:
    """``[(separator run before the word, word), ...]`` plus a final ``(trailing run, "")``."""
    parts: list[tuple[str, str]] = []
    sep, word = [], []
    for char in text:
        if _is_separator(char):
            if word:
                parts.append(("".join(sep), "".join(word)))
                sep, word = [], []
            sep.append(char)
        else:
            word.append(char)
    parts.append(("".join(sep), "".join(word)))
    return parts


def _single_letter(word: str) -> bool:
    return len(word) == 1 and word.isalpha()


def _join_separators(text: str) -> str:
    out: list[str] = []
    previous = ""
    for sep, word in _words(text):
        if sep and not (_single_letter(previous) and _single_letter(word)):
            out.append(" " if any(c.isspace() for c in sep) else sep)
        out.append(word)
        previous = word
    return "".join(out).strip()


# No key of OpenCC's t2s dictionaries contains an ASCII character, so no conversion spans one:
# converting only the runs of non-ASCII text gives the same result as converting the whole text
# (tests/keywords/test_normalize_matcher.py checks it), skips the pure-Python converter for
# Latin text (most of its cost) and lets the per-run cache serve text typed a word at a time.
_NON_ASCII_RUNS = re.compile(r"([^\x00-\x7f]+)")


@lru_cache(maxsize=16384)
def _convert_run(run: str) -> str:
    return _converter.convert(run)


def to_simplified(text: str) -> str:
    if text.isascii():
        return text
    parts = _NON_ASCII_RUNS.split(text)
    parts[1::2] = [_convert_run(run) for run in parts[1::2]]
    return "".join(parts)


def normalize(text: str) -> str:
    """The normal form of ``text`` (see the module docstring for the exact rules)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = to_simplified(text)
    return _join_separators(text)
