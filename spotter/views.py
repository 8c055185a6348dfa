from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from . import privacy, services
from .forms import CloseAccountForm, ProfileForm
from .models import Role
from .permissions import can_delete_own_account


def home(request):
    """Each role has its own home page."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home.html")
    if user.is_programme_admin:
        return redirect("reports:overview")
    destinations = {
        Role.VOLUNTEER: "reports:mine",
        Role.EXPERT: "reports:queue",
        Role.COMPANY_STAFF: "reports:portal",
    }
    return redirect(destinations.get(user.role, "profile"))


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.set_interface_language(user=request.user, language=form.cleaned_data["language"])
        messages.success(request, _("Profile saved."))
        return redirect("profile")
    return render(
        request,
        "account/profile.html",
        {"form": form, "can_close_account": can_delete_own_account(request.user)},
    )


@login_required
def data_export(request):
    """The signed-in user's data as a JSON download (profile, reports, audit events)."""
    data = privacy.export_user_data(request.user)
    privacy.record_export(user=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="cyber-spotter-my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def close_account(request):
    """Volunteers close their own account (anonymised; their reports stay)."""
    if not can_delete_own_account(request.user):
        raise PermissionDenied
    form = CloseAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy.close_account(user=request.user)
        logout(request)
        messages.success(
            request,
            _(
                "Your account is closed and your personal details are deleted. Thank you for "
                "everything you spotted."
            ),
        )
        return redirect("home")
    return render(request, "account/close_account.html", {"form": form})


def choose_language(request):
    """The footer's language switcher: Django's set_language (cookie, safe redirect), and for a
    signed-in user the choice is remembered on the profile, so emails follow it too."""
    code = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and code in dict(settings.LANGUAGES)
    ):
        services.set_interface_language(user=request.user, language=code)
    return set_language(request)
