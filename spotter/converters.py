"""What a value in a URL path may look like: one converter per kind of value.

Every urls.py uses these instead of Django's ``str`` and ``int`` (and the API router uses them
through each viewset's ``lookup_value_converter``), so a path value that cannot be a reference,
an id or a token — a NUL byte, invalid UTF-8, ``../``, a 400-digit number, a 5,000-character
string — matches no route and is a 404 before any view or query sees it. PostgreSQL refuses a
NUL byte in a query parameter with an error, where SQLite does not mind: a hostile path must
never reach the database. Slugs use Django's own ``slug`` converter, which is already limited to
``[-a-zA-Z0-9_]``.

Registered in ``SpotterConfig.ready()``, before any URLconf is loaded.
"""

from __future__ import annotations

import re

from django.urls import register_converter

# A 64-bit database id has at most 19 digits; 18 always fit.
MAX_ID_DIGITS = 18


class ReferenceConverter:
    """A public reference: a report's (``CS-0A1B2C3D4E``) or a volunteer's pseudonym
    (``S-0A1B2C3D``); both columns hold at most 20 characters."""

    regex = "[A-Za-z0-9-]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class IdConverter:
    """A database id (or a small position such as a lesson's order): digits only, 64-bit."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def parse_id(value) -> int | None:
    """An id sent in a form or query value, by the rule of ``<id:…>``; None if it is not one."""
    if isinstance(value, str) and re.fullmatch(IdConverter.regex, value):
        return int(value)
    return None


class TokenConverter:
    """A signed token from ``django.core.signing``: URL-safe base64 parts joined by colons (no
    dot, so ``..`` never matches)."""

    regex = "[A-Za-z0-9_:-]{1,200}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


CONVERTERS = {"ref": ReferenceConverter, "id": IdConverter, "token": TokenConverter}


def register() -> None:
    for name, converter in CONVERTERS.items():
        register_converter(converter, name)
