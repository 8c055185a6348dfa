"""to_simplified converts only the non-ASCII runs: the same result as OpenCC on the whole text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from keywords.normalize import _converter, to_simplified

PIECES = list("穿山甲鱗片象牙雕刻龜殼犀牛角藥材虎骨酒髮乾隆 ab-.,!?，。、（）") + [
    "ivory",
    "鱗片",
    "乾隆年間",
    "頭髮",
    "龜甲",
    "\u3000",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_same_as_converting_the_whole_text(text):
    assert to_simplified(text) == _converter.convert(text)


def test_examples():
    assert to_simplified("穿山甲鱗片 and 龜殼, 乾隆年間") == _converter.convert(
        "穿山甲鱗片 and 龜殼, 乾隆年間"
    )
    assert to_simplified("plain ascii") == "plain ascii"
