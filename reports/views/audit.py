"""The admins' audit search: ``/ops/audit/`` (the form and query are in reports/audit_search.py)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from spotter.audit import check_window
from spotter.decorators import role_required
from spotter.models import AuditChainHead, Role

from ..audit_search import PAGE_SIZE, AuditSearchForm, search_events
from ..models import Report


def actor_name(event) -> str:
    """Staff roles by email (as on a report's timeline for admins); a volunteer by pseudonym
    or role and id only: the search must not reveal more of a volunteer than a report does."""
    actor = event.actor
    if actor is None:
        return event.actor_label or _("system")
    if actor.role == Role.VOLUNTEER:
        return actor.pseudonym or event.actor_label
    return actor.email


@role_required(Role.ADMIN)
def audit_search(request):
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/audit_search.html", {"form": form}, status=400)
    events = list(search_events(form.cleaned_data)[: PAGE_SIZE + 1])
    has_more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    report_ids = {
        int(e.object_id) for e in events if e.object_type == "report" and e.object_id.isdigit()
    }
    references = dict(
        Report.objects.filter(pk__in=report_ids).values_list("pk", "reference")
        if report_ids
        else []
    )
    rows = [
        (
            event,
            actor_name(event),
            references.get(int(event.object_id))
            if event.object_type == "report" and event.object_id.isdigit()
            else None,
        )
        for event in events
    ]
    query = request.GET.copy()
    query.pop("before", None)
    next_query = None
    if has_more:
        query["before"] = str(events[-1].pk)
        next_query = query.urlencode()
    first_query = request.GET.copy()
    first_query.pop("before", None)
    return render(
        request,
        "reports/audit_search.html",
        {
            "form": form,
            "rows": rows,
            "window": check_window(events),
            "head": AuditChainHead.objects.filter(pk=1).first(),
            "next_query": next_query,
            "first_query": first_query.urlencode() if form.cleaned_data.get("before") else None,
        },
    )
