from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role
from spotter.paginator import CappedPaginator

from .. import selectors, services
from ..actions import allowed_actions
from ..deadlines import time_left_label
from ..forms import CompanySettingsForm, OutcomeForm, add_errors
from ..forwarding.sla import is_overdue, next_deadline
from ..fragments import cached_fragment
from ..models import Outcome
from ..notices import notice_context
from ..panels import render_company_panels
from ..permissions import access_report
from ..portal_forms import AssignForm, PortalFilterForm
from .common import label_rows, reference_url_prefix
from .confirmation import confirmation_page, confirmed


@role_required(Role.COMPANY_STAFF)
def portal(request):
    form = PortalFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    filters = form.filters() if request.GET else {"sort": "due"}
    mine = bool(request.GET) and form.cleaned_data.get("mine")
    query = request.GET.copy()
    query.pop("page", None)
    flipped = query.copy()
    flipped["sort"] = "-due" if filters.get("sort", "due") == "due" else "due"
    company = request.user.company
    filter_form = form if request.GET else PortalFilterForm(initial={"sort": "due"})
    context = {
        "status": filters.get("status", ""),
        "filter_form": filter_form,
        # The form's fields (a template per widget) depend only on the query and the language.
        "filter_fields": cached_fragment(
            "portal-filters",
            [],
            [sorted(request.GET.lists())],
            lambda: render_to_string("includes/form_fields.html", {"form": filter_form}, request),
        ),
        "query": query.urlencode(),
        "due_sort_query": flipped.urlencode(),
        "sort": filters.get("sort", "due"),
        "company": company,
        "url_prefix": reference_url_prefix("reports:company_detail"),
    }

    def render_table() -> dict:
        page = CappedPaginator(
            selectors.company_reports(
                request.user.company_id,
                assignee_id=request.user.pk if mine else None,
                **filters,
            ),
            30,
        ).get_page(request.GET.get("page"))
        now = timezone.now()
        for report in page:
            report.overdue = is_overdue(report, now)
            report.time_left = time_left_label(next_deadline(report), now)
        label_rows(page)
        rows = {**context, "page": page}
        return {
            "any": bool(page.object_list),
            "rows": render_to_string("reports/includes/company_portal_rows.html", rows, request),
            "pagination": render_to_string("includes/pagination.html", rows, request),
        }

    # Cached per viewer ("me", their own assignments) and query until a report of the company
    # changes (reports/fragments.py); "time left" is at most PAGE_FRAGMENT_SECONDS old.
    context["table"] = cached_fragment(
        "portal",
        [f"company:{request.user.company_id}"],
        [request.user.pk, sorted(request.GET.lists())],
        render_table,
    )
    return render(request, "reports/company_portal.html", context, status=200 if valid else 400)


@role_required(Role.COMPANY_STAFF)
def company_settings(request):
    """The company's own choices: the language its notices are written in."""
    company = request.user.company
    if company is None:
        raise PermissionDenied
    form = CompanySettingsForm(
        request.POST or None, initial={"notice_language": company.notice_language}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_notice_language(
                company=company, actor=request.user, language=form.cleaned_data["notice_language"]
            )
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("reports:company_settings")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/company_settings.html",
        {"form": form, "company": company},
        status=status,
    )


@role_required(Role.COMPANY_STAFF)
def company_detail(request, reference):
    report = access_report(request.user, reference)
    return render(request, "reports/company_detail.html", _detail_context(request, report))


def _detail_context(request, report, outcome_form=None) -> dict:
    context = notice_context(report)
    context.update(
        {
            "outcome_form": outcome_form or OutcomeForm(),
            "overdue": is_overdue(report),
            "evidence_items": report.evidence.all(),
            "actions": allowed_actions(report, request.user),
            "panels": render_company_panels(report, request.user),
            "assign_form": _assign_form(report, request.user),
        }
    )
    return context


def _assign_form(report, user) -> AssignForm | None:
    """Open notices can be given to a colleague; closed ones show who handled them."""
    if report.status not in services.notices.ASSIGNABLE_STATES:
        return None
    return AssignForm(
        initial={"assignee": report.assignee_id or ""},
        colleagues=services.colleagues(report.company_id),
        viewer=user,
    )


@require_POST
@role_required(Role.COMPANY_STAFF)
def acknowledge(request, reference):
    report = access_report(request.user, reference)
    try:
        services.acknowledge_report(report=report, staff=request.user)
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Acknowledged."))
    return redirect("reports:company_detail", reference=reference)


@require_POST
@role_required(Role.COMPANY_STAFF)
def outcome(request, reference):
    report = access_report(request.user, reference)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, report, form)
        return render(request, "reports/company_detail.html", context, status=400)
    if not confirmed(request):
        return confirmation_page(
            request,
            title=_("Record the outcome of %(ref)s?") % {"ref": reference},
            question=_("Recording the outcome closes the notice and the volunteer is told."),
            button=_("Record outcome"),
            cancel_url=reverse("reports:company_detail", args=[reference]),
            details=_outcome_details(form),
        )
    try:
        services.record_outcome(
            report=report,
            staff=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Outcome recorded. Thank you for acting on this notice."))
    return redirect("reports:company_detail", reference=reference)


def _outcome_details(form) -> list:
    return [
        (_("Outcome"), Outcome(form.cleaned_data["outcome"]).label),
        (_("Note"), form.cleaned_data["note"]),
    ]


@require_POST
@role_required(Role.COMPANY_STAFF)
def correct_outcome(request, reference):
    """Staff fix a wrongly recorded outcome (the closed report stays closed; audited)."""
    report = access_report(request.user, reference)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, report, form)
        return render(request, "reports/company_detail.html", context, status=400)
    try:
        services.correct_outcome(
            report=report,
            staff=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Outcome corrected."))
    return redirect("reports:company_detail", reference=reference)
