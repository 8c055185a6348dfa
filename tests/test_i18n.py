"""The interface speaks French and Simplified Chinese, and the shipped catalogues are complete.

CI does not run compilemessages, so the committed .mo files are what production serves: the
catalogue test checks every .po entry is translated (not fuzzy), keeps its placeholders, and is
present unchanged in the .mo beside it. Parsing uses the standard library only (no polib, no
msgfmt), so nothing here depends on gettext tools being installed.
"""

import ast
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
NAMED_PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]")
HTML_TAG = re.compile(r"<[^>]+>")

HOME_PHRASES = {
    "fr": [
        "Repérez le commerce illégal d'espèces sauvages en ligne. Faites-le retirer.",
        "Devenir veilleur",
        "Les signalements confirmés sont transmis à la plateforme",
    ],
    "zh-hans": ["发现网上的非法野生动植物交易，让它下架。", "成为侦查员", "3. 下架"],
}
LOGIN_PHRASES = {
    "fr": ["Aller au contenu", "Se connecter", "un programme de science participative"],
    "zh-hans": ["跳到正文", "登录", "终止网络野生动植物非法交易联盟的公民科学项目"],
}


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "zh-hans"])
def test_language_selector_switches_home_and_login_page(client, lang):
    response = client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"

    home = _text(client.get("/"))
    assert f'<html lang="{lang}">' in home
    for phrase in HOME_PHRASES[lang]:
        assert phrase in home
    assert "Spot illegal wildlife trade online" not in home

    login = _text(client.get("/accounts/login/"))
    for phrase in LOGIN_PHRASES[lang]:
        assert phrase in login
    assert "Skip to content" not in login


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "lang"), [("fr-FR,fr;q=0.9,en;q=0.5", "fr"), ("zh-CN,zh;q=0.9", "zh-hans")]
)
def test_browser_language_is_honoured(client, header, lang):
    home = _text(client.get("/", HTTP_ACCEPT_LANGUAGE=header))
    assert f'<html lang="{lang}">' in home
    assert HOME_PHRASES[lang][0] in home

    login = _text(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=header))
    assert LOGIN_PHRASES[lang][0] in login


@pytest.mark.django_db
def test_english_stays_the_default(client):
    home = _text(client.get("/"))
    assert "Spot illegal wildlife trade online. Get it taken down." in home


def _unquote(line: str) -> str:
    # PO strings use C escapes (\n, \t, \", \\), which Python literals read the same way.
    return ast.literal_eval(line)


def _parse_po(path: Path) -> list[dict]:
    """Entries of a .po file (one per blank-line separated block), obsolete ones left out.

    Each entry: flags (set), msgctxt / msgid / msgid_plural (str), msgstr ({index: str}).
    """
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, field = {"flags": set(), "msgstr": {}}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue  # references, comments, previous msgids, obsolete entries
            elif line.startswith('"'):
                if isinstance(field, int):
                    entry["msgstr"][field] += _unquote(line)
                else:
                    entry[field] += _unquote(line)
            else:
                keyword, _, rest = line.partition(" ")
                field = int(keyword[7:-1] or 0) if keyword.startswith("msgstr") else keyword
                if isinstance(field, int):
                    entry["msgstr"][field] = _unquote(rest)
                else:
                    entry[field] = _unquote(rest)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _catalogues() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def test_every_configured_language_has_a_catalogue():
    shipped = {path.parent.parent.name for path in _catalogues()}
    assert shipped == {"fr", "zh_Hans"}
    wanted = {code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}
    assert {code.replace("_", "-").lower() for code in shipped} == wanted


@pytest.mark.parametrize("po_path", _catalogues(), ids=lambda p: p.parent.parent.name)
def test_catalogue_is_complete_and_compiled(po_path):
    entries = _parse_po(po_path)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert len(messages) > 500

    problems = []
    for entry in messages:
        msgid, translations = entry["msgid"], list(entry["msgstr"].values())
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {msgid!r}")
        if not all(translations):
            problems.append(f"untranslated: {msgid!r}")
        plural_source = entry.get("msgid_plural", msgid)
        for i, text in enumerate(translations):
            source = msgid if i == 0 and len(translations) > 1 else plural_source
            if sorted(NAMED_PLACEHOLDER.findall(text)) != sorted(NAMED_PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {msgid!r}")
            if "python-format" in entry["flags"] and text.count("%%") != source.count("%%"):
                problems.append(f"escaped percent signs differ: {msgid!r}")
            if sorted(HTML_TAG.findall(text)) != sorted(HTML_TAG.findall(source)):
                problems.append(f"HTML tags differ: {msgid!r}")
    assert problems == []

    # The committed .mo must be compiled from exactly this .po.
    with open(po_path.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages:
        msgid, msgstr, context = entry["msgid"], entry["msgstr"], entry.get("msgctxt")
        if "msgid_plural" in entry:
            got = [compiled.ngettext(msgid, entry["msgid_plural"], n) for n in (1, 5)]
            want = [msgstr[0], msgstr[len(msgstr) - 1]]
        elif context is not None:
            got, want = compiled.pgettext(context, msgid), msgstr[0]
        else:
            got, want = compiled.gettext(msgid), msgstr[0]
        if got != want:
            stale.append(msgid)
    assert stale == [], "run `manage.py compilemessages --ignore=.venv`"
