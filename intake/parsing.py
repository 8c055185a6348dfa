"""Reading an uploaded CSV or XLSX into a header row and data rows of text cells.

Limits first (intake.conf): the file's size before it is read, an XLSX's uncompressed size
before it is opened, then rows and columns while reading. CSV text is decoded as UTF-8 (with or
without a byte-order mark) or UTF-16 with a mark; otherwise GB18030 (what Excel in Chinese
writes) and finally Windows-1252 (Excel in French or English), unless the uploader names the
encoding. The delimiter is sniffed among comma, semicolon, tab and pipe. XLSX is read with
openpyxl in read-only mode with ``data_only=True``: a formula cell gives the value Excel
stored when the file was saved, and no formula is ever evaluated here.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
from django.utils.translation import gettext as _

from spotter.errors import InvalidInput

from . import conf

ENCODINGS = ("utf-8", "gb18030", "windows-1252", "utf-16")
DELIMITERS = ",;\t|"
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class ParsedFile:
    file_format: str
    headers: list[str]
    rows: list[list[str]]  # data rows, each padded/cut to the header's width
    row_numbers: list[int] = field(default_factory=list)  # each row's line (header = 1)
    encoding: str = ""
    delimiter: str = ""


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, field="file")


def check_size(size: int) -> None:
    if size > conf.INTAKE_MAX_FILE_BYTES:
        raise _refuse(
            _("The file is larger than %(size)s MB.")
            % {"size": round(conf.INTAKE_MAX_FILE_BYTES / 1_000_000, 1)}
        )
    if size == 0:
        raise _refuse(_("The file is empty."))


def decode(data: bytes, encoding: str = "") -> tuple[str, str]:
    """The text and the encoding it was read with."""
    if encoding:
        if encoding not in ENCODINGS:
            raise InvalidInput(_("Unknown encoding."), field="encoding")
        try:
            return data.decode("utf-8-sig" if encoding == "utf-8" else encoding), encoding
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                _("The file cannot be read as %(encoding)s.") % {"encoding": encoding},
                field="encoding",
            ) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _refuse(_("The file is not valid UTF-16 text.")) from exc
    for candidate in ("utf-8", "gb18030", "windows-1252"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _cell_text(value) -> str:
    """An XLSX cell as the text a person sees (dates as ISO dates, 12.0 as 12)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


def _shape(rows: list[list[str]]) -> ParsedFile:
    """Header and data rows, blank rows dropped, limits checked, cells cut to the cap."""
    if not rows:
        raise _refuse(_("The file has no header row."))
    headers = [h.strip() for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise _refuse(_("The file has no header row."))
    if len(headers) > conf.INTAKE_MAX_COLUMNS:
        raise _refuse(
            _("The file has more than %(max)d columns.") % {"max": conf.INTAKE_MAX_COLUMNS}
        )
    width = len(headers)
    data: list[list[str]] = []
    numbers: list[int] = []
    for offset, row in enumerate(rows[1:]):
        cells = [(c or "")[: conf.INTAKE_MAX_CELL_CHARS] for c in row[:width]]
        cells += [""] * (width - len(cells))
        if not any(c.strip() for c in cells):
            continue
        data.append(cells)
        numbers.append(offset + 2)
    if not data:
        raise _refuse(_("The file has no data rows under its header."))
    return ParsedFile(file_format="", headers=headers, rows=data, row_numbers=numbers)


def _too_many_rows() -> InvalidInput:
    return _refuse(_("The file has more than %(max)d rows.") % {"max": conf.INTAKE_MAX_ROWS})


def parse_csv(data: bytes, encoding: str = "") -> ParsedFile:
    text, used = decode(data, encoding)
    if "\x00" in text:
        raise _refuse(_("This does not look like a CSV file."))
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 20)[0] if sample else ",", DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > conf.INTAKE_MAX_ROWS + 1:
                raise _too_many_rows()
    except csv.Error as exc:
        raise _refuse(
            _("The CSV file is malformed near line %(line)d.") % {"line": reader.line_num}
        ) from exc
    parsed = _shape(rows)
    parsed.file_format, parsed.encoding, parsed.delimiter = "csv", used, delimiter
    return parsed


def parse_xlsx(data: bytes) -> ParsedFile:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise _refuse(_("The file is not a valid XLSX workbook.")) from exc
    if unpacked > conf.INTAKE_MAX_XLSX_UNCOMPRESSED_BYTES:
        raise _refuse(_("The workbook is too large once unpacked."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any unreadable workbook is the uploader's problem
        raise _refuse(_("The file is not a valid XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True, max_col=conf.INTAKE_MAX_COLUMNS + 1):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > conf.INTAKE_MAX_ROWS + 1:
                raise _too_many_rows()
    except InvalidInput:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _refuse(_("The file is not a valid XLSX workbook.")) from exc
    finally:
        workbook.close()
    parsed = _shape(rows)
    parsed.file_format = "xlsx"
    return parsed


def parse_upload(name: str, data: bytes, *, encoding: str = "") -> ParsedFile:
    """A CSV or XLSX file (told apart by its content, not only its name)."""
    check_size(len(data))
    lowered = name.lower()
    if data.startswith(XLSX_MAGIC):
        if not lowered.endswith((".xlsx", ".xlsm")):
            raise _refuse(_("Upload a .csv or .xlsx file."))
        return parse_xlsx(data)
    if lowered.endswith((".xlsx", ".xlsm", ".xls")):
        raise _refuse(_("The file is not a valid XLSX workbook (old .xls files: save as .xlsx)."))
    return parse_csv(data, encoding)
