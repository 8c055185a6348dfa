"""Propose a term from a report's listing: the text is the user's selection of the listing
(static/js/keywords.js fills ``?text=``); without JavaScript the field is simply empty."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reports.permissions import access_report
from spotter.decorators import role_required
from spotter.errors import SpotterError

from .. import services
from ..forms import ProposeForm, put_error
from ..permissions import PROPOSERS
from .common import report_page


@role_required(*PROPOSERS)
def propose(request, reference):
    report = access_report(request.user, reference)
    back = report_page(request.user, report.reference)
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid():
            try:
                term = services.propose_term(actor=request.user, report=report, **form.cleaned_data)
            except SpotterError as exc:
                put_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Thank you: “%(text)s” was proposed; an expert will review it.")
                    % {"text": term.text},
                )
                return redirect(back)
    else:
        form = ProposeForm(initial=ProposeForm.initial_for(report, request.GET.get("text", "")))
    return render(request, "keywords/propose.html", {"report": report, "form": form, "back": back})
