"""Tunables of bulk intake (an operator may set each in the environment or settings)."""

from __future__ import annotations

import os

from django.conf import settings


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip().isdigit() else default


# The uploaded file, before anything is parsed (CSV or XLSX).
INTAKE_MAX_FILE_BYTES = getattr(
    settings, "INTAKE_MAX_FILE_BYTES", _env_int("INTAKE_MAX_FILE_BYTES", 10_000_000)
)
# An XLSX is a zip: the sum of its members' uncompressed sizes (a zip bomb is refused unread).
INTAKE_MAX_XLSX_UNCOMPRESSED_BYTES = getattr(
    settings,
    "INTAKE_MAX_XLSX_UNCOMPRESSED_BYTES",
    _env_int("INTAKE_MAX_XLSX_UNCOMPRESSED_BYTES", 100_000_000),
)
# Data rows (the header row not counted) and columns of one file.
INTAKE_MAX_ROWS = getattr(settings, "INTAKE_MAX_ROWS", _env_int("INTAKE_MAX_ROWS", 20_000))
INTAKE_MAX_COLUMNS = getattr(settings, "INTAKE_MAX_COLUMNS", _env_int("INTAKE_MAX_COLUMNS", 50))
# Characters kept of one cell (the longest listing field, the listing text, is 10,000).
INTAKE_MAX_CELL_CHARS = getattr(settings, "INTAKE_MAX_CELL_CHARS", 10_000)
# Rows imported per transaction by the import job (progress is committed after each chunk).
INTAKE_CHUNK_ROWS = getattr(settings, "INTAKE_CHUNK_ROWS", _env_int("INTAKE_CHUNK_ROWS", 500))
# A running batch whose progress has not moved for this long may be resumed by its uploader.
INTAKE_STALE_SECONDS = getattr(settings, "INTAKE_STALE_SECONDS", 600)
# Rows per page of the preview's error table, and batches per page of "My imports".
INTAKE_PAGE_ROWS = 50
