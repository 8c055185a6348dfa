"""Moving through the expert queue: the next report, saved filters (reports.queue holds the
parameters, reports.selectors the queue itself)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role

from .. import selectors, services
from ..permissions import visible_reports
from ..queue import query_string, queue_params, selector_filters


def with_query(url: str, params: dict[str, str], **extra: str) -> str:
    query = "&".join(part for part in (query_string(params), urlencode(extra)) if part)
    return f"{url}?{query}" if query else url


def queue_url(params: dict[str, str]) -> str:
    return with_query(reverse("reports:queue"), params)


def review_url(reference: str, params: dict[str, str]) -> str:
    return with_query(reverse("reports:review", args=[reference]), params)


def go_next(request, *, params: dict[str, str], candidates: list[str], done: str):
    """After a decision: the next report of the queue the expert was working, with a word on
    what was done; the queue itself when nothing is left."""
    reference = selectors.next_in_queue(
        expert=request.user, candidates=candidates, **selector_filters(params)
    )
    if reference is None:
        messages.success(request, done + " " + _("Nothing else is waiting in this queue."))
        return redirect(queue_url(params))
    messages.success(request, done + " " + _("Next: %(ref)s.") % {"ref": reference})
    return redirect(review_url(reference, params))


@role_required(Role.EXPERT)
def queue_next(request):
    """The report after ``?after=`` (or the first) in the queue with these filters and sort,
    skipping reports another expert holds."""
    params = queue_params(request.GET)
    after = str(request.GET.get("after") or "")[:20]
    current = visible_reports(request.user).filter(reference=after).first() if after else None
    references = selectors.queue_successors(
        expert=request.user, current=current, **selector_filters(params)
    )
    if not references:
        messages.info(request, _("Nothing else is waiting in this queue."))
        return redirect(queue_url(params))
    return redirect(review_url(references[0], params))


@require_POST
@role_required(Role.EXPERT)
def save_filter(request):
    params = queue_params(request.POST)
    try:
        saved = services.save_filter(
            user=request.user, name=request.POST.get("name", ""), params=params
        )
    except SpotterError as exc:
        messages.error(request, _("Filter not saved: %(problem)s") % {"problem": exc})
    else:
        messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
    return redirect(queue_url(params))


@require_POST
@role_required(Role.EXPERT)
def delete_filter(request, filter_id):
    try:
        services.delete_filter(user=request.user, filter_id=filter_id)
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("Saved filter deleted."))
    return redirect(queue_url(queue_params(request.POST)))
