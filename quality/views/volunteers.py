"""The volunteer's side: accepting the lead-spotter offer (the page itself is reports:accuracy)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role

from .. import services


@require_POST
@role_required(Role.VOLUNTEER)
def accept_lead_spotter(request):
    try:
        services.accept_lead_spotter(volunteer=request.user)
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Welcome, lead spotter! Thank you for your careful work."))
    return redirect("reports:accuracy")
