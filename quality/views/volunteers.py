"""The volunteer's side: the "My accuracy" page and accepting the lead-spotter offer."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role

from .. import services
from ..personal import personal_dashboard, verdicts_table


@role_required(Role.VOLUNTEER)
def my_accuracy(request):
    """The volunteer's personal dashboard: accuracy with its interval, trend, calibration,
    breakdowns, the lead-spotter offer and each verdict with the expert's reason."""
    context = personal_dashboard(request.user)
    context["verdicts"] = verdicts_table(request.user)
    return render(request, "quality/my_accuracy.html", context)


@require_POST
@role_required(Role.VOLUNTEER)
def accept_lead_spotter(request):
    try:
        services.accept_lead_spotter(volunteer=request.user)
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Welcome, lead spotter! Thank you for your careful work."))
    return redirect("quality:accuracy")
