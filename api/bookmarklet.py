"""The "Flag this listing" bookmarklet.

It runs in the listing page (not ours, so our CSP does not apply) and only opens our submit
form in a new window with the page's URL, title and selected text in the query string; the
submit view prefills the form from them. Nothing is sent anywhere until the volunteer submits.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

# Same limits as the submit view's prefill (reports.views.volunteer.submit). The selected text is
# cut shorter than the form allows so the whole address stays within what browsers accept.
TITLE_LIMIT = 300
TEXT_LIMIT = 4000


def bookmarklet_source(site_url: str | None = None) -> str:
    """The JavaScript the bookmarklet runs (readable form)."""
    submit_url = (site_url or settings.SITE_URL).rstrip("/") + reverse("reports:submit")
    submit = json.dumps(submit_url)
    return (
        "(function(){"
        "var e=encodeURIComponent,"
        f"s=String(window.getSelection?window.getSelection():'').trim().slice(0,{TEXT_LIMIT}),"
        f"u={submit}+'?listing_url='+e(location.href)"
        f"+'&listing_title='+e(document.title.slice(0,{TITLE_LIMIT}))"
        "+(s?'&listing_text='+e(s):'');"
        "window.open(u,'_blank','noopener');"
        "})();"
    )


def bookmarklet_href(site_url: str | None = None) -> str:
    """The ``javascript:`` link to drag to the bookmarks bar.

    Percent-encoded, because browsers percent-decode a javascript: URL before running it."""
    return "javascript:" + quote(bookmarklet_source(site_url), safe="(){}[];,.:=+!?'_*/-")
