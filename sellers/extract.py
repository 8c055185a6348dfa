"""Seller identifiers in a listing: what is found, and the one normal form of each kind.

Pure functions (no database): ``extract(...)`` takes the listing's fields and returns
``Found`` rows. The rules, with examples, are in docs/sellers.md; the table of cases is
tests/sellers/test_extract.py.

- **handle**: ``Report.seller_handle``: NFKC, case-folded, inner whitespace removed, a leading
  ``@`` stripped, a profile URL reduced to its last path segment. A handle means something
  only on its platform, so it is *scoped*: to the member company, else to the registrable
  domain (``bob`` on eBay is not ``bob`` on Etsy). Every other kind is global.
- **phone**: ``phonenumbers.PhoneNumberMatcher`` at leniency VALID, stored as E.164. National
  numbers are read with a region hint: the domain's country code top-level domain, the member
  company's country, the listing language's country, then ``DEFAULT_REGIONS``; the first region
  that reads a span wins. A bare digit run (no ``+``, spaces, dashes or brackets) is taken only
  if it is a mobile number in that region or a contact word stands just before it, so listing
  ids, SKUs and order numbers are not phones. A WhatsApp number *is* a phone number:
  ``wa.me/<number>`` and "WhatsApp +44…" are stored as the phone, so they link with the same
  number written anywhere else.
- **wechat**, **line**, **telegram**: the ID after the usual labels (``WeChat:``, ``微信``,
  ``VX``, ``wx``, ``Line ID``, ``line.me/ti/p/~…``, ``t.me/…``, ``Telegram @…``), case-folded.
- **email**: addresses, also written ``name [at] host [dot] com``, case-folded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

HANDLE = "handle"
PHONE = "phone"
EMAIL = "email"
WECHAT = "wechat"
LINE = "line"
TELEGRAM = "telegram"

# Tried after the hints, in this order, for numbers written without a country code.
DEFAULT_REGIONS = ("US", "GB", "CN", "FR", "VN")
LANGUAGE_REGIONS = {
    "zh": "CN",
    "zh-hans": "CN",
    "zh-hant": "TW",
    "en": "US",
    "fr": "FR",
    "vi": "VN",
    "th": "TH",
    "id": "ID",
    "ms": "MY",
    "ja": "JP",
    "ko": "KR",
    "sw": "TZ",
    "de": "DE",
    "es": "ES",
    "pt": "BR",
}
TLD_REGIONS = {"uk": "GB"}
# Words that say "a phone number follows" (checked in the few characters before a bare number).
CONTACT_WORDS = re.compile(
    r"(tel|phone|mobile|mob|cell|call|sms|text|whatsapp|wa|contact|hotline|电话|手机|联系|微信|"
    r"vx|wx|wechat|line|telegram|tg|điện thoại|sđt|sdt|โทร|☎|📞|📱)\W{0,6}$",
    re.IGNORECASE,
)
_SEPARATED = re.compile(r"[+\s().\-/]")

# An ID after a label: the label, optional "ID"/"号", an optional colon, then the ID.
_ID_TAIL = r"(?:\s*(?:id|号|號))?\s*[:：=]?\s*@?(?P<id>[A-Za-z][-_.A-Za-z0-9]{{{min},{max}}})"
_WECHAT = re.compile(
    r"(?<![A-Za-z0-9])(?:wechat|we\s*chat|weixin|微信|薇信|威信|v信|vx|wx)"
    + _ID_TAIL.format(min=5, max=19),
    re.IGNORECASE,
)
_LINE = re.compile(
    r"(?<![A-Za-z0-9])(?i:line\s*id|ไลน์)\s*[:：=]?\s*@?(?P<id>[A-Za-z0-9][-_.A-Za-z0-9]{2,19})"
    r"|(?i:line\.me/(?:r/)?(?:ti/p/)?)[~@]?(?P<url_id>[-_.A-Za-z0-9]{3,20})"
    # "LINE: …" alone: only "LINE"/"Line" (not "line", as in "bottom line: great") and only an
    # ID after "@" or one with a digit, dot or underscore in it.
    r"|(?<![A-Za-z0-9])(?:LINE|Line)\s*[:：=]\s*"
    r"(?:@(?P<at_id>[A-Za-z0-9][-_.A-Za-z0-9]{2,19})"
    r"|(?P<bare_id>(?=[-_.A-Za-z0-9]*[\d_.])[A-Za-z0-9][-_.A-Za-z0-9]{2,19}))",
)
_TELEGRAM = re.compile(
    r"(?:t|telegram)\.me/(?P<url_id>[A-Za-z][A-Za-z0-9_]{4,31})"
    r"|(?<![A-Za-z0-9])(?:telegram|tg)\s*(?:id)?\s*[:：=]?\s*@(?P<id>[A-Za-z][A-Za-z0-9_]{4,31})",
    re.IGNORECASE,
)
_WHATSAPP_LINK = re.compile(r"(?:wa\.me|api\.whatsapp\.com/send\?phone=)/?\+?(?P<number>\d{7,15})")
_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63})(?:@|\s*(?:\[at\]|\(at\))\s*)"
    r"(?P<host>[A-Za-z0-9\-]+(?:(?:\.|\s*\[dot\]\s*|\s*\(dot\)\s*)[A-Za-z0-9\-]+)*"
    r"(?:\.|\s*\[dot\]\s*|\s*\(dot\)\s*)[A-Za-z]{2,24})",
    re.IGNORECASE,
)
_ID_GROUPS = ("id", "url_id", "at_id", "bare_id")
_DOT_WORD = re.compile(r"\s*[\[(]dot[\])]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    kind: str
    value: str  # the normal form
    source: str  # "handle", "title" or "text"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def normalize_handle(handle: str) -> str:
    """``@Bob.Seller `` → ``bob.seller``; a profile URL → its last path segment."""
    text = unicodedata.normalize("NFKC", handle or "").strip()
    if "/" in text and ("://" in text or text.lower().startswith("www.")):
        parts = [p for p in urlsplit(text if "://" in text else "//" + text).path.split("/") if p]
        text = parts[-1] if parts else ""
    return "".join(text.split()).lstrip("@").casefold()[:150]


def phone_regions(*, domain: str = "", company_country: str = "", language: str = "") -> list:
    """The regions tried for national numbers, most specific first (see the module docstring)."""
    regions = []
    tld = (domain or "").rsplit(".", 1)[-1].lower()
    if len(tld) == 2:
        regions.append(TLD_REGIONS.get(tld, tld.upper()))
    if company_country:
        regions.append(company_country.upper())
    lang = (language or "").lower()
    if lang in LANGUAGE_REGIONS or lang.split("-")[0] in LANGUAGE_REGIONS:
        regions.append(LANGUAGE_REGIONS.get(lang) or LANGUAGE_REGIONS[lang.split("-")[0]])
    regions.extend(DEFAULT_REGIONS)
    known = phonenumbers.SUPPORTED_REGIONS
    return [r for i, r in enumerate(regions) if r in known and r not in regions[:i]]


def _bare_number_allowed(text: str, match, region: str) -> bool:
    if _SEPARATED.search(match.raw_string):
        return True
    if phonenumbers.number_type(match.number) == PhoneNumberType.MOBILE:
        return True
    return bool(CONTACT_WORDS.search(text[max(0, match.start - 16) : match.start]))


def extract_phones(text: str, regions: list[str]) -> list[str]:
    """E.164 numbers in ``text``, in order of appearance."""
    text = unicodedata.normalize("NFKC", text or "")
    taken: list[tuple[int, int, str]] = []
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID
        ):
            if any(match.start < end and start < match.end for start, end, _ in taken):
                continue
            if not _bare_number_allowed(text, match, region):
                continue
            e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            taken.append((match.start, match.end, e164))
    for link in _WHATSAPP_LINK.finditer(text):
        try:
            number = phonenumbers.parse("+" + link.group("number"))
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            taken.append(
                (
                    link.start(),
                    link.end(),
                    phonenumbers.format_number(number, PhoneNumberFormat.E164),
                )
            )
    return _unique(value for _, _, value in sorted(taken))


def extract_messaging(text: str) -> list[tuple[str, str]]:
    """``(kind, id)`` for WeChat, LINE and Telegram IDs in ``text``."""
    text = unicodedata.normalize("NFKC", text or "")
    found = []
    for kind, pattern in ((WECHAT, _WECHAT), (LINE, _LINE), (TELEGRAM, _TELEGRAM)):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            value = next((groups[name] for name in _ID_GROUPS if groups.get(name)), "")
            if value:
                found.append((match.start(), kind, value.strip(".-_").casefold()))
    return _unique((kind, value) for _, kind, value in sorted(found) if value)


def extract_emails(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "")
    emails = []
    for match in _EMAIL.finditer(text):
        host = _DOT_WORD.sub(".", match.group("host"))
        emails.append(f"{match.group('local')}@{host}".casefold())
    return _unique(emails)


def _unique(values) -> list:
    return list(dict.fromkeys(values))


def extract(
    *,
    seller_handle: str = "",
    title: str = "",
    text: str = "",
    domain: str = "",
    company_country: str = "",
    language: str = "",
) -> list[Found]:
    """Every identifier of a listing, first source wins (handle, then title, then text)."""
    rows: dict[tuple[str, str], Found] = {}
    handle = normalize_handle(seller_handle)
    if handle:
        rows[(HANDLE, handle)] = Found(HANDLE, handle, "handle")
    regions = phone_regions(domain=domain, company_country=company_country, language=language)
    for source, content in (("title", title), ("text", text)):
        emails = extract_emails(content)
        found = [(EMAIL, e) for e in emails]
        found += [(PHONE, p) for p in extract_phones(content, regions)]
        # An email's local part is not also a WeChat ID (``wx_shop@qq.com``).
        locals_ = {e.split("@", 1)[0] for e in emails}
        found += [
            (kind, value) for kind, value in extract_messaging(content) if value not in locals_
        ]
        for kind, value in found:
            rows.setdefault((kind, value), Found(kind, value, source))
    return list(rows.values())
