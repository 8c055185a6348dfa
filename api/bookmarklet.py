"""The "Flag this listing" bookmarklet.

It runs in the listing page, started from the bookmarks bar, which browsers exempt from that
page's CSP; it injects nothing and only opens our submit form (a new tab, or this tab where the
page may not open windows) with the page's URL, title and selected text in the query string; the
submit view prefills the form from them on the server, so no script of ours reads them. Nothing is
sent anywhere until the volunteer submits. On our own pages our CSP refuses javascript: links, so
static/js/bookmarklet.js turns a click there into a hint; the form beside it (paste an address)
is the fallback that needs no bookmarks bar.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from django.urls import reverse

from spotter.siteurl import absolute_url

# Same limits as the submit view's prefill (reports.views.volunteer.submit). The selected text is
# cut shorter than the form allows so the whole address stays within what browsers accept.
TITLE_LIMIT = 300
TEXT_LIMIT = 4000


def bookmarklet_source() -> str:
    """The JavaScript the bookmarklet runs (readable form)."""
    submit_url = absolute_url(reverse("reports:submit"))
    submit = json.dumps(submit_url)
    return (
        "(function(){"
        "var e=encodeURIComponent,"
        f"s=String(window.getSelection?window.getSelection():'').trim().slice(0,{TEXT_LIMIT}),"
        f"u={submit}+'?listing_url='+e(location.href)"
        f"+'&listing_title='+e(document.title.slice(0,{TITLE_LIMIT}))"
        "+(s?'&listing_text='+e(s):'')"
        # A new tab, cut off from the listing (opener=null); where the listing's page may not
        # open windows (CSP sandbox, a popup blocker) window.open gives null: go there instead.
        ",w=window.open(u,'_blank');"
        "if(w){w.opener=null}else{location.href=u}"
        "})();"
    )


def bookmarklet_href() -> str:
    """The ``javascript:`` link to drag to the bookmarks bar.

    Percent-encoded, because browsers percent-decode a javascript: URL before running it."""
    return "javascript:" + quote(bookmarklet_source(), safe="(){}[];,.:=+!?'_*/-")
