"""Profile-page views for API tokens (HTML, session login): create and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from spotter.errors import SpotterError

from .models import ApiToken
from .tokens import create_token, revoke_token


@never_cache
@require_POST
@login_required
def token_create(request):
    try:
        token, raw = create_token(user=request.user, name=request.POST.get("name", ""))
    except SpotterError as exc:
        messages.error(request, str(exc))
        return redirect("profile")
    # Shown in this response only; it is never stored or displayed again.
    return render(request, "api/token_created.html", {"token": token, "raw_token": raw})


@require_POST
@login_required
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        revoke_token(token=token, actor=request.user)
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("profile")
