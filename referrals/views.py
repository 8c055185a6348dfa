"""Referrals pages: the admins' partners, referrals, "no route" list and domain tool; the
partner's one-click outcome form and evidence package (the signed token is the permission)."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import limits
from reports.models import DeliveryStatus, MemberCompany
from reports.package import build_package
from spotter.audit import record_event
from spotter.converters import parse_id
from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.middleware import client_ip
from spotter.models import Role, User

from . import conf, notices, services, unrouted
from .forms import DomainForm, OutcomeForm, PartnerForm
from .models import Referral, ReferralDelivery, ReferralPartner

LIST_LIMIT = 100


# --- partners -------------------------------------------------------------------------------


@role_required(Role.ADMIN)
def partners(request):
    rows = ReferralPartner.objects.annotate(
        referral_count=Count("referrals"),
        open_count=Count("referrals", filter=Q(referrals__outcome="")),
    ).order_by("-is_active", "name")
    return render(request, "referrals/partners.html", {"partners": rows})


def _edit(request, partner: ReferralPartner | None):
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        creating = partner is None
        saved = services.save_partner(partner=form.save(commit=False), actor=request.user)
        if creating and saved.webhook_secret:
            messages.info(
                request,
                _("Webhook signing secret (give it to the partner; it is shown once): %(secret)s")
                % {"secret": saved.webhook_secret},
            )
        messages.success(request, _("Partner %(name)s saved.") % {"name": saved.name})
        return redirect("referrals:partners")
    return render(request, "referrals/partner_form.html", {"form": form, "partner": partner})


@role_required(Role.ADMIN)
def partner_create(request):
    return _edit(request, None)


@role_required(Role.ADMIN)
def partner_edit(request, partner_id):
    return _edit(request, get_object_or_404(ReferralPartner, pk=partner_id))


@require_POST
@role_required(Role.ADMIN)
def partner_rotate_secret(request, partner_id):
    partner = get_object_or_404(ReferralPartner, pk=partner_id)
    secret = services.rotate_partner_secret(partner=partner, actor=request.user)
    messages.info(
        request,
        _("New webhook signing secret (give it to the partner; it is shown once): %(secret)s")
        % {"secret": secret},
    )
    return redirect("referrals:partner_edit", partner_id=partner.pk)


# --- referrals ------------------------------------------------------------------------------


@role_required(Role.ADMIN)
def referral_list(request):
    rows = (
        Referral.objects.select_related("report", "partner")
        .prefetch_related("deliveries")
        .order_by("-created_at")[:LIST_LIMIT]
    )
    dead = (
        ReferralDelivery.objects.filter(status=DeliveryStatus.DEAD)
        .select_related("referral__report", "referral__partner")
        .order_by("-last_attempt_at")[:LIST_LIMIT]
    )
    return render(request, "referrals/referral_list.html", {"referrals": rows, "dead": dead})


@role_required(Role.ADMIN)
def record_outcome(request, referral_id):
    referral = get_object_or_404(
        Referral.objects.select_related("report", "partner"), pk=referral_id
    )
    initial = {
        "outcome": referral.outcome,
        "note": referral.outcome_note,
        "on": referral.outcome_on,
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(
                referral=referral,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["on"],
                actor=request.user,
            )
        except SpotterError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("referrals:list")
    return render(request, "referrals/record_outcome.html", {"form": form, "referral": referral})


@require_POST
@role_required(Role.ADMIN)
def retry_delivery(request, delivery_id):
    delivery = get_object_or_404(ReferralDelivery, pk=delivery_id)
    try:
        services.retry_dead_referral_delivery(delivery=delivery, actor=request.user)
    except SpotterError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The delivery was queued again."))
    return redirect("referrals:list")


@role_required(Role.ADMIN)
def unrouted_list(request):
    rows = list(unrouted.unrouted_reports().select_related("species", "routing")[:LIST_LIMIT])
    count, capped = unrouted.unrouted_count(rows, LIST_LIMIT)
    return render(
        request,
        "referrals/unrouted.html",
        {"reports": rows, "count": count, "capped": capped, "limit": LIST_LIMIT},
    )


@require_POST
@role_required(Role.ADMIN)
def reroute(request):
    routed = services.reroute_unrouted(actor=request.user)
    unrouted.refresh_count()
    messages.success(request, _("Routing run again: %(n)d report(s) referred.") % {"n": routed})
    return redirect("referrals:unrouted")


# --- platform domains -----------------------------------------------------------------------


@role_required(Role.ADMIN)
def domain_tool(request):
    """GET: the form; POST: the preview (nothing changes until "Apply")."""
    form = DomainForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = services.preview_platform_domain(
                company=form.cleaned_data["company"], domain=form.cleaned_data["domain"]
            )
        except SpotterError as exc:
            form.add_error("domain", exc.messages)
    return render(
        request,
        "referrals/domain_tool.html",
        {"form": form, "preview": preview, "limit": conf.DOMAIN_APPLY_LIMIT},
    )


@require_POST
@role_required(Role.ADMIN)
def domain_apply(request):
    company = get_object_or_404(MemberCompany, pk=parse_id(request.POST.get("company")) or 0)
    try:
        _link, forwarded = services.add_platform_domain(
            company=company, domain=request.POST.get("domain", ""), actor=request.user
        )
    except SpotterError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("referrals:domain_tool")
    messages.success(
        request,
        _("%(domain)s now belongs to %(company)s; %(n)d waiting report(s) forwarded.")
        % {"domain": _link.domain, "company": company.name, "n": len(forwarded)},
    )
    return redirect("referrals:domain_tool")


# --- the partner's side (no account: the signed token is the permission) --------------------


def _referral_from(token: str, salt: str, days: int) -> Referral:
    try:
        referral_id, partner_id = notices.read_token(salt, token, days)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature as exc:
        raise Http404 from exc
    return get_object_or_404(
        Referral.objects.select_related("report", "partner"), pk=referral_id, partner_id=partner_id
    )


def _throttled(request) -> HttpResponse | None:
    retry_after = limits.hit(
        "referral-link-ip",
        client_ip(request),
        limit=conf.REFERRAL_LINK_REQUESTS_PER_IP_HOUR,
        period=3600,
    )
    if retry_after is None:
        return None
    response = HttpResponse(
        _("Too many requests for referral links from your address; try again later."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    return response


def _expired(request):
    return render(request, "referrals/link_expired.html", status=410)


def partner_outcome(request, outcome_token):
    if (refused := _throttled(request)) is not None:
        return refused
    try:
        referral = _referral_from(
            outcome_token, notices.OUTCOME_SALT, conf.REFERRAL_OUTCOME_LINK_DAYS
        )
    except signing.SignatureExpired:
        return _expired(request)
    initial = {"outcome": referral.outcome or "received", "note": referral.outcome_note}
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.record_outcome(
            referral=referral,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            on=form.cleaned_data["on"],
            actor=None,
        )
        return render(request, "referrals/partner_outcome_done.html", {"referral": referral})
    return render(request, "referrals/partner_outcome.html", {"form": form, "referral": referral})


def partner_package(request, package_token):
    if (refused := _throttled(request)) is not None:
        return refused
    try:
        referral = _referral_from(
            package_token, notices.PACKAGE_SALT, conf.REFERRAL_PACKAGE_LINK_DAYS
        )
    except signing.SignatureExpired:
        return _expired(request)
    # The company-grade package: no original files, no chain hashes, actors by role only.
    outside = User(role=Role.COMPANY_STAFF, is_active=True)
    data = build_package(
        referral.report,
        viewer=outside,
        generated_for="referral partner",
        language=notices.partner_language(referral),
    )
    # Mail scanners and reloads: the first download of a link in each hour is the audit event.
    if limits.first_in_period("referral-package", package_token, period=3600):
        record_event(
            actor=None,
            action="report.package_downloaded",
            target=referral.report,
            data={"partner": referral.partner.name, "via": "referral link"},
        )
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{referral.report.reference}-evidence.zip"'
    )
    return response
