"""No English left on French and Chinese pages: every main page of every role (tests/a11y/world.py,
the same list the axe test walks) is rendered in fr and zh-hans, its visible text extracted, and
common English words (tests/data/english_words.txt) are reported per page.

Visible text: text nodes outside <script>/<style>, plus the attributes people read or hear
(alt, title, aria-label, placeholder, the value of buttons). Allowed: brand and company names,
the species' scientific names, URLs, emails, code-like tokens (digits, underscores, all capitals:
ISO codes, CITES, API), text inside an element marked lang="en", and, on French pages, words
French shares with English (page, total…)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from reports.models import MemberCompany, Species
from tests.a11y.world import build_world

pytestmark = pytest.mark.django_db

WORDS = frozenset(
    line.strip()
    for line in (Path(__file__).parent / "data" / "english_words.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
# Words a French page may show because they are French too.
_FRENCH_TOO = """page pages total date dates image images message messages question questions source
    sources code codes note notes minute minutes type types action actions position site sites
    service services simple possible important national international public moment nature
    normal menu format client photo photos description expert experts plus option options
    article articles region science fin son me on pour parent parents signal direction
    fiche culture conditions condition information local commercial individual personnel
    proposition sort sure rapport rapports base bases animal animaux performance distance
    instant long grand vent tonne table tables cases case module modules quiz transparence
    statut critique solution intervalle pangolin pangolins primate primates reptile reptiles
    verdict verdicts collection part place stock machine score non central or face second
    contact cause attention charge former office queue correct population police point"""
FRENCH_TOO = frozenset(_FRENCH_TOO.split())
BRANDS = (
    "Cyber Spotter",
    "Cyber Spotters",
    "Coalition to End Wildlife Trafficking Online",
    "Prohibited Wildlife Policy Framework",
    "OWLET",
    "English",
    "Français",
    "htmx",
    "Swagger",
)
VISIBLE_ATTRS = {"alt", "title", "aria-label", "placeholder"}
URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|/[\w./?=&%-]+")
# Code-like tokens: anything with a digit, an underscore or a file suffix (seller_1, SHA-256,
# manage.py, run_outbox, --loop).
CODE = re.compile(r"[\w.-]*(?:_|\d|\.py\b)[\w.-]*|--[\w-]+")
TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.english: list[str] = []  # open elements declared English (lang="en")
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skip += 1
        attrs = dict(attrs)
        if (attrs.get("lang") or "").lower().startswith("en") and tag != "html":
            # Marked as English on purpose (the catalogue's names in every language, for
            # experts); screen readers switch voice there too.
            self.english.append(tag)
            return
        for name in VISIBLE_ATTRS & attrs.keys():
            self.chunks.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.chunks.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self.skip:
            self.skip -= 1
        if self.english and self.english[-1] == tag:
            self.english.pop()

    def handle_data(self, data):
        if not self.skip and not self.english and data.strip():
            self.chunks.append(data.strip())


def visible_chunks(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.chunks


def english_in(chunk: str, allowed_phrases: list[str], language: str) -> list[str]:
    text = chunk
    for phrase in allowed_phrases:
        text = text.replace(phrase, " ")
    text = CODE.sub(" ", URL_OR_EMAIL.sub(" ", text))
    found = []
    for token in TOKEN.findall(text):
        if token.isupper() and len(token) > 1:  # ISO codes, acronyms (CITES, API, CSV)
            continue
        for word in re.split(r"['’-]", token.lower()):
            if word in WORDS and not (language == "fr" and word in FRENCH_TOO):
                found.append(word)
    return found


def scan(client: Client, path: str, language: str, allowed: list[str]) -> dict[str, list[str]]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path, follow=True)
    assert response.status_code == 200, (path, response.status_code)
    assert f'lang="{language}"' in response.content.decode()[:500], path
    hits: dict[str, list[str]] = {}
    for chunk in visible_chunks(response.content.decode()):
        words = english_in(chunk, allowed, language)
        if words:
            hits[chunk[:120]] = words
    return hits


# Pages that show records as they were written, not interface text: the audit search lists
# each event's action code, its state codes and the reason stored with it (the log is
# append-only and searched by those codes). Its labels, filters and headings are still checked
# by the catalogue test; the axe run covers the page.
RECORDS_AS_WRITTEN = {"admin/audit-search"}


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_no_english_on_translated_pages(language):
    world = build_world()
    allowed = sorted(
        {*BRANDS, *MemberCompany.objects.values_list("name", flat=True)}
        | set(Species.objects.values_list("scientific_name", flat=True))
        | {user.display_name for user in world.users.values()},
        key=len,
        reverse=True,
    )
    found: dict[str, tuple[list[str], list[str]]] = {}  # text -> (words, pages showing it)
    for role, pages in world.pages.items():
        client = Client()
        if role in world.users:
            client.force_login(
                world.users[role], backend="django.contrib.auth.backends.ModelBackend"
            )
        for name, path in pages:
            if f"{role}/{name}" in RECORDS_AS_WRITTEN:
                continue
            for chunk, words in scan(client, path, language, allowed).items():
                found.setdefault(chunk, (words, []))[1].append(f"{role}/{name}")
    assert not found, f"{len(found)} English texts on {language} pages:\n" + "\n".join(
        f"[{', '.join(words)}] {chunk!r} on {', '.join(pages)}"
        for chunk, (words, pages) in found.items()
    )
