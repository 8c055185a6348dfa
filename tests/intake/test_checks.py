"""Every kind of row error, with the report form's own rules, and duplicates."""

import pytest

from intake import services
from intake.models import RowStatus
from tests import factories

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = "url,title,species,product type,price,currency,quantity,language,observed\n"
EBAY = "https://www.ebay.com/itm/123456789012"
VALID = f"{EBAY},Pangolin scales,Manis pentadactyla,scales,120,USD,1,en,2026-01-31"
P = "https://a.example.com/1,t,Manis pentadactyla,"  # URL, title, species


def batch_of(user, *rows):
    return services.create_batch(
        uploader=user, file_name="f.csv", data=csv_bytes(*rows, header=HEADER)
    )


def problems(batch) -> dict[int, list[tuple[str, str]]]:
    return {
        row.number: [(e["field"], e["message"]) for e in row.errors]
        for row in batch.rows.filter(status=RowStatus.ERROR)
    }


def test_valid_row_values(expert, catalogue):
    batch = batch_of(expert, VALID)
    assert (batch.valid_rows, batch.error_rows) == (1, 0)
    values = batch.rows.get().values
    assert values["listing_url"] == "https://www.ebay.com/itm/123456789012"
    assert values["price"] == "120.00" and values["currency"] == "USD"
    assert values["quantity"] == 1 and values["listing_language"] == "en"
    assert values["observed_on"] == "2026-01-31"


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("notaurl,t,Manis pentadactyla,scales,,,,,", "listing_url", "http"),
        ("ftp://a.example.com/1,t,Manis pentadactyla,scales,,,,,", "listing_url", "http"),
        ("https://a.example.com/1,t,Unicornus,scales,,,,,", "species", "Unknown species"),
        ("https://a.example.com/1,t,,scales,,,,,", "species", "species"),
        (P + "spaceship,,,,,", "product_type", "Unknown product"),
        (P + ",,,,,", "product_type", "required"),
        ("https://a.example.com/1,,Manis pentadactyla,scales,,,,,", "listing_title", "required"),
        (P + "scales,abc,USD,,,", "price", "number"),
        (P + "scales,-5,USD,,,", "price", "number"),
        (P + "scales,5,,,,", "currency", "currency"),
        (P + "scales,5,dollars,,,", "currency", "three-letter"),
        (P + "scales,,,0,,", "quantity", "whole number"),
        (P + "scales,,,,klingon,", "listing_language", "Unknown language"),
        (P + "scales,,,,,31/31/2026", "observed_on", "date"),
        (P + "scales,,,,,2999-01-01", "observed_on", "future"),
    ],
)
def test_each_error_kind_names_its_field(expert, catalogue, row, field, words):
    batch = batch_of(expert, row)
    assert batch.error_rows == 1
    found = problems(batch)[2]
    assert any(name == field and words.lower() in message.lower() for name, message in found), found


def test_species_and_product_types_in_three_languages(expert, catalogue):
    batch = batch_of(
        expert,
        "https://a.example.com/1,t,Chinese pangolin,Scales,,,,English,",
        "https://a.example.com/2,t,pangolin de Chine,Écailles,,,,français,",
        "https://a.example.com/3,t,中华穿山甲,鳞片,,,,中文,",
        "https://a.example.com/4,t,MANIS PENTADACTYLA,ivory,,,,fr,",
    )
    assert batch.error_rows == 0, problems(batch)
    species = {row.values["species"] for row in batch.rows.all()}
    assert len(species) == 1
    assert [r.values["listing_language"] for r in batch.rows.order_by("number")] == [
        "en",
        "fr",
        "zh",
        "fr",
    ]


def test_duplicates_within_the_file(expert, catalogue):
    batch = batch_of(
        expert,
        "https://www.ebay.com/itm/123456789012,a,Manis pentadactyla,scales,,,,,",
        "https://www.ebay.co.uk/itm/some-title/123456789012?utm_source=x,b,"
        "Manis pentadactyla,scales,,,,,",
        "https://a.example.com/p?id=1&utm_source=mail,c,Manis pentadactyla,scales,,,,,",
        "https://A.EXAMPLE.com/p?id=1#top,d,Manis pentadactyla,scales,,,,,",
    )
    found = problems(batch)
    assert set(found) == {3, 5}
    assert "row 2" in found[3][0][1] and "row 4" in found[5][0][1]


def test_duplicates_of_open_reports_but_not_of_closed_ones(expert, catalogue):
    open_report = factories.make_report(url="https://www.ebay.com/itm/123456789012")
    withdrawn = factories.make_report(url="https://www.example-shop.com/item/5")
    from reports import services as report_services

    report_services.withdraw_report(report=withdrawn, volunteer=withdrawn.volunteer)
    batch = batch_of(
        expert,
        "https://m.ebay.com/itm/123456789012,a,Manis pentadactyla,scales,,,,,",
        "https://www.example-shop.com/item/5,b,Manis pentadactyla,scales,,,,,",
    )
    found = problems(batch)
    assert list(found) == [2]
    assert found[2] == [
        ("listing_url", f"This listing already has an open report ({open_report.reference}).")
    ]


def test_text_is_cleaned_like_the_form_and_limits_apply(expert, catalogue):
    long_title = "x" * 301
    batch = batch_of(
        expert,
        'https://a.example.com/1,"  Pangolin   scales\u200b ",Manis pentadactyla,scales,,,,,',
        f"https://a.example.com/2,{long_title},Manis pentadactyla,scales,,,,,",
    )
    title = batch.rows.get(number=2).values["listing_title"]
    assert title.startswith("Pangolin scales") and "  " not in title and title == title.strip()
    assert problems(batch)[3][0][0] == "listing_title"


def test_remapping_checks_every_row_again(expert, catalogue):
    data = csv_bytes(
        "Pangolin scales,https://a.example.com/1,Manis pentadactyla,scales",
        header="name,address2,animal,what\n",
    )
    batch = services.create_batch(uploader=expert, file_name="f.csv", data=data)
    assert batch.mapping == {}
    assert services.missing_fields(batch.mapping) == [
        "listing_url", "listing_title", "species", "product_type"
    ]  # fmt: skip
    batch = services.remap_batch(
        batch=batch,
        actor=expert,
        mapping={"listing_url": 1, "listing_title": 0, "species": 2, "product_type": 3},
    )
    assert (batch.valid_rows, batch.error_rows) == (1, 0)
