"""The routing rule: which referral partners a confirmed report goes to. ONE module, pure.

1. The listing's country:
   a. the report's ``listing_location`` (free text as the platform showed it): a country name
      in English, French or Simplified Chinese (django-countries' names, plus a few common
      short forms such as "USA", "UK", "Hong Kong"), else an upper-case two-letter ISO code as
      a separate word ("Lagos, NG"). The longest name found wins ("South Sudan" over "Sudan");
   b. failing that, the platform domain's country-code TLD (``shop.co.ke`` → KE, ``.uk`` → GB),
      except ccTLDs sold as generic names (.co, .io, .tv, .me, .ai, …), which say nothing.
2. The partners:
   - a report on a **non-member platform** (no company) goes to every active partner whose
     jurisdictions contain its country, and to every active **worldwide** partner;
   - a report on a **member platform** goes to the partners whose jurisdictions contain its
     country explicitly (a national authority hears of listings in its country even when the
     member takes them down); worldwide partners do not get it — the member acts on it.
   - a partner with no channel it can be reached on is skipped.

Limits: a location is what the seller typed (it may be false or a city we do not know: "Lagos"
alone gives no country); names are matched as whole words on the lower-cased text (Latin) or as
substrings (Chinese), so "Niger" does not match "Nigeria" but an odd spelling is missed; a
ccTLD says where a site is registered, not where the seller is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from django_countries import countries

from .models import ReferralPartner

NAME_LANGUAGES = ("en", "fr", "zh-hans")
# Short forms django-countries does not list.
ALIASES = {
    "usa": "US",
    "u.s.a.": "US",
    "united states": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "hong kong": "HK",
    "香港": "HK",
    "台湾": "TW",
    "taiwan": "TW",
    "vietnam": "VN",
    "越南": "VN",
    "russia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "韩国": "KR",
    "laos": "LA",
    "macau": "MO",
    "澳门": "MO",
    "tanzania": "TZ",
    "chine": "CN",
    "états-unis": "US",
    "etats-unis": "US",
    "美国": "US",
}
# Country-code TLDs that are sold as generic names: they say nothing about a country.
GENERIC_CCTLDS = {"co", "io", "tv", "me", "ai", "fm", "ly", "to", "cc", "ws", "gg", "app", "eu"}
CCTLD_EXCEPTIONS = {"uk": "GB"}
_CODE_WORD = re.compile(r"(?<![A-Za-z])([A-Z]{2})(?![A-Za-z])")


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, "" when unknown
    source: str  # "location", "cctld" or ""


@dataclass(frozen=True)
class Route:
    partner: ReferralPartner
    reason: str  # "non_member" or "jurisdiction"


@lru_cache(maxsize=1)
def _names() -> tuple[tuple[str, str], ...]:
    """(lower-cased name, code), longest first, in every language we match."""
    found: dict[str, str] = {}
    for language in NAME_LANGUAGES:
        with translation.override(language):
            for code, name in countries:
                found.setdefault(str(name).lower(), code)
    for name, code in ALIASES.items():
        found.setdefault(name, code)
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


def _contains(text: str, name: str) -> bool:
    if not name.isascii():
        return name in text  # Chinese has no spaces between words
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text) is not None


def country_from_location(location: str) -> str:
    text = (location or "").strip()
    if not text:
        return ""
    lowered = text.lower()
    for name, code in _names():
        if _contains(lowered, name):
            return code
    for match in _CODE_WORD.finditer(text):
        if match.group(1) in countries:
            return match.group(1)
    return ""


def country_from_domain(domain: str) -> str:
    tld = (domain or "").rstrip(".").rsplit(".", 1)[-1].lower()
    if tld in CCTLD_EXCEPTIONS:
        return CCTLD_EXCEPTIONS[tld]
    if len(tld) != 2 or tld in GENERIC_CCTLDS:
        return ""
    code = tld.upper()
    return code if code in countries else ""


def listing_country(*, location: str, domain: str) -> Country:
    code = country_from_location(location)
    if code:
        return Country(code, "location")
    code = country_from_domain(domain)
    return Country(code, "cctld" if code else "")


def reachable(partner: ReferralPartner) -> bool:
    """Has the partner at least one channel it can be sent on?"""
    return bool(
        (partner.email and (partner.send_email_notice or partner.send_package_link))
        or (partner.webhook_enabled and partner.webhook_url and partner.webhook_secret)
    )


def routes_for(
    *, is_member: bool, country: str, partners: Iterable[ReferralPartner]
) -> list[Route]:
    """The partners a confirmed report goes to, given its platform and country."""
    routes = []
    for partner in partners:
        if not partner.is_active or not reachable(partner):
            continue
        in_jurisdiction = bool(country) and country in partner.jurisdiction_codes
        if is_member:
            if in_jurisdiction:
                routes.append(Route(partner, "jurisdiction"))
        elif in_jurisdiction or partner.worldwide:
            routes.append(Route(partner, "jurisdiction" if in_jurisdiction else "non_member"))
    return routes
