from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role
from spotter.paginator import CappedPaginator

from .. import selectors, services
from ..actions import MERGE, allowed_actions
from ..cites import cites_for_report
from ..forms import ConfirmForm, MergeForm, NeedsInfoForm, RejectForm
from ..fragments import cached_fragment, is_htmx_partial, vary_on_htmx
from ..models import MemberCompany, RejectionReason, SpeciesGroup
from ..panels import render_review_panels
from ..permissions import access_report, visible_reports
from ..queue import query_string, queue_params, selector_filters, sort_choices
from ..queue_sorts import queue_sort
from ..resubmission import latest_resubmission
from ..timeline import timeline_for
from .common import label_rows, reference_url_prefix
from .confirmation import confirmation_page, confirmed
from .queue_nav import go_next, queue_url, review_url, with_query


def _form_problems(form) -> list[str]:
    return [str(message) for messages_ in form.errors.values() for message in messages_]


@role_required(Role.EXPERT)
def queue(request):
    params = queue_params(request.GET)
    filters = selector_filters(params)
    saved_filters = list(request.user.saved_filters.all())
    for saved in saved_filters:
        saved.url = queue_url(queue_params(saved.params))
    query = query_string(params)
    ordering = queue_sort(filters["sort"])

    def render_table() -> str:
        reports = selectors.expert_queue(expert=request.user, **filters)
        page = CappedPaginator(reports, 30).get_page(request.GET.get("page"))
        label_rows(page)
        context = {
            "page": page,
            "ordering": ordering,
            "queue_query": query,
            "next_url": with_query(reverse("reports:queue_next"), params),
            "url_prefix": reference_url_prefix("reports:review"),
        }
        return render_to_string("reports/includes/queue_table.html", context, request)

    def render_filters() -> str:
        context = {
            "groups": SpeciesGroup.objects.all(),
            "companies": MemberCompany.objects.filter(is_active=True).only("slug", "name"),
            "sorts": sort_choices(),
            **filters,
        }
        return render_to_string("reports/includes/queue_filters.html", context, request)

    # What the expert may see of the queue depends on who they are (their own reports, their
    # claims): the table is cached per expert and query (reports/fragments.py).
    get = sorted(request.GET.lists())
    context = {
        "table": cached_fragment("queue", ["queue"], [request.user.pk, get], render_table),
        "params": params,
        "saved_filters": saved_filters,
    }
    if is_htmx_partial(request):  # the filter bar swaps #queue only: no need for the page
        return vary_on_htmx(render(request, "reports/includes/queue_body.html", context))
    context["filter_bar"] = cached_fragment(
        "queue-filters", ["reference"], [sorted(filters.items())], render_filters
    )
    return vary_on_htmx(render(request, "reports/queue.html", context))


@role_required(Role.EXPERT)
def review(request, reference):
    report = access_report(request.user, reference)
    actions = allowed_actions(report, request.user)
    params = queue_params(request.GET)
    return render(
        request,
        "reports/review.html",
        {
            "report": report,
            "evidence": report.evidence.all(),
            "timeline": timeline_for(report, request.user),
            "confirm_form": ConfirmForm(auto_id="confirm_%s"),
            "reject_form": RejectForm(auto_id="reject_%s"),
            "needs_info_form": NeedsInfoForm(auto_id="needs_info_%s"),
            # The decision buttons; merging has its own card.
            "actions": actions - {MERGE},
            "may_merge": MERGE in actions,
            "merge_form": MergeForm(),
            "duplicates": visible_reports(request.user, report.duplicates.all()).only(
                "reference", "status"
            ),
            "panels": render_review_panels(report, request.user),
            # The queue the expert came from: decisions and "next" follow it.
            "params": params,
            "queue_url": queue_url(params),
            "next_url": with_query(reverse("reports:queue_next"), params, after=reference),
            "resubmission": latest_resubmission(report),
            "listing_history": selectors.same_listing_reports(request.user, report),
            "cites": cites_for_report(report),
        },
    )


def _decide(request, reference, decide):
    """Run a decision on the report; then the next report of the same queue."""
    report = access_report(request.user, reference)
    params = queue_params(request.POST)
    candidates = selectors.queue_successors(
        expert=request.user, current=report, **selector_filters(params)
    )
    try:
        result = decide(report)
    except SpotterError as exc:
        messages.error(request, str(exc))
        return redirect(review_url(reference, params))
    if isinstance(result, str):  # what was done: go on to the next report
        return go_next(request, params=params, candidates=candidates, done=result)
    return result  # a page (a form problem, or the confirmation step)


def _act(request, reference, action):
    report = access_report(request.user, reference)
    try:
        result = action(report)
    except SpotterError as exc:
        messages.error(request, str(exc))
        return redirect("reports:review", reference=reference)
    return result


@require_POST
@role_required(Role.EXPERT)
def claim(request, reference):
    def do(report):
        services.claim_report(report=report, expert=request.user)
        messages.success(request, _("You are reviewing %(ref)s.") % {"ref": reference})
        return redirect(review_url(reference, queue_params(request.POST)))

    return _act(request, reference, do)


@require_POST
@role_required(Role.EXPERT)
def release(request, reference):
    def do(report):
        services.release_report(report=report, expert=request.user)
        messages.info(request, _("%(ref)s is back in the queue.") % {"ref": reference})
        return redirect(queue_url(queue_params(request.POST)))

    return _act(request, reference, do)


@require_POST
@role_required(Role.EXPERT)
def confirm(request, reference):
    form = ConfirmForm(request.POST)

    def do(report):
        if not form.is_valid():
            messages.error(request, _("Check the confirmation form."))
            return redirect(review_url(reference, queue_params(request.POST)))
        services.confirm_report(
            report=report,
            expert=request.user,
            species=form.cleaned_data["species_obj"],
            product_type=form.cleaned_data["product_type"],
            note=form.cleaned_data["note"],
        )
        return _("%(ref)s confirmed.") % {"ref": reference}

    return _decide(request, reference, do)


@require_POST
@role_required(Role.EXPERT)
def reject(request, reference):
    form = RejectForm(request.POST)

    def do(report):
        if not form.is_valid():
            problem = _("Choose a reason for rejecting the report.")
            messages.error(
                request, problem if "reason" in form.errors else " ".join(_form_problems(form))
            )
            return redirect(review_url(reference, queue_params(request.POST)))
        if not confirmed(request):
            return confirmation_page(
                request,
                title=_("Reject %(ref)s?") % {"ref": reference},
                question=_("A rejection is final and the volunteer is told. Reject the report?"),
                button=_("Reject"),
                cancel_url=review_url(reference, queue_params(request.POST)),
                details=[
                    (_("Reason"), RejectionReason(form.cleaned_data["reason"]).label),
                    (_("Explanation for the volunteer"), form.cleaned_data["note"]),
                ],
            )
        services.reject_report(
            report=report,
            expert=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        return _("%(ref)s rejected.") % {"ref": reference}

    return _decide(request, reference, do)


@require_POST
@role_required(Role.EXPERT)
def needs_info(request, reference):
    form = NeedsInfoForm(request.POST)

    def do(report):
        if not form.is_valid():
            messages.error(request, " ".join(_form_problems(form)))
            return redirect(review_url(reference, queue_params(request.POST)))
        services.request_info(
            report=report, expert=request.user, message=form.cleaned_data["message"]
        )
        return _("%(ref)s returned to the volunteer.") % {"ref": reference}

    return _decide(request, reference, do)
