"""The dashboard's report numbers as filters on the reports table, registered with
reports.figures so each number links to the admin's list of the reports behind it.

A dashboard number counts the reports submitted in the chosen months (and region, species group,
platform) by the state they are in now (quality.facts). The same selection is written here as a
``Q``: the dashboard's filter form parses the list's query string (so a bad value is the same
error on both pages), ``Filters.report_q`` selects the cohort, and ``state_q`` inverts
``facts.facts_from_row``'s state rule (STATUS_TO_STATE and the closed outcomes), so the number
(counted by the counters) and the list (counted on the reports table) agree;
tests/quality/test_figure_lists.py checks it.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reports.figures import Figure, register_figure
from reports.models import MemberCompany, SpeciesGroup
from spotter.errors import InvalidInput

from .facts import (
    CLOSED_STATES,
    CONFIRMED_STATES,
    FORWARDED_STATES,
    PENDING,
    STATUS_TO_STATE,
    SUBMITTED_STATES,
)
from .forms import DashboardFilterForm

CLOSED_OUTCOMES = tuple(state for state in CLOSED_STATES if state != "other")
FILTER_PARAMS = ("start", "end", "region", "group", "company")


def state_q(states) -> Q:
    """Reports whose cohort state (facts.facts_from_row) is one of ``states``."""
    statuses = [status for status, state in STATUS_TO_STATE.items() if state in states]
    q = Q(status__in=statuses)
    if PENDING in states:  # a status the mapping does not know counts as pending
        q |= ~Q(status__in=[*STATUS_TO_STATE, "closed"])
    named = [state for state in CLOSED_OUTCOMES if state in states]
    if named:
        q |= Q(status="closed", outcome__in=named)
    if "other" in states:
        q |= Q(status="closed") & ~Q(outcome__in=CLOSED_OUTCOMES)
    return q


def cohort_q(params) -> Q:
    """The dashboard's selection (months, region, group, platform) read from ``params``."""
    form = DashboardFilterForm(
        params,
        groups=list(SpeciesGroup.objects.all()),
        companies=list(MemberCompany.objects.order_by("name")),
    )
    if not form.is_valid():
        raise InvalidInput(
            [str(e) for errors in form.errors.values() for e in errors],
            errors={
                (None if name == "__all__" else name): [str(e) for e in errors]
                for name, errors in form.errors.items()
            },
        )
    return Q(**form.filters().report_q())


def _cohort(states):
    def where(params, now: datetime) -> Q:
        return cohort_q(params) & state_q(states)

    return where


DASHBOARD = (
    Figure("cohort_submitted", _("reports submitted"), _cohort(SUBMITTED_STATES), FILTER_PARAMS),
    Figure("cohort_confirmed", _("confirmed"), _cohort(CONFIRMED_STATES), FILTER_PARAMS),
    Figure("cohort_forwarded", _("forwarded"), _cohort(FORWARDED_STATES), FILTER_PARAMS),
    Figure("cohort_removed", _("removed"), _cohort(("removed",)), FILTER_PARAMS),
)


def register() -> None:
    for figure in DASHBOARD:
        register_figure(figure)
