"""Column guesses from English, French and Chinese headers, and the corrected mapping."""

import pytest

from intake.mapping import check_mapping, guess_mapping
from spotter.errors import InvalidInput


def test_english_headers():
    headers = ["URL", "Title", "Species", "Product type", "Price", "Currency", "Seller"]
    headers += ["Location", "Language", "Listing text", "Notes", "Observed date", "Quantity"]
    assert guess_mapping(headers) == {
        "listing_url": 0, "listing_title": 1, "species": 2, "product_type": 3, "price": 4,
        "currency": 5, "seller_handle": 6, "listing_location": 7, "listing_language": 8,
        "listing_text": 9, "notes": 10, "observed_on": 11, "quantity": 12,
    }  # fmt: skip


def test_french_headers():
    headers = ["Lien", "Titre de l'annonce", "Espèce", "Type de produit", "Prix", "Devise",
               "Vendeur", "Lieu", "Langue", "Texte", "Remarques", "Date d'observation"]  # fmt: skip
    guessed = guess_mapping(headers)
    assert guessed == {
        "listing_url": 0, "listing_title": 1, "species": 2, "product_type": 3, "price": 4,
        "currency": 5, "seller_handle": 6, "listing_location": 7, "listing_language": 8,
        "listing_text": 9, "notes": 10, "observed_on": 11,
    }  # fmt: skip


def test_chinese_headers():
    headers = ["链接", "标题", "物种", "产品类型", "价格", "货币", "卖家", "地点", "语言",
               "描述", "备注", "发现日期"]  # fmt: skip
    assert guess_mapping(headers) == {
        "listing_url": 0, "listing_title": 1, "species": 2, "product_type": 3, "price": 4,
        "currency": 5, "seller_handle": 6, "listing_location": 7, "listing_language": 8,
        "listing_text": 9, "notes": 10, "observed_on": 11,
    }  # fmt: skip


def test_unknown_headers_are_left_out_and_first_column_wins():
    assert guess_mapping(["foo", "url", "link", "bar"]) == {"listing_url": 1}


def test_check_mapping_accepts_numbers_and_header_names():
    headers = ["a", "b", "c", "d"]
    mapping = {"listing_url": 0, "listing_title": "1", "species": "c", "product_type": 3}
    assert check_mapping(mapping, headers) == {
        "listing_url": 0, "listing_title": 1, "species": 2, "product_type": 3
    }  # fmt: skip


@pytest.mark.parametrize(
    ("mapping", "field"),
    [
        ({"listing_url": 0, "listing_title": 1, "species": 2}, "mapping.product_type"),
        (
            {"listing_url": 9, "listing_title": 1, "species": 2, "product_type": 3},
            "mapping.listing_url",
        ),
        (
            {"listing_url": 0, "listing_title": 0, "species": 2, "product_type": 3},
            "mapping.listing_title",
        ),
        (
            {"colour": 0, "listing_url": 0, "listing_title": 1, "species": 2, "product_type": 3},
            "mapping.colour",
        ),
        (
            {"listing_url": [0], "listing_title": 1, "species": 2, "product_type": 3},
            "mapping.listing_url",
        ),
        ([1, 2], "mapping"),
    ],
)
def test_bad_mappings_name_the_field(mapping, field):
    with pytest.raises(InvalidInput) as refused:
        check_mapping(mapping, ["a", "b", "c", "d"])
    assert field in refused.value.errors
