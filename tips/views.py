"""Pages of the tip line: the public form (anyone) and the triage queue (lead spotters, experts,
admins — tips.permissions). Views only read the request, call a selector or a service, and
render; every refusal is shown on the form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from reports.forms import add_errors
from spotter.errors import InvalidInput, LimitReached, NotAllowed, SpotterError
from spotter.middleware import client_ip

from . import abuse, selectors, services, staging
from .conf import setting
from .forms import HONEYPOT_FIELD, ConvertTipForm, DismissTipForm, TipForm
from .permissions import may_triage

_SENT_SALT = "tips.sent"


def _form_page(request, form, staged, status=200):
    return render(
        request,
        "tips/form.html",
        {
            "form": form,
            "challenge": abuse.issue_challenge(),
            "pow_bits": setting("TIPS_POW_BITS"),
            "staged_row": staged,
            "staged_token": staging.token(staged) if staged else "",
            "retention_days": setting("TIPS_RETENTION_DAYS"),
        },
        status=status,
    )


def tip_form(request):
    """The public "report a listing" form. Order of the checks: the rate limits (no work done
    for a sender over them), the fields (URL, limits, honeypot, screenshot), the proof of work,
    then the service (duplicate window, counting the tip)."""
    if request.method != "POST":
        return _form_page(request, TipForm(), None)
    origin = abuse.origin_of(client_ip(request))
    staged = staging.from_token(request.POST.get("staged"))
    try:
        abuse.check_rate(origin)
    except LimitReached as exc:
        # Over the limits: the fields come back, but no upload is read or decoded.
        form = TipForm(request.POST)
        form.is_valid()
        form.add_error(None, exc.messages)
        return _form_page(request, form, staged, status=429)
    form = TipForm(request.POST, request.FILES)
    fields_ok = form.is_valid()
    proof_ok = False
    if _honeypot_ok(form):
        try:
            abuse.check_proof_of_work(
                request.POST.get("challenge", ""), request.POST.get("pow_nonce", "")
            )
            proof_ok = True
        except InvalidInput as exc:
            form.add_error(None, exc.messages)
    if fields_ok and proof_ok:
        try:
            tip = services.submit_tip(
                listing_url=form.cleaned_data["listing_url"],
                note=form.cleaned_data["note"],
                email=form.cleaned_data["email"],
                language=get_language() or "",
                origin=origin,
                screenshot=form.processed_screenshot,
                staged=None if form.processed_screenshot else staged,
            )
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            token = signing.dumps(tip.reference, salt=_SENT_SALT)
            return redirect(f"{reverse('tips:sent')}?t={token}")
    # Refused: keep what was accepted. The typed fields come back with the form; a screenshot
    # that passed the pipeline is staged, but only when the proof of work was valid (storing a
    # file costs a sender the same work as a tip).
    if proof_ok and form.processed_screenshot is not None:
        staged = staging.store(*form.processed_screenshot)
    return _form_page(request, form, staged, status=400)


def _honeypot_ok(form) -> bool:
    """A filled honeypot is refused outright: no proof of work is spent on it."""
    return HONEYPOT_FIELD not in form.errors


def tip_sent(request):
    try:
        reference = signing.loads(request.GET.get("t", ""), salt=_SENT_SALT, max_age=3600)
    except signing.BadSignature:
        return redirect("tips:submit")
    return render(request, "tips/sent.html", {"reference": reference})


def _triager_only(request):
    if not may_triage(request.user):
        raise PermissionDenied


@login_required
def queue(request):
    _triager_only(request)
    try:
        page = max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        page = 1
    tips, has_next = selectors.queue_page(request.user, page)
    return render(
        request,
        "tips/queue.html",
        {
            "tips": tips,
            "page": page,
            "has_next": has_next,
            "handled": selectors.recently_handled(request.user),
        },
    )


@login_required
def detail(request, tip_reference):
    _triager_only(request)
    tip = selectors.access_tip(request.user, tip_reference)
    return render(
        request,
        "tips/detail.html",
        {
            "tip": tip,
            "screenshot": getattr(tip, "screenshot", None),
            "dismiss_form": DismissTipForm(),
        },
    )


@login_required
def screenshot(request, tip_reference):
    """The re-encoded PNG only (never the upload as sent), sandboxed like report evidence."""
    _triager_only(request)
    tip = selectors.access_tip(request.user, tip_reference)
    shot = getattr(tip, "screenshot", None)
    if shot is None or not shot.image:
        raise Http404
    response = FileResponse(shot.image.open("rb"), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{tip.reference}.png"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def convert(request, tip_reference):
    _triager_only(request)
    tip = selectors.access_tip(request.user, tip_reference)
    if tip.status != "new":
        return redirect("tips:detail", tip_reference=tip.reference)
    form = ConvertTipForm(request.POST or None, request.FILES or None, tip=tip)
    if request.method == "POST" and form.is_valid():
        try:
            services.convert_tip(
                tip=tip,
                triager=request.user,
                details=form.listing_details(),
                images=form.processed_images,
                image_names=form.image_names,
            )
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            return redirect("tips:detail", tip_reference=tip.reference)
    return render(request, "tips/convert.html", {"tip": tip, "form": form})


@require_POST
@login_required
def dismiss(request, tip_reference):
    _triager_only(request)
    tip = selectors.access_tip(request.user, tip_reference)
    form = DismissTipForm(request.POST)
    if form.is_valid():
        try:
            services.dismiss_tip(tip=tip, triager=request.user, reason=form.cleaned_data["reason"])
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            return redirect("tips:queue")
    return render(
        request,
        "tips/detail.html",
        {"tip": tip, "screenshot": getattr(tip, "screenshot", None), "dismiss_form": form},
        status=400,
    )
