"""Browse the library (filters, search, sort by precision or growth) and read one term."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from reports.models import Report, ReportStatus, SpeciesGroup
from reports.permissions import visible_reports
from spotter.decorators import role_required
from spotter.models import AuditEvent, Role

from ..forms import LibraryFilterForm, MergeForm, ReasonForm
from ..models import ReportMatch, Term, TermKind, TermStatus
from ..normalize import normalize
from ..permissions import BROWSERS, access_term, can_curate, can_import, visible_terms
from ..stats import NO_MATCHES, growth_key, precision_key, term_stats
from .common import report_url_prefix

PER_PAGE = 50
RECENT_REPORTS = 20
SORT_KEYS = {"precision": precision_key, "growth": growth_key}
ORDERS = {"text": ("normalized", "language"), "newest": ("-created_at", "-pk")}


def _filtered(user, filters: dict):
    terms = visible_terms(user)
    if filters.get("status") and can_curate(user):
        terms = terms.filter(status=filters["status"])
    if filters.get("language"):
        terms = terms.filter(language=filters["language"].lower())
    if filters.get("kind"):
        terms = terms.filter(kind=filters["kind"])
    if filters.get("group"):
        terms = terms.filter(species_groups__slug=filters["group"])
    if query := (filters.get("q") or "").strip():
        terms = terms.filter(
            Q(normalized__contains=normalize(query))
            | Q(text__icontains=query)
            | Q(source__icontains=query)
        )
    return terms


def _with_relations(terms):
    return terms.select_related("product_type").prefetch_related("species_groups")


@role_required(*BROWSERS)
def library(request):
    user = request.user
    form = LibraryFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    terms = _filtered(user, filters)
    sort = filters.get("sort") or "text"
    if sort in SORT_KEYS:
        # Precision and growth come from the matches: one grouped query for every filtered term,
        # sorted here with the same figures the page shows, then one page of terms is loaded.
        stats = term_stats(terms.values("pk"))
        ids = sorted(
            terms.values_list("pk", flat=True),
            key=lambda pk: (*SORT_KEYS[sort](stats.get(pk, NO_MATCHES)), pk),
        )
        page = Paginator(ids, PER_PAGE).get_page(request.GET.get("page"))
        loaded = _with_relations(Term.objects.filter(pk__in=page.object_list)).in_bulk()
        rows = [loaded[pk] for pk in page.object_list]
    else:
        order = ORDERS[sort]
        if filters.get("status") == TermStatus.PROPOSED and can_curate(user):
            # The curation queue: lead spotters' fast-lane proposals first.
            order = ("-fast_lane", *order)
        ordered = _with_relations(terms.order_by(*order))
        page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        stats = term_stats([term.pk for term in rows])
    languages = (
        visible_terms(user).order_by("language").values_list("language", flat=True).distinct()
    )
    return render(
        request,
        "keywords/library.html",
        {
            "form": form,
            "filters": filters,
            "sort": sort,
            "page": page,
            "rows": [(term, stats.get(term.pk, NO_MATCHES)) for term in rows],
            "languages": list(languages),
            "groups": list(SpeciesGroup.objects.order_by("order", "name")),
            "kinds": TermKind.choices,
            "statuses": TermStatus.choices,
            "can_curate": can_curate(user),
            "can_import": can_import(user),
        },
    )


HISTORY_LABELS = {
    "keyword.proposed": "proposed",
    "keyword.approved": "approved",
    "keyword.edited": "edited",
    "keyword.rejected": "rejected",
    "keyword.retired": "retired",
    "keyword.merged": "merged",
}


def _history(term: Term) -> list[AuditEvent]:
    """The term's events, and merges of duplicates into it, oldest first. The actor is shown by
    role only (the audit log keeps no names; experts never see a volunteer's identity)."""
    events = list(
        AuditEvent.objects.filter(
            Q(object_type="term", object_id=str(term.pk))
            | Q(action="keyword.merged", data__into=term.pk)
        ).order_by("id")
    )
    roles = dict(Role.choices)
    for event in events:
        event.actor_role = roles.get(event.actor_label.split("#")[0], event.actor_label)
        event.kind = HISTORY_LABELS.get(event.action, event.action)
        event.is_incoming_merge = event.action == "keyword.merged" and event.object_id != str(
            term.pk
        )
    return events


@role_required(*BROWSERS)
def term_detail(request, term_id):
    user = request.user
    term = access_term(user, term_id)
    term = (
        Term.objects.select_related("product_type", "merged_into")
        .prefetch_related("species_groups")
        .get(pk=term.pk)
    )
    matched_ids = ReportMatch.objects.filter(term=term).values("report_id")
    reports = visible_reports(user, Report.objects.filter(pk__in=matched_ids)).order_by(
        "-submitted_at"
    )[:RECENT_REPORTS]
    statuses = dict(ReportStatus.choices)
    reports = list(reports)
    for report in reports:
        report.status_label = statuses.get(report.status, report.status)
    from_report = None
    if term.from_report_id:
        from_report = visible_reports(user).filter(pk=term.from_report_id).first()
    curator = can_curate(user)
    context = {
        "term": term,
        "stats": term_stats([term.pk]).get(term.pk, NO_MATCHES),
        "reports": reports,
        "url_prefix": report_url_prefix(user),
        "from_report": from_report,
        "can_curate": curator,
    }
    if curator:
        candidates = (
            Term.objects.filter(
                Q(normalized=term.normalized) | Q(normalized=term.normalized.replace(" ", ""))
            )
            .exclude(pk=term.pk)
            .exclude(status=TermStatus.RETIRED)
            .order_by("pk")[:10]
        )
        context.update(
            history=_history(term),
            candidates=list(candidates),
            merge_form=MergeForm(),
            reason_form=ReasonForm(),
        )
    return render(request, "keywords/term.html", context)
