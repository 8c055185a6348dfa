import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from spotter.audit import record_event
from spotter.decorators import role_required
from spotter.middleware import client_ip
from spotter.models import Role

from .. import limits
from ..actions import allowed_actions
from ..models import Evidence, Outcome, ReportStatus
from ..notices import read_evidence_token
from ..panels import render_detail_panels
from ..permissions import (
    access_evidence,
    access_original_evidence,
    access_report,
    can_see_volunteer_identity,
)
from ..timeline import timeline_for


def reference_url_prefix(name: str) -> str:
    """``/review/`` for "reports:review": list pages build each row's link as prefix +
    reference + "/" instead of one {% url %} per row (references are [A-Za-z0-9-], nothing to
    quote), which was a large part of the rendering time (docs/benchmarks.md, "Read pages")."""
    return reverse(name, kwargs={"reference": "X"}).removesuffix("X/")


def label_rows(reports) -> None:
    """Set ``status_label`` and ``outcome_label`` on each listed report from labels translated
    once per page: ``get_status_display`` rebuilds and hashes every lazy label on each call
    (about 400 gettext calls for a page of 30)."""
    statuses = {value: str(label) for value, label in ReportStatus.choices}
    outcomes = {value: str(label) for value, label in Outcome.choices}
    for report in reports:
        report.status_label = statuses.get(report.status, report.status)
        report.outcome_label = outcomes.get(report.outcome, report.outcome)


@login_required
def detail(request, reference):
    user = request.user
    if user.role == Role.COMPANY_STAFF:
        return redirect("reports:company_detail", reference=reference)
    if user.role == Role.EXPERT:
        return redirect("reports:review", reference=reference)
    report = access_report(
        user,
        reference,
    )
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "evidence": report.evidence.all(),
            "timeline": timeline_for(report, user),
            "show_identity": can_see_volunteer_identity(user, report),
            "is_owner": report.volunteer_id == user.pk,
            "actions": allowed_actions(report, user),
            "panels": render_detail_panels(report, user),
        },
    )


def _evidence_response(evidence: Evidence, *, original: bool = False) -> FileResponse:
    field = evidence.original if original else evidence.image
    if not field:
        raise Http404("Evidence file no longer kept.")
    ext = field.name.rsplit(".", 1)[-1]
    content_type = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}.get(ext)
    if content_type is None:
        raise Http404
    suffix = "-original" if original else ""
    response = FileResponse(
        field.open("rb"),
        content_type=content_type,
        as_attachment=original,
        filename=f"{evidence.report.reference}-{evidence.pk}{suffix}.{ext}",
    )
    if not original:
        response["Content-Disposition"] = (
            f'inline; filename="{evidence.report.reference}-{evidence.pk}.{ext}"'
        )
    response["X-Content-Type-Options"] = "nosniff"
    if original:
        # Lets the recipient check the download against the hash shown in notices and packages.
        response["X-Evidence-SHA256"] = evidence.original_sha256
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def evidence_image(request, reference, evidence_id):
    evidence = access_evidence(request.user, reference, evidence_id)
    report = evidence.report
    if request.user.role != Role.VOLUNTEER:
        record_event(
            actor=request.user,
            action="evidence.viewed",
            target=report,
            data={"evidence": evidence.pk},
        )
    return _evidence_response(evidence)


@role_required(Role.ADMIN)
def evidence_original(request, reference, evidence_id):
    evidence = access_original_evidence(request.user, reference, evidence_id)
    report = evidence.report
    record_event(
        actor=request.user,
        action="evidence.original_downloaded",
        target=report,
        data={"evidence": evidence.pk, "sha256": evidence.original_sha256},
    )
    return _evidence_response(evidence, original=True)


def evidence_link(request, token):
    """Signed, expiring link sent in notices to company enforcement inboxes.

    Anyone holding the link may open it, so each IP address gets
    ``EVIDENCE_LINK_REQUESTS_PER_IP_HOUR`` requests an hour (valid or not), and only the first
    opening of a link in each clock hour is written to the audit log (mail scanners, previews
    and reloads would otherwise add an event, and a seal, per request)."""
    retry_after = limits.hit(
        "evidence-link-ip",
        client_ip(request),
        limit=settings.EVIDENCE_LINK_REQUESTS_PER_IP_HOUR,
        period=3600,
    )
    if retry_after is not None:
        response = HttpResponse(
            _("Too many requests for evidence links from your address; try again later."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(retry_after)
        return response
    try:
        evidence_id = read_evidence_token(token)
    except signing.BadSignature as exc:
        raise Http404("This evidence link is invalid or has expired.") from exc
    evidence = get_object_or_404(Evidence.objects.select_related("report"), pk=evidence_id)
    link = hashlib.sha256(token.encode()).hexdigest()
    if limits.first_in_period("evidence-link-opened", link, period=3600):
        record_event(
            actor=None,
            action="evidence.link_opened",
            target=evidence.report,
            data={"evidence": evidence.pk},
        )
    return _evidence_response(evidence)
