"""What a fetched listing says: live, removed or unknown, and the rule that decided it.

In order (docs/verification.md):

1. the fetch gave no page (timeout, size cap, refused address, network, too many redirects)
   → unknown, rule ``fetch:<reason>``;
2. a redirect to the platform's home or search page → removed, ``<platform>:redirect:<path>``;
   a redirect that ended on a sign-in, captcha or block address → unknown;
3. HTTP 404 or 410 → removed, ``http:<status>``; 401/403/407/429 and 5xx → unknown;
4. a captcha / block page (the platform's markers, then the defaults) → unknown;
5. the platform's "listing ended / removed" page → removed, ``<platform>:removed:<marker>``;
6. any other 2xx page → live, ``http:<status>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .fetch import Fetched
from .models import CheckStatus
from .pagetext import decode, visible_text
from .rules import RuleSet, load_rules

REMOVED_STATUSES = {404, 410}
BLOCKED_STATUSES = {401, 403, 407, 429}
# A redirect that ends on one of these is a wall, not an answer.
BLOCKED_PATH = re.compile(r"(^|[/._-])(login|signin|sign-in|passport|captcha|punish|checkpoint)\b")


@dataclass(frozen=True)
class Verdict:
    status: str
    rule: str
    text: str = ""  # the page's visible text ("" when there was no page)


def _path(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), (parts.path or "/") + (
        f"?{parts.query}" if parts.query else ""
    )


def removed_redirect(from_url: str, location: str, rules: RuleSet | None = None) -> str:
    """The rule name if a redirect from ``from_url`` to ``location`` means "removed", else ""."""
    rules = rules or load_rules()
    host, path = _path(location)
    from_host, from_path = _path(from_url)
    if path == from_path:
        return ""  # http → https, or the same page on another host name
    for platform in rules.for_host(host or from_host):
        for pattern in platform.redirects:
            if pattern.search(path):
                return f"{platform.slug}:redirect:{path.split('?', 1)[0][:60]}"
    return ""


def classify(fetched: Fetched, rules: RuleSet | None = None) -> Verdict:
    rules = rules or load_rules()
    if fetched.error:
        return Verdict(CheckStatus.UNKNOWN, f"fetch:{fetched.error}")
    if fetched.stopped_at_redirect:
        rule = removed_redirect(fetched.url, fetched.final_url, rules)
        return Verdict(CheckStatus.REMOVED, rule or "redirect")
    status = fetched.http_status or 0
    if status in REMOVED_STATUSES:
        return Verdict(CheckStatus.REMOVED, f"http:{status}")
    host, path = _path(fetched.final_url)
    if fetched.redirected and BLOCKED_PATH.search(path.split("?", 1)[0].lower()):
        return Verdict(CheckStatus.UNKNOWN, "redirect:blocked")
    if status in BLOCKED_STATUSES or status >= 500 or not 200 <= status < 300:
        return Verdict(CheckStatus.UNKNOWN, f"http:{status}")
    text = visible_text(decode(fetched.body, fetched.content_type))
    platforms = rules.for_host(host)
    for platform in platforms:
        for marker in platform.captcha:
            if marker.found_in(text):
                return Verdict(CheckStatus.UNKNOWN, f"{platform.slug}:captcha:{marker.id}", text)
    for platform in platforms:
        for marker in platform.removed:
            if marker.found_in(text):
                return Verdict(CheckStatus.REMOVED, f"{platform.slug}:removed:{marker.id}", text)
    return Verdict(CheckStatus.LIVE, f"http:{status}", text)
