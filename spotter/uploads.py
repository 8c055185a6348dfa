"""Reading an uploaded text file (a CSV or JSON an admin or curator sends): one size check and
one UTF-8 decode, with the errors the forms and the API show on the ``file`` field."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import InvalidInput


def read_utf8(data: bytes, max_bytes: int) -> str:
    """The file's text (a byte-order mark is dropped); InvalidInput on ``file`` if it is too
    large or not UTF-8."""
    if len(data) > max_bytes:
        raise InvalidInput(
            _("The file is larger than %(size)s MB.") % {"size": max_bytes // 1_000_000},
            field="file",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("The file is not UTF-8 text."), field="file") from exc
