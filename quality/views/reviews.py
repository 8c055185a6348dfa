"""Blind second reviews (experts) and the final call on disagreements (senior experts).

The second expert sees the listing as the volunteer flagged it (their species, not a
corrected one), the screenshots and the volunteer's notes; never the report reference, its
status, the first verdict, the first expert or the volunteer (not even the pseudonym).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from reports.models import Evidence
from reports.views.common import _evidence_response
from spotter.audit import record_event
from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role

from .. import services
from ..forms import SecondReviewForm, SeniorDecisionForm
from ..models import SecondReview, SecondReviewStatus
from ..selectors import second_review_queue, senior_queue

CASE_RELATED = ("report__species_reported__group", "report__product_type", "report__company")


def _open_case(user, pk: int) -> tuple[SecondReview, bool]:
    """(case, as_senior) if this user may work on it now; 404 otherwise (never reveal it)."""
    review = get_object_or_404(SecondReview.objects.select_related(*CASE_RELATED), pk=pk)
    pending = review.status == SecondReviewStatus.PENDING
    escalated = review.status == SecondReviewStatus.ESCALATED
    if pending and services.second_review_problem(review, user) is None:
        return review, False
    if escalated and services.senior_problem(review, user) is None:
        return review, True
    raise Http404("No such case.")


@role_required(Role.EXPERT)
def queue(request):
    page = Paginator(second_review_queue(request.user), 30).get_page(request.GET.get("page"))
    senior_count = senior_queue(request.user).count() if request.user.is_senior_expert else None
    return render(
        request,
        "quality/second_review_queue.html",
        {"page": page, "senior_count": senior_count},
    )


@role_required(Role.EXPERT)
def senior(request):
    if not request.user.is_senior_expert:
        raise Http404("Senior experts only.")
    page = Paginator(senior_queue(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "quality/senior_queue.html", {"page": page})


@role_required(Role.EXPERT)
def case(request, pk: int):
    review, as_senior = _open_case(request.user, pk)
    form_class = SeniorDecisionForm if as_senior else SecondReviewForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if as_senior:
                services.decide_escalation(
                    review=review,
                    senior=request.user,
                    verdict=form.cleaned_data["verdict"],
                    note=form.cleaned_data["note"],
                )
            else:
                services.submit_second_review(
                    review=review,
                    expert=request.user,
                    verdict=form.cleaned_data["verdict"],
                    note=form.cleaned_data["note"],
                )
        except SpotterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Thank you: %(case)s is recorded.") % {"case": review.case_label}
            )
            return redirect("quality:senior_queue" if as_senior else "quality:second_reviews")
    return render(
        request,
        "quality/second_review_case.html",
        {
            "review": review,
            "report": review.report,
            "evidence": review.report.evidence.all(),
            "form": form,
            "as_senior": as_senior,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.EXPERT)
def evidence(request, pk: int, evidence_id: int):
    """A screenshot of a case, by case number (the report reference stays hidden)."""
    review, _as_senior = _open_case(request.user, pk)
    item = get_object_or_404(Evidence, pk=evidence_id, report_id=review.report_id)
    # Logged on the case, not the report: the report's timeline must not tell the first
    # expert (or the volunteer) that this decision is being checked.
    record_event(
        actor=request.user,
        action="second_review.evidence_viewed",
        target=review,
        data={"evidence": item.pk},
    )
    return _evidence_response(item)
