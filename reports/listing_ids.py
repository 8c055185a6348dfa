"""One listing, many URL shapes: the platform's own listing id, read from a normalised URL.

The same eBay item is ``ebay.com/itm/123…``, ``ebay.co.uk/itm/some-title/123…``,
``m.ebay.com/itm/123…?var=…`` or ``cgi.ebay.com/ws/eBayISAPI.dll?ViewItem&item=123…``; the
normalised URL (reports.urlnorm) differs for each, the listing does not. ``listing_key``
turns every known shape into one key, ``"ebay:123…"``, and duplicates are found on that key
(on the normalised URL when a URL has no key).

The rules are data: ``RULES`` is a table of platform → host pattern → where the id is (a path
pattern with an ``id`` group, or a query parameter) → what an id looks like. The first row
whose host and path match and that yields a well-formed id wins, so a more specific row (Xianyu
pages served from a taobao.com host) is listed before a general one. Add a platform by adding
rows, and a test row per URL shape in tests/reports/test_listing_ids.py.

What cannot work offline, by design: short links (``ebay.us``, ``etsy.me``, ``m.tb.cn``,
``fb.me``, ``amzn.to``…) only say where the listing is after an HTTP redirect, and the
programme never fetches volunteers' URLs (no requests to sellers' platforms on a volunteer's
behalf, no server-side request forgery). Those URLs get no key and fall back to the normalised
URL; an expert can still merge the reports (reports/services/merge.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

# The max_length of Report.listing_key.
MAX_KEY_LENGTH = 100

_EBAY_SITES = (
    r"com|ca|co\.uk|de|fr|it|es|at|ch|ie|nl|be|pl|com\.au|com\.hk|com\.sg|com\.my|ph|in|cn"
)
_AMAZON_SITES = (
    r"com|ca|com\.mx|com\.br|co\.uk|de|fr|it|es|nl|se|pl|com\.be|com\.tr|ae|sa|eg|in|"
    r"co\.jp|sg|com\.au|cn"
)
_DIGITS = r"[0-9]{6,20}"
_ASIN = r"[A-Z0-9]{10}"


@dataclass(frozen=True)
class ListingRule:
    """One URL shape of one platform.

    ``host``: a regular expression the whole (lower-case, IDNA) host must match.
    ``path``: a regular expression searched in the path; a named group ``id`` is the listing id.
    ``param``: else, the query parameter holding the id (the path pattern must still match).
    ``id_pattern``: what a well-formed id looks like (the whole id must match).
    ``site``: the key names the marketplace too (the host's suffix after the platform name),
    for platforms whose ids are per marketplace.
    """

    platform: str
    host: str
    path: str = ""
    param: str = ""
    id_pattern: str = _DIGITS
    site: bool = False


def _hosts(*names: str) -> str:
    """A host pattern for these domain names, with or without any sub-domain (www., m., …)."""
    return r"(?:[a-z0-9-]+\.)*(?:" + "|".join(names) + ")"


_TAOBAO_HOSTS = _hosts(r"taobao\.com", r"tmall\.com", r"tmall\.hk")
# item.htm, detail/detail.html, awp/core/detail.htm: the item pages that carry ?id=<id>.
_TAOBAO_ITEM_PAGE = r"(?:^|/)(?:item|detail)[^/]*\.html?$"

RULES: tuple[ListingRule, ...] = (
    # eBay: one item id across every eBay site (ebay.com and ebay.co.uk show the same item).
    ListingRule("ebay", _hosts(rf"ebay\.(?:{_EBAY_SITES})"), r"^/itm/(?:[^/]+/)*(?P<id>[0-9]+)/?$"),
    # Old and mobile shapes: /itm/?item=<id>, cgi.ebay.com/ws/eBayISAPI.dll?ViewItem&item=<id>.
    ListingRule("ebay", _hosts(rf"ebay\.(?:{_EBAY_SITES})"), r"^/", param="item"),
    # Xianyu / Goofish (闲鱼), Alibaba's second-hand market: its own item ids, also served from
    # taobao.com hosts, so these rows come before Taobao's.
    ListingRule("xianyu", _hosts(r"goofish\.com"), r"^/(?:item|detail)", param="id"),
    ListingRule("xianyu", r"2\.taobao\.com", r"^/item", param="id"),
    ListingRule("xianyu", r"(?:market|h5)\.m\.taobao\.com", r"(?i)idle", param="id"),
    ListingRule("xianyu", r"(?:market|h5)\.m\.taobao\.com", r"(?i)idle", param="itemId"),
    # Taobao and Tmall share one item numbering (a Tmall item opens on Taobao's mobile pages),
    # so both give "taobao:<id>".
    ListingRule("taobao", _TAOBAO_HOSTS, _TAOBAO_ITEM_PAGE, param="id"),
    ListingRule("taobao", _TAOBAO_HOSTS, _TAOBAO_ITEM_PAGE, param="itemId"),
    ListingRule("taobao", _TAOBAO_HOSTS, r"^/(?:item/|i)(?P<id>[0-9]{6,20})\.htm"),
    # Etsy: /listing/<id>/<slug>, with or without a language/region prefix (/uk/, /fr/, /en-gb/).
    ListingRule(
        "etsy", _hosts(r"etsy\.com"), r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?listing/(?P<id>[0-9]+)"
    ),
    # Facebook Marketplace (www., m., web., mbasic. hosts), and the older commerce shape.
    ListingRule(
        "facebook",
        _hosts(r"facebook\.com"),
        r"^/(?:marketplace/item|commerce/listing)/(?P<id>[0-9]+)",
    ),
    # Zhuanzhuan (转转): the id is the infoId parameter, or /detail/<id>.html on the web site.
    ListingRule("zhuanzhuan", _hosts(r"zhuanzhuan\.com"), r"^/", param="infoId"),
    ListingRule("zhuanzhuan", _hosts(r"zhuanzhuan\.com"), r"^/", param="infoid"),
    ListingRule("zhuanzhuan", _hosts(r"zhuanzhuan\.com"), r"/detail/(?P<id>[0-9]{6,20})\.html"),
    # Amazon: the ASIN names a product page per marketplace (the same ASIN on amazon.de and
    # amazon.com may be offered by other sellers under other laws), so the key names the site.
    ListingRule(
        "amazon",
        _hosts(rf"amazon\.(?:{_AMAZON_SITES})"),
        r"/(?:dp|gp/product|gp/aw/d|exec/obidos/asin|o/asin)/(?P<id>[A-Za-z0-9]{10})(?:[/?]|$)",
        id_pattern=_ASIN,
        site=True,
    ),
)

_COMPILED = tuple(
    (rule, re.compile(rf"^{rule.host}$"), re.compile(rule.path), re.compile(rule.id_pattern))
    for rule in RULES
)


def _site(platform: str, host: str) -> str:
    """The marketplace of a host: what follows ``<platform>.`` (``co.uk`` for www.amazon.co.uk)."""
    return host[host.index(platform + ".") + len(platform) + 1 :]


def listing_key(url: str) -> str:
    """The platform's listing id as ``"platform:id"``, or "" when no rule knows this URL.

    ``url`` is a normalised listing URL (reports.urlnorm: lower-case host, no tracking
    parameters); any http(s) URL works. Never fetches anything."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
    query: dict[str, str] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(name, value)
    path = parts.path or "/"
    for rule, host_re, path_re, id_re in _COMPILED:
        if not host_re.match(host):
            continue
        found = path_re.search(path)
        if found is None:
            continue
        listing_id = found.groupdict().get("id") if not rule.param else query.get(rule.param)
        if not listing_id:
            continue
        if rule.id_pattern == _ASIN:
            listing_id = listing_id.upper()
        if not id_re.fullmatch(listing_id):
            continue
        key = f"{rule.platform}:{listing_id}"
        if rule.site:
            key = f"{rule.platform}:{_site(rule.platform, host)}:{listing_id}"
        return key[:MAX_KEY_LENGTH]
    return ""
