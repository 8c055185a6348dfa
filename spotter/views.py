from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .models import Role


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
        messages.success(request, _("Profile saved."))
        return redirect("profile")
    return render(request, "account/profile.html", {"form": form})
