"""Reading CSV variants and XLSX: encodings, delimiters, limits, formulas never evaluated."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from intake import conf
from intake.parsing import parse_upload
from spotter.errors import InvalidInput

from .conftest import xlsx_bytes

TEXT = "url,titre,espèce\nhttps://a.example.com/1,Écailles de pangolin,穿山甲\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_unicode_encodings(data, encoding):
    parsed = parse_upload("f.csv", data)
    assert parsed.encoding == encoding
    assert parsed.headers == ["url", "titre", "espèce"]
    assert parsed.rows == [["https://a.example.com/1", "Écailles de pangolin", "穿山甲"]]


def test_chinese_excel_csv_is_read_as_gb18030():
    data = "链接,标题\nhttps://a.example.com/1,穿山甲片 正品\n".encode("gb18030")
    parsed = parse_upload("f.csv", data)
    assert parsed.encoding == "gb18030"
    assert parsed.headers == ["链接", "标题"] and parsed.rows[0][1] == "穿山甲片 正品"


def test_windows_1252_fallback_for_french_excel():
    data = "lien;titre\nhttps://a.example.com/1;Écailles, prix élevé\n".encode("cp1252")
    parsed = parse_upload("f.csv", data)
    assert parsed.encoding == "windows-1252"
    assert parsed.rows[0][1] == "Écailles, prix élevé"


def test_named_encoding_that_does_not_fit_names_the_field():
    with pytest.raises(InvalidInput) as refused:
        parse_upload("f.csv", "a,b\n\xe9,x\n".encode("latin-1"), encoding="utf-8")
    assert refused.value.field == "encoding"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter):
    data = delimiter.join(["url", "title", "price"]) + "\n"
    data += delimiter.join(["https://a.example.com/1", '"Bangle, carved"', "12,50"]) + "\n"
    parsed = parse_upload("f.csv", data.encode())
    assert parsed.delimiter == delimiter
    assert parsed.headers == ["url", "title", "price"]
    assert parsed.rows[0][0] == "https://a.example.com/1"


def test_quoted_multiline_cells_blank_rows_and_row_numbers():
    data = b'url,text\nhttps://a.example.com/1,"two\nlines"\n,\n\nhttps://a.example.com/2,x\n'
    parsed = parse_upload("f.csv", data)
    assert parsed.rows == [
        ["https://a.example.com/1", "two\nlines"],
        ["https://a.example.com/2", "x"],
    ]
    assert parsed.row_numbers == [2, 5]


def test_short_rows_are_padded_and_long_rows_cut():
    parsed = parse_upload("f.csv", b"a,b,c\n1\n1,2,3,4,5\n")
    assert parsed.rows == [["1", "", ""], ["1", "2", "3"]]


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n", b"url,title\n", b"url,title\n,\n"],
    ids=["empty", "blank", "no rows", "empty rows"],
)
def test_files_without_data_are_refused_on_file(data):
    with pytest.raises(InvalidInput) as refused:
        parse_upload("f.csv", data)
    assert refused.value.field == "file"


def test_limits(monkeypatch):
    monkeypatch.setattr(conf, "INTAKE_MAX_ROWS", 3)
    monkeypatch.setattr(conf, "INTAKE_MAX_COLUMNS", 4)
    with pytest.raises(InvalidInput, match="rows"):
        parse_upload("f.csv", b"a\n" + b"x\n" * 5)
    with pytest.raises(InvalidInput, match="columns"):
        parse_upload("f.csv", b"a,b,c,d,e\n1,2,3,4,5\n")
    monkeypatch.setattr(conf, "INTAKE_MAX_FILE_BYTES", 10)
    with pytest.raises(InvalidInput, match="larger"):
        parse_upload("f.csv", b"a,b\n" + b"1,2\n" * 5)


def test_xlsx_values_dates_numbers_and_formulas_not_evaluated():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["url", "title", "price", "observed", "computed"])
    sheet.append(["https://a.example.com/1", "Tiger claw", 120.0, datetime.date(2026, 3, 31), 12.5])
    sheet.append(["https://a.example.com/2", "Ivory", 80, None, "=1+1"])
    out = io.BytesIO()
    workbook.save(out)
    parsed = parse_upload("listings.xlsx", out.getvalue())
    assert parsed.file_format == "xlsx"
    assert parsed.headers == ["url", "title", "price", "observed", "computed"]
    assert parsed.rows[0] == ["https://a.example.com/1", "Tiger claw", "120", "2026-03-31", "12.5"]
    # A formula saved by openpyxl has no cached value: we read nothing, we never compute 2.
    assert parsed.rows[1][4] in ("", "=1+1")
    assert parsed.rows[1][4] != "2"


def test_xlsx_helper_builds_a_readable_file():
    parsed = parse_upload(
        "x.xlsx", xlsx_bytes([["lien", "titre"], ["https://a.example.com/1", "t"]])
    )
    assert parsed.headers == ["lien", "titre"]


def test_broken_xlsx_and_zip_bomb_are_refused(monkeypatch):
    with pytest.raises(InvalidInput, match="XLSX"):
        parse_upload("x.xlsx", b"PK\x03\x04 not really a zip")
    with pytest.raises(InvalidInput, match="XLSX"):
        parse_upload("x.xlsx", b"just text")
    monkeypatch.setattr(conf, "INTAKE_MAX_XLSX_UNCOMPRESSED_BYTES", 1000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 100_000)
    with pytest.raises(InvalidInput, match="unpacked"):
        parse_upload("x.xlsx", out.getvalue())
