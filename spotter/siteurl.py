"""The public base URL of the site, the one source for every absolute link we hand out.

Emails, notices, webhooks, evidence links, invitations and the bookmarklet leave the request
that made them (or are made with no request at all, in the outbox), so they cannot use the
request's host: they all take settings.SITE_URL through this function. `make demo HOST=...`
sets SITE_URL from HOST, so the demo's links point where it actually serves.
"""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str = "/") -> str:
    """``path`` (a site-absolute path such as ``reverse(...)``'s) on the public base URL."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url() takes a path starting with '/', not {path!r}")
    return settings.SITE_URL.rstrip("/") + path
