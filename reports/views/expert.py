from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role

from .. import selectors, services
from ..actions import MERGE, allowed_actions
from ..forms import ConfirmForm, MergeForm, NeedsInfoForm, RejectForm
from ..models import MemberCompany, RejectionReason, SpeciesGroup
from ..panels import render_review_panels
from ..permissions import access_report, visible_reports
from ..queue_sorts import queue_sort, queue_sorts
from ..timeline import timeline_for
from .common import label_rows, reference_url_prefix
from .confirmation import confirmation_page, confirmed


@role_required(Role.EXPERT)
def queue(request):
    group = request.GET.get("group", "")
    platform = request.GET.get("platform", "")
    sort = queue_sort(request.GET.get("sort", ""))
    reports = selectors.expert_queue(
        expert=request.user, group=group, platform=platform, sort=sort.key if sort else ""
    )
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    label_rows(page)
    return render(
        request,
        "reports/queue.html",
        {
            "page": page,
            "groups": SpeciesGroup.objects.all(),
            "companies": MemberCompany.objects.filter(is_active=True).only("slug", "name"),
            "group": group,
            "platform": platform,
            "sorts": queue_sorts.values(),
            "sort": sort,
            "url_prefix": reference_url_prefix("reports:review"),
        },
    )


@role_required(Role.EXPERT)
def review(request, reference):
    report = access_report(request.user, reference)
    actions = allowed_actions(report, request.user)
    return render(
        request,
        "reports/review.html",
        {
            "report": report,
            "evidence": report.evidence.all(),
            "timeline": timeline_for(report, request.user),
            "confirm_form": ConfirmForm(),
            "reject_form": RejectForm(),
            "needs_info_form": NeedsInfoForm(),
            # The decision buttons; merging has its own card.
            "actions": actions - {MERGE},
            "may_merge": MERGE in actions,
            "merge_form": MergeForm(),
            "duplicates": visible_reports(request.user, report.duplicates.all()).only(
                "reference", "status"
            ),
            "panels": render_review_panels(report, request.user),
        },
    )


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
        return redirect("reports:review", reference=reference)

    return _act(request, reference, do)


@require_POST
@role_required(Role.EXPERT)
def release(request, reference):
    def do(report):
        services.release_report(report=report, expert=request.user)
        messages.info(request, _("%(ref)s is back in the queue.") % {"ref": reference})
        return redirect("reports:queue")

    return _act(request, reference, do)


@require_POST
@role_required(Role.EXPERT)
def confirm(request, reference):
    form = ConfirmForm(request.POST)

    def do(report):
        if not form.is_valid():
            messages.error(request, _("Check the confirmation form."))
            return redirect("reports:review", reference=reference)
        services.confirm_report(
            report=report,
            expert=request.user,
            species=form.cleaned_data["species_obj"],
            product_type=form.cleaned_data["product_type"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("%(ref)s confirmed.") % {"ref": reference})
        return redirect("reports:queue")

    return _act(request, reference, do)


@require_POST
@role_required(Role.EXPERT)
def reject(request, reference):
    form = RejectForm(request.POST)

    def do(report):
        if not form.is_valid():
            messages.error(request, _("Choose a reason for rejecting the report."))
            return redirect("reports:review", reference=reference)
        if not confirmed(request):
            return confirmation_page(
                request,
                title=_("Reject %(ref)s?") % {"ref": reference},
                question=_("A rejection is final and the volunteer is told. Reject the report?"),
                button=_("Reject"),
                cancel_url=reverse("reports:review", args=[reference]),
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
        messages.success(request, _("%(ref)s rejected.") % {"ref": reference})
        return redirect("reports:queue")

    return _act(request, reference, do)


@require_POST
@role_required(Role.EXPERT)
def needs_info(request, reference):
    form = NeedsInfoForm(request.POST)

    def do(report):
        if not form.is_valid():
            messages.error(request, _("Say what information is needed."))
            return redirect("reports:review", reference=reference)
        services.request_info(
            report=report, expert=request.user, message=form.cleaned_data["message"]
        )
        messages.success(request, _("%(ref)s returned to the volunteer.") % {"ref": reference})
        return redirect("reports:queue")

    return _act(request, reference, do)
