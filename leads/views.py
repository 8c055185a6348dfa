"""The leads pages. Each view asks ``leads.permissions`` and calls ``leads.services``.

- Lead spotters: the pre-screen queue (with their round's open questions), one report to
  pre-screen (and its screenshots), their pre-screen accuracy.
- Volunteers, leads, experts (and admins, read-only): a report's questions thread.
- Admins: the table of leads' pre-screen accuracy.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role

from . import conf, permissions, selectors, services
from .forms import AnswerForm, PreScreenForm, TextForm
from .models import PreScreen, Question


def lead_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.is_lead(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _form_error(form, error: SpotterError) -> None:
    field = error.field if error.field in form.fields else None
    for message in error.messages:
        form.add_error(field, message)


@lead_required
def queue(request):
    lead = request.user
    # lead_required asked is_lead already.
    reports = permissions.prescreen_queue(lead, checked=True).select_related(
        "volunteer", "species", "product_type"
    )
    page = Paginator(reports, conf.LEAD_QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "leads/queue.html",
        {
            "page": page,
            "reports": list(page.object_list),
            "questions": list(permissions.open_questions_for(lead, checked=True)[:10]),
        },
    )


@lead_required
def prescreen(request, reference):
    lead = request.user
    report = permissions.access_lead_report(lead, reference)
    mine = PreScreen.objects.filter(report=report, lead=lead).first()
    may_prescreen = mine is None and permissions.can_prescreen(lead, report)
    form = PreScreenForm(request.POST or None) if may_prescreen else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This report is no longer waiting for a pre-screen by you."))
            return redirect("leads:queue")
        if form.is_valid():
            try:
                services.prescreen(
                    lead=lead,
                    report=report,
                    verdict=form.cleaned_data["verdict"],
                    note=form.cleaned_data["note"],
                )
            except SpotterError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request, _("Pre-screen saved for %(ref)s.") % {"ref": report.reference}
                )
                return redirect("leads:queue")
    return render(
        request,
        "leads/prescreen.html",
        {
            "report": report,
            "reporter": permissions.reporter_label(report),
            "evidence": report.evidence.all(),
            "form": form,
            "mine": mine,
            "questions_url_ok": permissions.can_answer(lead, report),
        },
    )


@lead_required
def evidence(request, reference, evidence_id):
    """A screenshot (re-encoded copy) of a report the lead may open."""
    report = permissions.access_lead_report(request.user, reference)
    item = report.evidence.filter(pk=evidence_id).first()
    if item is None or not item.image:
        raise Http404("No such evidence.")
    ext = item.image.name.rsplit(".", 1)[-1]
    content_type = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}.get(ext)
    if content_type is None:
        raise Http404
    response = FileResponse(item.image.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{report.reference}-{item.pk}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def questions(request, reference):
    """The questions thread of a report: the owner asks; leads and experts answer."""
    user = request.user
    report = permissions.access_question_report(user, reference)
    may_ask = permissions.can_ask(user, report)
    may_answer = permissions.can_answer(user, report)
    form = TextForm(request.POST or None) if may_ask else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.ask_question(volunteer=user, report=report, text=form.cleaned_data["text"])
            except SpotterError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Your question was sent to the leads of your round."))
                return redirect("leads:questions", reference=report.reference)
    is_owner = report.volunteer_id == user.pk
    if is_owner:
        back = "reports:detail"
    elif user.role == Role.EXPERT:
        back = "reports:review"
    elif permissions.is_lead(user):
        back = "leads:prescreen"
    else:
        back = "reports:detail"
    return render(
        request,
        "leads/questions.html",
        {
            "report": report,
            "thread": selectors.thread(report),
            "form": form,
            "may_answer": may_answer,
            "answer_form": AnswerForm(auto_id="answer_%s") if may_answer else None,
            "is_owner": is_owner,
            "back": back,
        },
    )


@require_POST
@login_required
def answer(request, question_id):
    question = get_object_or_404(Question.objects.select_related("report"), pk=question_id)
    if not permissions.can_answer(request.user, question.report):
        raise Http404("No such question.")
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_question(
                author=request.user, question=question, text=form.cleaned_data["text"]
            )
        except SpotterError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your answer was sent."))
    else:
        messages.error(request, " ".join(form.errors.get("text", [])))
    return redirect("leads:questions", reference=question.report.reference)


@lead_required
def accuracy(request):
    lead = request.user
    return render(
        request,
        "leads/accuracy.html",
        {
            "accuracy": selectors.prescreen_accuracy(lead),
            "recent": selectors.recent_prescreens(lead),
        },
    )


@role_required(Role.ADMIN)
def lead_table(request):
    page = Paginator(selectors.lead_table(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "leads/table.html",
        {"page": page, "rows": selectors.lead_rows(page.object_list)},
    )
