"""Programme dashboard (admins), company dashboard (its own staff), CSV files, transparency."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.fragments import cached_fragment
from reports.models import MemberCompany, SpeciesGroup
from spotter.dbrouter import replica
from spotter.decorators import role_required
from spotter.models import Role

from .. import rollups
from ..adaptive_figures import adaptive_figures
from ..dashboard import STATE_METRICS, Dashboard
from ..facts import CELL_COMPANY, CELL_COUNTRY, CELL_GROUP
from ..filters import form_query
from ..forms import DashboardFilterForm, TransparencyForm
from ..keyword_figures import keyword_figures
from ..models import PeriodCount
from ..rows import AccuracyCells, VolunteerRow
from ..sections import ACCURACY_COLUMNS, COMPANY_TABLES, PROGRAMME_TABLES, Labels, Sections
from ..selectors import calibration_by_user, volunteer_table
from ..stats import AccuracyEstimate
from ..tables import Column, Table
from ..transparency import build_report

TEMPLATE = "quality/dashboard.html"
BODY_TEMPLATE = "quality/includes/dashboard_body.html"
CONTENT_TEMPLATE = "quality/includes/dashboard_content.html"


def _sections(request, *, company: MemberCompany | None):
    """(sections, form); sections is None when the filters are invalid. Call
    ``rollups.read_fresh()`` first, so the changes made before the request are on the page."""
    groups = list(SpeciesGroup.objects.all())
    companies = None if company else list(MemberCompany.objects.order_by("name"))
    form = DashboardFilterForm(request.GET, groups=groups, companies=companies)
    if not form.is_valid():
        return None, form
    filters = form.filters(company_id=company.pk if company else None)
    platforms = companies if company is None else [company]
    labels = Labels(
        groups={g.pk: str(g) for g in groups},
        companies={c.pk: c.name for c in platforms},
    )
    values = {
        CELL_GROUP: [0, *(g.pk for g in groups)],
        CELL_COMPANY: [*([0] if company is None else []), *(c.pk for c in platforms)],
    }
    if company is None:
        values[CELL_COUNTRY] = region_codes()
    dashboard = Dashboard(filters, dimension_values=values)
    return Sections(dashboard, labels, company_view=company is not None), form


def region_codes() -> list[str]:
    """Every volunteer country that has counters ("" = country not given)."""
    rows = PeriodCount.objects.filter(grain="m", cell=CELL_COUNTRY, metric__in=STATE_METRICS)
    return sorted(set(rows.values_list("country", flat=True).distinct()))


class _InvalidFilters(Exception):  # noqa: N818 (control flow: the 400 page is never cached)
    def __init__(self, context: dict):
        super().__init__("invalid dashboard filters")
        self.context = context


def _scopes(company: MemberCompany | None) -> list[str]:
    """What the page shows besides the counters (reports/fragments.py): the programme's page
    any transition (overdue notices, second reviews and adaptive sampling, which are assigned
    and completed with a decision), the keyword library, rechecks' flags; a company's page the
    transitions of its reports. Both the filters' species groups and companies (``reference``)."""
    if company is not None:
        return [f"company:{company.pk}", "reference"]
    return ["all", "reference", "keywords", "flags"]


def _render(request, *, company: MemberCompany | None):
    rollups.read_fresh()
    # Read before any counter (see rollups.counters_version): the figures are at least as new.
    version = rollups.counters_version()
    # The whole content (filters, body, live cards) is one fragment per set of inputs: a page
    # whose counters and versions have not moved is a few cache reads. Time alone makes a notice
    # overdue: that figure is at most PAGE_FRAGMENT_SECONDS old (the lists' rule).
    parts = [
        version,
        company.pk if company else None,
        sorted(request.GET.lists()),
        timezone.now().date().isoformat(),
        timezone.localdate().isoformat(),
    ]
    try:
        content = cached_fragment(
            "dashboard", _scopes(company), parts, lambda: _content(request, company, version)
        )
    except _InvalidFilters as invalid:
        content = render_to_string(CONTENT_TEMPLATE, invalid.context, request)
        return render(request, TEMPLATE, {"company": company, "content": content}, status=400)
    return render(request, TEMPLATE, {"company": company, "content": content})


def _content(request, company: MemberCompany | None, version: str) -> str:
    sections, form = _sections(request, company=company)
    context = {"form": form, "company": company}
    if sections is None:
        raise _InvalidFilters(context)
    dashboard = sections.dashboard
    context["dashboard"] = dashboard
    if company is None:
        context["countries"] = [code for code in dashboard.dimension_values[CELL_COUNTRY] if code]
    # Everything below the filters is also a fragment of its own, kept until the counters or
    # the live figures in its key change (its ~1,500 template nodes cost more than the queries).
    key = _fragment_key(version, request, sections, company)
    body = cache.get(key)
    if body is None:
        body = render_to_string(BODY_TEMPLATE, {**context, **_body(request, sections)}, request)
        cache.set(key, body, settings.DASHBOARD_FRAGMENT_SECONDS)
    context["body"] = body  # a SafeString (a rendered template), and still one from the cache
    if company is None:
        context["keywords"] = keyword_figures(dashboard.today)
        context["adaptive"] = adaptive_figures()
    return render_to_string(CONTENT_TEMPLATE, context, request)


def _fragment_key(version: str, request, sections: Sections, company: MemberCompany | None) -> str:
    """Every input of the fragment: the counters' version, the query, the viewer's platform and
    language, today (the default months and the 90 days), the labels, and the live figures
    that are not counters (time makes a notice overdue; second reviews are their own table;
    outcome discrepancies are rechecks' flags)."""
    dashboard = sections.dashboard
    parts = [
        version,
        sorted(request.GET.lists()),
        company.pk if company else None,
        translation.get_language(),
        dashboard.today.isoformat(),
        sorted(sections.labels.groups.items()),
        sorted(sections.labels.companies.items()),
        sorted(dashboard.overdue_now.items()),
        sorted(dashboard.second_review_backlog.items()) if company is None else None,
        sorted(dashboard.discrepancies.items()) if company is None else None,
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"quality:dashboard:{digest}"


def _body(request, sections: Sections) -> dict:
    dashboard = sections.dashboard
    company_view = sections.company_view
    tables = {name: sections.table(name) for name in _table_names(sections)}
    weekly_chart, legend = sections.weekly_chart(tables["weekly"])
    context = {
        "totals": dashboard.totals.counts,
        "tables": tables,
        "query": request.GET.urlencode(),
        "weekly_chart": weekly_chart,
        "legend": legend,
        "groups_chart": sections.groups_chart(tables["groups"]) if not company_view else None,
        "companies_chart": sections.companies_chart(tables["companies"]),
        "median_decide": dashboard.totals.median("decide_h"),
        "median_takedown": dashboard.totals.median("takedown_h"),
        "median_act": dashboard.totals.median("act_h"),
    }
    if not company_view:
        context.update(
            {
                "funnel_chart": sections.funnel_chart(tables["funnel"]),
                "regions_chart": sections.regions_chart(tables["regions"]),
                "region_sentences": sections.region_sentences(),
                "agreement": dashboard.agreement,
                "backlog": dashboard.second_review_backlog,
            }
        )
    return context


def _table_names(sections: Sections):
    return COMPANY_TABLES if sections.company_view else PROGRAMME_TABLES


@role_required(Role.ADMIN)
def programme(request):
    return _render(request, company=None)


@role_required(Role.COMPANY_STAFF)
def company(request):
    return _render(request, company=request.user.company)


@role_required(Role.ADMIN, Role.COMPANY_STAFF)
def chart_csv(request, name: str):
    company = None if request.user.is_programme_admin else request.user.company
    rollups.read_fresh()
    sections, form = _sections(request, company=company)
    if sections is None:
        return render(request, TEMPLATE, {"form": form, "company": company}, status=400)
    try:
        table = sections.table(name)
    except KeyError as exc:
        raise Http404(_("No such chart.")) from exc
    filters = sections.dashboard.filters
    scope = company.slug if company else "programme"
    return table.csv_response(f"{scope}-{name}-{filters.start:%Y-%m}-{filters.end:%Y-%m}.csv")


@role_required(Role.ADMIN)
def volunteers(request):
    """Every volunteer's field accuracy and calibration, with intervals (admins)."""
    country = (request.GET.get("region") or "").strip().upper()[:2]
    if request.GET.get("format") == "csv":  # an export: read on the replica if there is one
        return _volunteers_csv(volunteer_table(country, using=replica()))
    rows = volunteer_table(country)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    scores = calibration_by_user([tally.volunteer_id for tally in page])
    lines = [
        (tally, AccuracyEstimate(tally.confirmed, tally.rejected), scores.get(tally.volunteer_id))
        for tally in page
    ]
    return render(
        request,
        "quality/volunteers.html",
        {"page": page, "lines": lines, "region": country, "query": form_query(region=country)},
    )


def _volunteers_csv(rows):
    table = Table(
        "volunteers",
        "Volunteers",
        [
            Column("pseudonym", "text"),
            Column("country", "text"),
            Column("submitted"),
            Column("confirmed"),
            Column("rejected"),
            *ACCURACY_COLUMNS,
        ],
    )
    for tally in rows.iterator():
        table.rows.append(
            VolunteerRow(
                tally.volunteer.pseudonym or f"#{tally.volunteer_id}",
                tally.volunteer.country,
                tally.submitted,
                tally.confirmed,
                tally.rejected,
                AccuracyCells.of(AccuracyEstimate(tally.confirmed, tally.rejected)),
            )
        )
    return table.csv_response("volunteers.csv")


@role_required(Role.ADMIN)
def transparency(request):
    form = TransparencyForm(request.GET)
    if not form.is_valid():
        return render(request, "quality/transparency.html", {"form": form}, status=400)
    report = build_report(form.cleaned_data["year"])
    if request.GET.get("format") == "csv":
        return report.csv_table().csv_response(f"transparency-report-{report.year}.csv")
    return render(
        request,
        "quality/transparency.html",
        {"form": form, "report": report, "tables": report.tables()},
    )
