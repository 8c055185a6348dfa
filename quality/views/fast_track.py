"""Fast-track: experts confirm low-risk reports from trusted volunteers in a compact batch.

The list and the confirm both go through ``quality.selectors.fast_track_reports`` (the one
rule: never Appendix I, never live animals); each confirm is the ordinary claim + confirm
(``quality.services.confirm_fast_tracked``), so forwarding and sampling happen as usual.
Admins see the list; only experts review reports, so only they get the buttons.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spotter.decorators import role_required
from spotter.models import Role

from .. import services
from ..forms import FastTrackForm
from ..models import VolunteerTally
from ..selectors import accuracy_from, fast_track_reports

PAGE_SIZE = 50


def _page(request):
    reports = (
        fast_track_reports(request.user)
        .select_related("species", "product_type", "company", "volunteer")
        .order_by("submitted_at", "id")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    # Why each volunteer is trusted: one read of the page's volunteers' all-time counters.
    volunteer_ids = {report.volunteer_id for report in page}
    tallies = VolunteerTally.objects.filter(
        volunteer_id__in=volunteer_ids, dimension="all", value=""
    ).values("volunteer_id", "confirmed", "rejected")
    accuracy = {row["volunteer_id"]: accuracy_from(row) for row in tallies}
    for report in page:
        report.fast_track_accuracy = accuracy.get(report.volunteer_id)
    return page


@role_required(Role.EXPERT, Role.ADMIN)
def fast_track(request):
    form = FastTrackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = services.confirm_fast_tracked(
            expert=request.user, references=form.cleaned_data["references"]
        )
        if result.confirmed:
            messages.success(
                request,
                ngettext(
                    "%(n)d report confirmed and forwarded.",
                    "%(n)d reports confirmed and forwarded.",
                    len(result.confirmed),
                )
                % {"n": len(result.confirmed)},
            )
        for reference, why in result.refused:
            messages.error(
                request, _("%(reference)s: %(why)s") % {"reference": reference, "why": why}
            )
        return redirect("quality:fast_track")
    return render(
        request,
        "quality/fast_track.html",
        {
            "page": _page(request),
            "form": form,
            "may_confirm": request.user.role == Role.EXPERT,
        },
        status=400 if request.method == "POST" else 200,
    )
