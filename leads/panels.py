"""What leads shows on other apps' pages, registered in LeadsConfig.ready():

- the expert review page (``reports.panels.review_panels``): the report's pre-screens and a link
  to the volunteer's questions;
- the volunteer's / admin's report page (``reports.panels.detail_panels``): the "a lead suggests
  adding more evidence" hint and the questions thread link (admins: the pre-screens too);
- the expert queue (``reports.queue_sorts``): "Pre-screened first", with the lead's verdict in a
  column.

Company staff never reach any of these (their notice page has its own registry, unused here).
"""

from __future__ import annotations

from django.db.models import Case, Exists, OuterRef, QuerySet, Subquery, Value, When
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from reports.queue_sorts import QueueSort

from . import permissions
from .models import PreScreen, PreScreenVerdict, Question


def _prescreens(report) -> list[PreScreen]:
    return list(PreScreen.objects.filter(report=report).select_related("lead"))


def _question_count(report) -> tuple[int, int]:
    questions = list(Question.objects.filter(report=report).values_list("answered_at", flat=True))
    return len(questions), sum(1 for answered in questions if answered is None)


def review_panel(report, user) -> str:
    if not permissions.can_see_prescreens(user, report):
        return ""
    prescreens = _prescreens(report)
    asked, open_ = _question_count(report)
    if not prescreens and not asked:
        return ""
    return render_to_string(
        "leads/panel_review.html",
        {"report": report, "prescreens": prescreens, "asked": asked, "open": open_},
    )


def detail_panel(report, user) -> str:
    is_owner = report.volunteer_id == user.pk
    if not is_owner and not user.is_programme_admin:
        return ""
    asked, open_ = _question_count(report)
    context = {
        "report": report,
        "asked": asked,
        "open": open_,
        "may_ask": permissions.can_ask(user, report),
        "hint": is_owner and permissions.owner_sees_evidence_hint(user, report),
        "prescreens": _prescreens(report) if user.is_programme_admin else [],
    }
    if not (context["may_ask"] or asked or context["hint"] or context["prescreens"]):
        return ""
    return render_to_string("leads/panel_detail.html", context)


def order_prescreened_first(queryset: QuerySet) -> QuerySet:
    """Reports a lead pre-screened first (oldest first among them), the lead's verdict shown."""
    labels = Case(
        *[When(verdict=value, then=Value(str(label))) for value, label in PreScreenVerdict.choices]
    )
    latest = (
        PreScreen.objects.filter(report=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .annotate(label=labels)
        .values("label")[:1]
    )
    return queryset.annotate(
        sort_value=Subquery(latest),
        prescreened=Exists(PreScreen.objects.filter(report=OuterRef("pk"))),
    ).order_by("-prescreened", "submitted_at", "id")


PRESCREEN_SORT = QueueSort(
    key="prescreened",
    label=_("Pre-screened by a lead first"),
    apply=order_prescreened_first,
    column=_("Lead pre-screen"),
)
