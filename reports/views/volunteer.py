from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from spotter.decorators import role_required
from spotter.errors import LimitReached, NotAllowed, SpotterError
from spotter.models import Role

from .. import limits, listings, selectors, services, staging
from .. import validation as rules
from ..actions import RESUBMIT, allowed_actions
from ..forms import ResubmitReportForm, SubmitReportForm, add_errors
from ..fragments import cached_fragment
from ..models import ReportStatus, StagedUpload
from ..panels import render_volunteer_home_panels
from ..permissions import access_report
from ..validation import LISTING_FIELDS
from .common import label_rows, reference_url_prefix
from .confirmation import confirmation_page, confirmed


@role_required(Role.VOLUNTEER)
def submit(request):
    initial = {
        key: request.GET.get(key, "")[:limit]
        for key, limit in (("listing_url", 2000), ("listing_title", 300), ("listing_text", 10000))
        if request.GET.get(key)
    }
    try:
        services.ensure_can_submit(request.user)
    except LimitReached as exc:
        # Over the hourly limit: say so, keep what was typed, and decode no upload.
        form = SubmitReportForm(initial={**initial, **request.POST.dict()})
        context = {"form": form, "limit_error": str(exc)}
        if request.method != "POST":
            return render(request, "reports/submit.html", context)
        response = render(request, "reports/submit.html", context, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except NotAllowed as exc:
        messages.warning(request, str(exc))
        return redirect("training:home")
    staged = []
    if request.method == "POST":
        staging.purge_expired()
        staged = staging.from_post(request.user, request.POST)
    form = SubmitReportForm(
        request.POST or None, request.FILES or None, initial=initial, staged=staged
    )
    if request.method == "POST" and form.is_valid():
        images, names = staging.as_processed(staged)
        try:
            report = services.submit_report(
                volunteer=request.user,
                details=form.listing_details(),
                images=images + form.processed_images,
                image_names=names + form.image_names,
            )
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            staging.discard(staged)
            if report.status == ReportStatus.DUPLICATE:
                messages.info(
                    request,
                    _(
                        "This listing was already reported (%(ref)s) and is being handled; your "
                        "report is linked to it as a duplicate. Thank you!"
                    )
                    % {"ref": report.duplicate_of.reference},
                )
            elif report.company_id is None:
                messages.success(
                    request,
                    _(
                        "Report %(ref)s submitted. The platform (%(domain)s) is not a coalition "
                        "member; if confirmed, the programme will follow it up directly."
                    )
                    % {"ref": report.reference, "domain": report.domain},
                )
            else:
                messages.success(
                    request,
                    _("Report %(ref)s submitted for expert review.") % {"ref": report.reference},
                )
            return redirect("reports:detail", reference=report.reference)
    if request.method == "POST":
        # Keep the screenshots that passed the checks, so the volunteer need not upload again.
        form.staged += staging.stage(
            request.user, getattr(form, "processed_images", []), getattr(form, "image_names", [])
        )
    return render(request, "reports/submit.html", {"form": form})


# Checks while typing (debounced by the page): generous for a person, a brake for a script
# probing which listings the programme knows.
LISTING_CHECKS_PER_MINUTE = 60


@require_GET
@role_required(Role.VOLUNTEER)
def listing_check(request):
    """The htmx fragment under the submit form's URL field: is this listing already reported,
    and which member company hosts it (reports.listings.check_listing decides what may be
    said)."""
    url = request.GET.get("listing_url", "")[: rules.MAX_LENGTH["listing_url"]]
    if limits.hit("listing_check", request.user.pk, limit=LISTING_CHECKS_PER_MINUTE, period=60):
        return HttpResponse(status=429)  # htmx keeps the last answer on the page
    check = listings.check_listing(request.user, url) if url.strip() else None
    response = render(request, "reports/listing_check.html", {"check": check})
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.VOLUNTEER)
def staged_upload(request, staged_id):
    """The thumbnail of a screenshot kept from a failed submit: its owner only."""
    row = get_object_or_404(StagedUpload, pk=staged_id, owner=request.user)
    response = FileResponse(row.image.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@role_required(Role.VOLUNTEER)
def my_reports(request):
    # ?needs=1: only the reports whose expert asked a question (the header badge links here).
    needs_input = request.GET.get("needs") == "1"

    def render_table() -> dict:
        page = Paginator(
            selectors.volunteer_reports(request.user, needs_input=needs_input), 25
        ).get_page(request.GET.get("page"))
        label_rows(page)
        context = {"page": page, "url_prefix": reference_url_prefix("reports:detail")}
        html = render_to_string("reports/includes/my_reports_rows.html", context, request)
        return {
            "any": bool(page.object_list),
            "rows": html,
            # Change only when one of their reports does (a decision, a question): same version,
            # one cache read for the three.
            "accuracy": selectors.volunteer_figure("accuracy", request.user),
            "needs_input_count": selectors.needs_input_count(request.user),
        }

    # Cached until one of the volunteer's reports changes (reports/fragments.py). The name is
    # new with the accuracy and the count in it: a release must not read another's shape.
    table = cached_fragment(
        "mine-page",
        [f"volunteer:{request.user.pk}"],
        [request.user.pk, sorted(request.GET.lists())],
        render_table,
    )
    return render(
        request,
        "reports/my_reports.html",
        {
            "table": table,
            "needs_input": needs_input,
            # The accuracy line (and its link to quality's "My accuracy" page) shows when the
            # quality app provides the figure.
            "accuracy": table["accuracy"],
            # The header's badge too (instead of the context processor's own cached read).
            "needs_input_count": table["needs_input_count"],
            "home_panels": render_volunteer_home_panels(request.user),
        },
    )


@role_required(Role.VOLUNTEER)
def resubmit(request, reference):
    report = access_report(request.user, reference)
    if RESUBMIT not in allowed_actions(report, request.user):
        messages.error(request, _("This report is not waiting for more information."))
        return redirect("reports:detail", reference=reference)
    initial = {name: getattr(report, name) for name in LISTING_FIELDS}
    initial.update(
        listing_url=report.listing_url,
        species=report.species_id,
        product_type=report.product_type_id,
    )
    form = ResubmitReportForm(
        request.POST or None, request.FILES or None, initial=initial, report=report
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resubmit_report(
                report=report,
                volunteer=request.user,
                details=form.listing_details(),
                images=form.processed_images,
                image_names=form.image_names,
            )
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the report is back in the expert queue."))
            return redirect("reports:detail", reference=reference)
    return render(
        request,
        "reports/resubmit.html",
        # What is already attached shows above the fields, so the answer adds only what's missing.
        {"form": form, "report": report, "evidence": report.evidence.all()},
    )


@require_POST
@role_required(Role.VOLUNTEER)
def withdraw(request, reference):
    report = access_report(request.user, reference)
    if not confirmed(request):
        return confirmation_page(
            request,
            title=_("Withdraw %(ref)s?") % {"ref": reference},
            question=_("A withdrawn report cannot be reopened. Withdraw it?"),
            button=_("Withdraw this report"),
            cancel_url=reverse("reports:detail", args=[reference]),
        )
    try:
        services.withdraw_report(report=report, volunteer=request.user)
    except SpotterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Report withdrawn."))
    return redirect("reports:detail", reference=reference)
