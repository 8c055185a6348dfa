"""The extraction table: what becomes a seller identifier, in which normal form, and what not."""

from __future__ import annotations

import pytest

from sellers.extract import extract, normalize_handle, phone_regions

CASES = [
    # Phones, several formats and countries, stored as E.164.
    ("call 13800138000", {}, [("phone", "+8613800138000")]),
    ("+86 138-0013-8000", {}, [("phone", "+8613800138000")]),
    (
        "电话 010-12345678 手机13912345678",
        {"language": "zh"},
        [
            ("phone", "+861012345678"),
            ("phone", "+8613912345678"),
        ],
    ),
    ("(415) 555-2671", {}, [("phone", "+14155552671")]),
    ("call 4155552671", {}, [("phone", "+14155552671")]),
    ("tel 020 7946 0958", {"domain": "ebay.co.uk"}, [("phone", "+442079460958")]),
    ("appelez le 06 12 34 56 78", {"domain": "leboncoin.fr"}, [("phone", "+33612345678")]),
    ("+33 6 12 34 56 78", {}, [("phone", "+33612345678")]),
    ("gọi 0912 345 678", {"language": "vi"}, [("phone", "+84912345678")]),
    ("Kupatana: 0754 123 456", {"company_country": "TZ"}, [("phone", "+255754123456")]),
    # WhatsApp numbers are phones, so they link with the same number written anywhere.
    ("WhatsApp +234 803 123 4567", {}, [("phone", "+2348031234567")]),
    ("wa.me/447911123456", {}, [("phone", "+447911123456")]),
    ("https://api.whatsapp.com/send?phone=8613800138000", {}, [("phone", "+8613800138000")]),
    # WeChat.
    ("WeChat: ivory_king88", {}, [("wechat", "ivory_king88")]),
    ("微信：xiangya2020", {}, [("wechat", "xiangya2020")]),
    ("加VX: Pangolin_Shop", {}, [("wechat", "pangolin_shop")]),
    ("wx abc12345", {}, [("wechat", "abc12345")]),
    ("weixin id: shop-hk_1", {}, [("wechat", "shop-hk_1")]),
    ("ＷｅＣｈａｔ：ＩＶＯＲＹ２０２０", {}, [("wechat", "ivory2020")]),  # full-width
    ("微信 13800138000", {}, [("phone", "+8613800138000")]),  # a WeChat number is a phone
    # LINE.
    ("Line ID: tiger.bone", {}, [("line", "tiger.bone")]),
    ("LINE: @horn88", {}, [("line", "horn88")]),
    ("Line: shop_99", {}, [("line", "shop_99")]),
    ("line.me/ti/p/~rhinohorn", {}, [("line", "rhinohorn")]),
    # Telegram.
    ("t.me/ScaleDealer", {}, [("telegram", "scaledealer")]),
    ("telegram.me/hornseller", {}, [("telegram", "hornseller")]),
    ("Telegram @Tortoise_Shell", {}, [("telegram", "tortoise_shell")]),
    ("tg: @ivory_trade", {}, [("telegram", "ivory_trade")]),
    # Email.
    ("mail: Ivory.Seller@QQ.com", {}, [("email", "ivory.seller@qq.com")]),
    ("ivoryshop [at] gmail [dot] com", {}, [("email", "ivoryshop@gmail.com")]),
    ("wx_shop@qq.com", {}, [("email", "wx_shop@qq.com")]),
    # Not identifiers: prices, dates, weights, sizes, listing ids, English "line:".
    ("Price ¥12800, $1,200.00, USD 2500, €1.250,00", {}, []),
    ("posted 2024-05-12, 12/05/2024, 05.12.2024, 1985-1990", {}, []),
    ("500 g, 3.5kg, size 10x20cm, 12 x 8 x 3 cm", {}, []),
    ("item 326598741203, SKU 2071234567, ref 4155552671, order 20240512", {}, []),
    ("Bottom line: great quality", {}, []),
    ("contact me @ gmail.com", {}, []),
    ("Telegram: contact me", {}, []),
]


@pytest.mark.parametrize(("text", "hints", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_extraction_table(text, hints, expected):
    found = [(row.kind, row.value) for row in extract(text=text, **hints)]
    assert found == expected


def test_same_number_in_title_and_text_is_one_identifier_from_the_title():
    rows = extract(title="Ivory, call +86 138 0013 8000", text="phone 13800138000")
    assert [(r.kind, r.value, r.source) for r in rows] == [("phone", "+8613800138000", "title")]


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("Bob", "bob"),
        (" @Bob.Seller ", "bob.seller"),
        ("ＢＯＢ", "bob"),
        ("bob seller", "bobseller"),
        ("https://www.ebay.com/usr/Bob_S", "bob_s"),
        ("www.etsy.com/shop/IvoryCraft/", "ivorycraft"),
        ("", ""),
    ],
)
def test_handle_normal_form(handle, expected):
    assert normalize_handle(handle) == expected


def test_region_hints_most_specific_first():
    regions = phone_regions(domain="ebay.co.uk", company_country="US", language="fr")
    assert regions[:4] == ["GB", "US", "FR", "CN"]
    assert phone_regions()[0] == "US"
