"""Normalisation rules and the Aho–Corasick matcher against a naive reference (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keywords import matcher
from keywords.normalize import SEPARATORS, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("i v o r y", "ivory"),
        ("i.v.o.r.y", "ivory"),
        ("I-V-O-R-Y bangle", "ivory bangle"),
        ("象.牙", "象牙"),
        ("象 牙", "象牙"),
        ("象　牙", "象牙"),  # ideographic space
        ("ＩＶＯＲＹ", "ivory"),  # full-width
        ("Rhino   HORN", "rhino horn"),
        ("穿山甲鱗片", "穿山甲鳞片"),  # Traditional → Simplified
        ("犀牛角 RHINO horn", "犀牛角 rhino horn"),
        ("3.5 kg", "3.5 kg"),  # digits keep their separators
        ("象牙-雕刻", "象牙-雕刻"),  # separators between words are kept
        ("Straße", "strasse"),  # casefold
        ("  padded\n\ttext  ", "padded text"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_documented_separators_are_not_letters():
    assert not any(c.isalpha() for c in SEPARATORS)


ALPHABET = "abc象牙鱗 .-"
texts = st.text(alphabet=ALPHABET, max_size=40)
terms = st.lists(st.text(alphabet="abc象牙鱗 ", min_size=1, max_size=5), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(terms=terms, text=texts)
def test_matcher_agrees_with_naive_reference(terms, text):
    keys = [(i, normalize(t)) for i, t in enumerate(terms)]
    machine = matcher.build(keys)
    normalized = normalize(text)
    found = {hit.term_id for hit in matcher.scan(normalized, machine)}
    naive = {i for i, key in keys if key and key in normalized}
    assert found == naive
    for hit in matcher.scan(normalized, machine):
        assert normalized[hit.start : hit.end] == hit.matched_text


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="abcXYZ象牙鱗ＡＢ .-_·\t", max_size=40))
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


def test_build_with_no_terms():
    assert matcher.build([]) is None
    assert matcher.scan("ivory", None) == []
