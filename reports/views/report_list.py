"""The reports behind a headline number (admins): ``/overview/reports/?figure=<name>&…``.

The list is filtered with the figure's own definition (reports.figures), the one its number was
counted with, so a number and its list cannot disagree (the overview's numbers are a snapshot up
to HEADLINE_REFRESH_SECONDS old; this list is counted now).
"""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spotter.decorators import role_required
from spotter.errors import InvalidInput
from spotter.models import Role
from spotter.paginator import CappedPaginator

from ..figures import all_figures, get_figure
from ..models import Report

PAGE_SIZE = 50


class FigureForm(forms.Form):
    figure = forms.CharField(label=_("Number"), max_length=60)

    def clean_figure(self):
        figure = get_figure(self.cleaned_data["figure"])
        if figure is None:
            raise forms.ValidationError(_("There is no such number."))
        return figure


@role_required(Role.ADMIN)
def report_list(request):
    if "figure" not in request.GET:  # the numbers there are lists of
        return render(request, "reports/report_list.html", {"figures": all_figures()})
    form = FigureForm(request.GET)
    reports = None
    if form.is_valid():
        figure = form.cleaned_data["figure"]
        try:
            where = figure.where(request.GET, timezone.now())
        except InvalidInput as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    form.add_error(None, f"{field}: {message}" if field else message)
        else:
            reports = (
                Report.objects.filter(where)
                .select_related("species", "company")
                .order_by("-submitted_at", "-id")
            )
    if reports is None:
        return render(request, "reports/report_list.html", {"form": form}, status=400)
    page = CappedPaginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "figure": figure,
            "page": page,
            "selection": [
                (name, request.GET[name]) for name in figure.params if request.GET.get(name)
            ],
        },
    )
