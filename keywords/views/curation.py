"""Experts and admins curate: approve, edit, merge, reject, retire — each a POST to a service.

Rejecting, retiring and merging cannot be undone from the pages, so they ask first
(``data-confirm`` in the browser, the confirmation page of reports without JavaScript).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.views.confirmation import confirmation_page, confirmed
from spotter.decorators import role_required
from spotter.errors import SpotterError

from .. import services
from ..forms import EditForm, MergeForm, ReasonForm, put_error
from ..permissions import CURATORS, access_term, visible_terms
from .common import safe_next


def _term_url(term) -> str:
    return reverse("keywords:term", kwargs={"term_id": term.pk})


def _run(request, term, action, done: str):
    try:
        action()
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"text": term.text})
    return redirect(safe_next(request, _term_url(term)))


@require_POST
@role_required(*CURATORS)
def approve(request, term_id):
    term = access_term(request.user, term_id)
    return _run(
        request,
        term,
        lambda: services.approve_term(actor=request.user, term=term),
        _("“%(text)s” is approved: new submissions are matched against it."),
    )


def _ask(request, term, *, title, question, button):
    return confirmation_page(
        request,
        title=title,
        question=question,
        button=button,
        cancel_url=_term_url(term),
        details=[(_("Term"), f"{term.text} ({term.language})")],
    )


def _decide_with_reason(request, term_id, service, *, title, question, button, done):
    """Reject and retire: confirm first, then the service with the optional reason."""
    term = access_term(request.user, term_id)
    if not confirmed(request):
        return _ask(request, term, title=title, question=question, button=button)
    reason = ReasonForm(request.POST)
    text = reason.cleaned_data["reason"] if reason.is_valid() else ""
    return _run(request, term, lambda: service(actor=request.user, term=term, reason=text), done)


@require_POST
@role_required(*CURATORS)
def reject(request, term_id):
    return _decide_with_reason(
        request,
        term_id,
        services.reject_term,
        title=_("Reject the proposal"),
        question=_("A rejected proposal is retired and matches nothing. Reject it?"),
        button=_("Reject"),
        done=_("“%(text)s” was rejected."),
    )


@require_POST
@role_required(*CURATORS)
def retire(request, term_id):
    return _decide_with_reason(
        request,
        term_id,
        services.retire_term,
        title=_("Retire the term"),
        question=_("A retired term no longer matches new submissions. Retire it?"),
        button=_("Retire"),
        done=_("“%(text)s” was retired."),
    )


@require_POST
@role_required(*CURATORS)
def merge(request, term_id):
    term = access_term(request.user, term_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("into", []):
            messages.error(request, message)
        return redirect(_term_url(term))
    into = visible_terms(request.user).filter(pk=form.cleaned_data["into"]).first()
    if into is None:
        messages.error(request, _("There is no term #%(n)s.") % {"n": form.cleaned_data["into"]})
        return redirect(_term_url(term))
    if not confirmed(request):
        return confirmation_page(
            request,
            title=_("Merge a duplicate"),
            question=_(
                "The matches of the duplicate move to the kept term, and the duplicate is "
                "retired. This cannot be undone. Merge?"
            ),
            button=_("Merge"),
            cancel_url=_term_url(term),
            details=[
                (_("Duplicate"), f"#{term.pk} {term.text} ({term.language})"),
                (_("Kept"), f"#{into.pk} {into.text} ({into.language})"),
            ],
        )
    try:
        services.merge_terms(actor=request.user, term=term, into=into)
    except SpotterError as exc:
        messages.error(request, str(exc))
        return redirect(_term_url(term))
    messages.success(
        request, _("“%(dup)s” was merged into “%(kept)s”.") % {"dup": term.text, "kept": into.text}
    )
    return redirect(_term_url(into))


@role_required(*CURATORS)
def edit(request, term_id):
    term = access_term(request.user, term_id)
    initial = {
        "text": term.text,
        "language": term.language,
        "kind": term.kind,
        "species_groups": list(term.species_groups.values_list("pk", flat=True)),
        "product_type": term.product_type_id,
        "source": term.source,
    }
    if request.method == "POST":
        form = EditForm(request.POST, initial=initial, term=term)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                if changes:
                    services.edit_term(actor=request.user, term=term, **changes)
            except SpotterError as exc:
                put_error(form, exc)
            else:
                messages.success(request, _("The term was saved."))
                return redirect(_term_url(term))
    else:
        form = EditForm(initial=initial, term=term)
    return render(request, "keywords/edit.html", {"term": term, "form": form})
