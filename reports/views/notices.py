"""Company staff handling notices together (bulk acknowledgement, assignment) and the
thread between the platform and the programme on one notice."""

from __future__ import annotations

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role, User

from .. import services
from ..permissions import access_report
from ..portal_forms import AssignForm, NoticeMessageForm


def _portal_url(query: str) -> str:
    """Back to the portal with the list's own filters (re-encoded: only a query string)."""
    params = QueryDict(query or "").urlencode()
    return reverse("reports:portal") + (f"?{params}" if params else "")


@require_POST
@role_required(Role.COMPANY_STAFF)
def bulk_acknowledge(request):
    back = _portal_url(request.POST.get("return_query", ""))
    try:
        result = services.bulk_acknowledge(
            staff=request.user, references=request.POST.getlist("references")
        )
    except SpotterError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if result.acknowledged:
        count = len(result.acknowledged)
        messages.success(
            request,
            ngettext("%(count)d notice acknowledged.", "%(count)d notices acknowledged.", count)
            % {"count": count},
        )
    if result.skipped:
        details = "; ".join(f"{ref}: {why}" for ref, why in result.skipped)
        count = len(result.skipped)
        messages.warning(
            request,
            ngettext(
                "%(count)d notice skipped (%(details)s).",
                "%(count)d notices skipped (%(details)s).",
                count,
            )
            % {"count": count, "details": details},
        )
    return redirect(back)


@require_POST
@role_required(Role.COMPANY_STAFF)
def assign(request, reference):
    report = access_report(request.user, reference)
    colleagues = services.colleagues(report.company_id)
    form = AssignForm(request.POST, colleagues=colleagues, viewer=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose an active colleague at your company."))
        return redirect("reports:company_detail", reference=reference)
    assignee_id = form.cleaned_data["assignee"]
    assignee = next((p for p in colleagues if p.pk == assignee_id), None)
    try:
        services.assign_notice(report=report, staff=request.user, assignee=assignee)
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        if assignee is None:
            messages.success(request, _("The notice is no longer assigned."))
        else:
            messages.success(
                request, _("Assigned to %(name)s.") % {"name": _assignee_name(assignee, request)}
            )
    return redirect("reports:company_detail", reference=reference)


def _assignee_name(assignee: User, request) -> str:
    return _("you") if assignee.pk == request.user.pk else assignee.public_name


def _thread_page(user: User, reference: str) -> str:
    if user.role == Role.COMPANY_STAFF:
        return reverse("reports:company_detail", args=[reference])
    if user.role == Role.EXPERT:
        return reverse("reports:review", args=[reference])
    return reverse("reports:detail", args=[reference])


@require_POST
@role_required(Role.COMPANY_STAFF, Role.EXPERT, Role.ADMIN)
def post_message(request, reference):
    report = access_report(request.user, reference)
    form = NoticeMessageForm(request.POST)
    back = _thread_page(request.user, reference) + "#notice-thread-title"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        services.post_notice_message(
            report=report, author=request.user, body=form.cleaned_data["body"]
        )
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Message posted."))
    return redirect(back)
