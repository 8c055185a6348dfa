import re
import unicodedata

# C0/C1 control characters except tab and newline, plus bidi overrides used to disguise text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """Normalise user text: NFC, no control characters, trimmed, CRLF → LF."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    if not multiline:
        value = " ".join(value.split())
    return value.strip()
