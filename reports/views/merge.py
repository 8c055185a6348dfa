"""Merging two reports of one listing: enter the other reference, compare, confirm.

GET with ``other`` shows both reports side by side and which one is kept
(``services.merge_order``); the POST with ``confirm=yes`` merges. Experts reach it from the
review page, admins from the report page; the service decides who may (reports.actions.MERGE).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role

from .. import services
from ..forms import MergeForm, add_errors
from ..permissions import access_report, visible_reports
from .confirmation import confirmed


def _report_page(user, reference: str):
    name = "reports:detail" if user.is_programme_admin else "reports:review"
    return redirect(name, reference=reference)


@require_http_methods(["GET", "POST"])
@role_required(Role.EXPERT, Role.ADMIN)
def merge(request, reference):
    report = access_report(request.user, reference)
    data = request.POST if request.method == "POST" else request.GET
    form = MergeForm(data if "other" in data else None)
    keep = absorb = None
    if form.is_valid():
        other = visible_reports(request.user).filter(reference=form.cleaned_data["other"]).first()
        if other is None:
            form.add_error("other", _("There is no report with this reference that you can see."))
        elif other.pk == report.pk:
            form.add_error("other", _("Enter the reference of another report."))
        else:
            keep, absorb = services.merge_order(report, other)
    if keep is not None and request.method == "POST" and confirmed(request):
        try:
            services.merge_reports(keep=keep, absorb=absorb, actor=request.user)
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(merged)s was merged into %(kept)s.")
                % {"merged": absorb.reference, "kept": keep.reference},
            )
            return _report_page(request.user, keep.reference)
    return render(
        request,
        "reports/merge.html",
        {
            "report": report,
            "form": form if keep is None or form.errors else MergeForm(initial=form.cleaned_data),
            "keep": keep if not form.errors else None,
            "absorb": absorb if not form.errors else None,
            "back_url": _report_page(request.user, report.reference).url,
        },
    )
