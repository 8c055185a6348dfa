"""Rendered tables of the hot list pages, cached until what they show changes.

The review queue, the company portal and "My reports" spend most of their time rendering their
rows (docs/benchmarks.md, "Read pages"). Each table is rendered once per set of inputs and kept
in the cache (Redis in production, shared by every web worker) under a key that holds a
**version** of what the table shows; a request whose version has not moved is one cache read,
without the table's COUNT, page query or row rendering.

Versions, one cache key per scope, bumped by every report transition
(``reports.events.report_changed``, connected in ``ReportsConfig.ready``):

- ``queue``: a transition into or out of the waiting statuses (submission, claim, release,
  decision, resubmission, withdrawal, merge): every expert's queue;
- ``company:<id>``: any transition of a report of that platform, and a notice given to a
  colleague (``notice_assigned``): that company's portal;
- ``volunteer:<id>``: any transition of that volunteer's report: their "My reports";
- ``all``: any transition (the API's report list for experts and admins, the overview, the
  programme dashboard);
- ``keywords``: a keyword-library term saved or deleted (bumped by the keywords app: the
  dashboard's keyword card);
- ``flags``: a rechecks flag raised (bumped by quality on ``rechecks.signals.takedown_flagged``:
  the dashboard's outcome discrepancies);
- ``alerts``: an operations alert opened, reopened, resolved or acknowledged
  (reports/forwarding/alerts.py: the admins' badge and the overview's count);
- ``referrals``: a confirmed report routed to partners or found unroutable (referrals: the
  overview's "waiting with no route" panel);
- ``rounds``: any transition of a spotting round (rounds: who takes part in a running round,
  on the volunteer's "My reports");
- ``certificate:<user id>``: a training certificate of that user issued, revoked or edited
  (training: the "may submit" check of every volunteer page).

A fragment's name is part of its key: a change of what a fragment holds (a dict's keys) takes a
new name, since the cache outlives a deploy and the previous release's entries stay readable.

A version is bumped inside the transaction and again when it commits: a page read between the
two cannot keep the old rows under the new version. Changes that are not transitions (an admin
editing a report or a company in the Django admin) show after ``PAGE_FRAGMENT_SECONDS``, which
also bounds the age of "waiting since" and "time left" in a cached table.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .conf import PAGE_FRAGMENT_SECONDS
from .models import ReportStatus

WAITING = {ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW}
# Transitions that change a queue whatever the statuses say.
QUEUE_ACTIONS = {"report.merged", "report.merge_kept"}


def _key(scope: str) -> str:
    return f"fragments:v:{scope}"


def versions(*scopes: str) -> str:
    """The current versions of ``scopes``, as one string for a cache key. A scope never
    bumped (or evicted) starts at the current time in milliseconds, so a version never goes
    back to a value an older fragment was stored under."""
    keys = [_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, int(time.time() * 1000), timeout=None)
            found[key] = cache.get(key, 0)
    return ".".join(str(found[key]) for key in keys)


def bump(scopes: Iterable[str]) -> None:
    for scope in scopes:
        key = _key(scope)
        try:
            cache.incr(key)
        except ValueError:  # never set, or evicted
            cache.add(key, int(time.time() * 1000), timeout=None)


def bump_now_and_on_commit(scopes: Iterable[str]) -> None:
    scopes = list(scopes)
    bump(scopes)
    transaction.on_commit(lambda: bump(scopes))


def scopes_for(report, *, action: str = "", from_state: str = "", to_state: str = "") -> set:
    scopes = {"all", f"volunteer:{report.volunteer_id}"}
    if report.company_id:
        scopes.add(f"company:{report.company_id}")
    if from_state in WAITING or to_state in WAITING or action in QUEUE_ACTIONS:
        scopes.add("queue")
    return scopes


def on_report_changed(sender, *, report, action="", from_state="", to_state="", **kwargs) -> None:
    bump_now_and_on_commit(
        scopes_for(report, action=action, from_state=from_state, to_state=to_state)
    )


def on_notice_assigned(sender, *, report, **kwargs) -> None:
    if report.company_id:
        bump_now_and_on_commit([f"company:{report.company_id}"])


def on_reference_saved(sender, **kwargs) -> None:
    bump_now_and_on_commit(["reference"])


def connect() -> None:
    """Cache invalidation only (no business effect): versions follow the transitions, and the
    ``reference`` scope (the queue's filter bar: species groups, member companies) follows
    edits of those two tables."""
    from django.db.models.signals import post_delete, post_save

    from .events import notice_assigned, report_changed
    from .models import MemberCompany, SpeciesGroup

    report_changed.connect(on_report_changed, dispatch_uid="reports.fragments")
    notice_assigned.connect(on_notice_assigned, dispatch_uid="reports.fragments")
    for model in (MemberCompany, SpeciesGroup):
        for signal in (post_save, post_delete):
            signal.connect(on_reference_saved, sender=model, dispatch_uid="reports.fragments")


def cached_fragment(name: str, scopes: Iterable[str], parts: Iterable, render: Callable[[], str]):
    """The fragment ``name`` for these inputs: from the cache, else ``render()`` stored for
    ``PAGE_FRAGMENT_SECONDS``. The versions are read before anything is rendered, so a fragment
    is never older than the version it is stored under. ``parts``: every other input (the
    viewer, the query, the page); the language is added here."""
    if PAGE_FRAGMENT_SECONDS <= 0:
        return render()
    version = versions(*scopes)
    inputs = hashlib.sha256(repr([translation.get_language(), *parts]).encode()).hexdigest()
    key = f"fragments:{name}:{version}:{inputs[:32]}"
    body = cache.get(key)
    if body is None:
        body = render()
        cache.set(key, body, PAGE_FRAGMENT_SECONDS)
    return body


def is_htmx_partial(request) -> bool:
    """An htmx request that swaps a fragment of the page (not a history restore, which needs
    the whole page): the view may answer with the fragment alone. ``request.htmx`` is
    django-htmx's reading of the HX-* headers (its HtmxMiddleware)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def vary_on_htmx(response):
    patch_vary_headers(response, ["HX-Request"])
    return response
