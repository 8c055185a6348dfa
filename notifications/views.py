"""The notification list, the header's unread count and the preferences page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.errors import SpotterError

from . import services
from .models import Channel, Kind, Notification
from .text import describe

PAGE_SIZE = 30


@login_required
def notification_list(request):
    rows = Notification.objects.filter(user=request.user).select_related("report")
    if request.GET.get("unread") == "1":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(n, describe(n)) for n in page.object_list]
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "items": items,
            "unread_only": request.GET.get("unread") == "1",
            "unread": services.unread_count(request.user),
        },
    )


@login_required
def open_notification(request, notification_id):
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(describe(notification).url)


@require_POST
@login_required
def mark_all_read(request):
    count = services.mark_read(user=request.user)
    messages.success(request, _("%(count)s notification(s) marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def unread_count(request):
    """The header's badge, fetched by htmx after the page loads (no query on every page)."""
    return render(
        request, "notifications/count.html", {"count": services.unread_count(request.user)}
    )


class PreferencesForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, default in services.kinds_for(user).items():
            self.fields[kind] = forms.ChoiceField(
                label=Kind(kind).label,
                choices=Channel.choices,
                initial=services.channel_for(user, kind),
                widget=forms.RadioSelect,
                help_text=_("Default: %(channel)s") % {"channel": Channel(default).label},
            )


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(user=request.user, choices=form.cleaned_data)
        except SpotterError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, _("Notification preferences saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
