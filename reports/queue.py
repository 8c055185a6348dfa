"""The expert queue's parameters (filter + sort), read from a query string or a form.

The queue page, the review page (which carries them so "next in queue" follows the same
queue), the decision forms and saved filters all read them through ``queue_params``, so only
known keys with sane values go on: an unknown sort falls back to the default, an over-long or
odd slug is dropped.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from .queue_sorts import DEFAULT_QUEUE_SORT, queue_sorts

QUEUE_PARAMS = ("group", "platform", "sort")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")


def queue_params(data) -> dict[str, str]:
    """The queue's filter and sort from ``data`` (a QueryDict or dict): always a "sort", a
    "group" and a "platform" only when given and well formed."""
    params = {}
    for name in ("group", "platform"):
        value = str(data.get(name) or "").strip()
        if value and _SLUG.match(value):
            params[name] = value
    sort = str(data.get("sort") or "")
    params["sort"] = sort if sort in queue_sorts else DEFAULT_QUEUE_SORT
    return params


def selector_filters(params: dict[str, str]) -> dict[str, str]:
    """``params`` as keyword arguments of reports.selectors.expert_queue."""
    return {name: params.get(name, "") for name in ("group", "platform")} | {
        "sort": params.get("sort", DEFAULT_QUEUE_SORT)
    }


def query_string(params: dict[str, str]) -> str:
    """ "group=…&sort=…" without the defaults ("" when it is the plain queue)."""
    shown = {
        name: value
        for name, value in params.items()
        if name in QUEUE_PARAMS and value and not (name == "sort" and value == DEFAULT_QUEUE_SORT)
    }
    return urlencode(shown)


def sort_choices() -> list[tuple[str, str]]:
    return [(key, str(entry.label)) for key, entry in queue_sorts.items()]
