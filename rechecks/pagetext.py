"""A fetched page as text: its charset, its visible words, a short snapshot."""

from __future__ import annotations

import contextlib
import re
from html.parser import HTMLParser

SNAPSHOT_CHARS = 500
HIDDEN = {"script", "style", "noscript", "template", "svg", "head"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")


def decode(body: bytes, content_type: str) -> str:
    """The body as text: the charset of the Content-Type header, else of a <meta>, else UTF-8."""
    charset = ""
    match = re.search(r"charset=([A-Za-z0-9_-]+)", content_type or "", re.IGNORECASE)
    if match:
        charset = match.group(1)
    else:
        meta = _META_CHARSET.search(body[:4096])
        if meta:
            charset = meta.group(1).decode("ascii")
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.in_title = False
        self.title: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in HIDDEN:
            self.hidden_depth += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.hidden_depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's title and the words a reader sees, whitespace collapsed."""
    parser = _Visible()
    # A broken page still gives what was parsed so far.
    with contextlib.suppress(Exception):
        parser.feed(html)
        parser.close()
    title = _WHITESPACE.sub(" ", " ".join(parser.title)).strip()
    body = _WHITESPACE.sub(" ", " ".join(parser.parts)).strip()
    return f"{title} — {body}" if title and body else title or body


def snapshot(text: str) -> str:
    return text[:SNAPSHOT_CHARS]
