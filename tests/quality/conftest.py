"""Helpers for the quality tests: drive reports through the real services, compare counters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F

from quality import rollups
from quality.models import PeriodCount, ReportFacts, VolunteerPeriod, VolunteerTally
from reports import services
from reports.models import Report, Species, SpeciesGroup
from spotter.models import Role
from tests import factories


def counter_snapshot() -> dict:
    """Every non-zero counter, as plain tuples (order-independent)."""
    periods = {
        (
            r.grain,
            r.cell,
            r.metric,
            r.day,
            r.bucket,
            r.country,
            r.species_group_id,
            r.company_id,
            r.product_type_id,
            r.language,
        ): r.n
        for r in PeriodCount.objects.exclude(n=0)
    }
    volunteer_periods = {
        (r.volunteer_id, r.kind, r.start): (r.submitted, r.confirmed, r.rejected)
        for r in VolunteerPeriod.objects.all()
        if (r.submitted, r.confirmed, r.rejected) != (0, 0, 0)
    }
    tallies = {
        (r.volunteer_id, r.dimension, r.value): (
            r.submitted,
            r.confirmed,
            r.rejected,
            r.forwarded,
            r.removed,
        )
        for r in VolunteerTally.objects.all()
        if (r.submitted, r.confirmed, r.rejected, r.forwarded, r.removed) != (0, 0, 0, 0, 0)
    }
    facts = {f.report_id: f for f in ReportFacts.objects.all()}
    return {
        "periods": periods,
        "volunteer_periods": volunteer_periods,
        "tallies": tallies,
        "facts": {k: _facts_tuple(v) for k, v in facts.items()},
    }


def _facts_tuple(f: ReportFacts) -> tuple:
    from quality.facts import FACT_FIELDS

    return tuple(getattr(f, name) for name in FACT_FIELDS)


def assert_incremental_matches_rebuild() -> dict:
    rollups.refresh()  # drain the backlog the transitions left (beat does it within seconds)
    before = counter_snapshot()
    assert before["periods"], "nothing was counted incrementally"
    rollups.rebuild()
    after = counter_snapshot()
    for part in before:
        assert before[part] == after[part], f"{part} differ between incremental and rebuild"
    return after


def decide(report, expert, verdict="confirmed", **kwargs):
    services.claim_report(report=report, expert=expert)
    if verdict == "confirmed":
        return services.confirm_report(report=report, expert=expert, **kwargs)
    return services.reject_report(
        report=report, expert=expert, reason=kwargs.pop("reason", "not_wildlife"), **kwargs
    )


def backdate(report: Report, days: int) -> Report:
    """Move a report's history ``days`` into the past, then sync its counters."""
    shift = timedelta(days=days)
    fields = ["submitted_at", "decided_at", "forwarded_at", "acknowledged_at", "outcome_at"]
    fields += ["closed_at", "ack_due_at", "act_due_at"]
    Report.objects.filter(pk=report.pk).update(
        **{name: F(name) - shift for name in fields if getattr(report, name) is not None}
    )
    rollups.sync(report.pk)
    report.refresh_from_db()
    return report


def elephant() -> Species:
    """A species in another group than the factories' pangolin."""
    group, _ = SpeciesGroup.objects.get_or_create(slug="elephants", defaults={"name": "Elephants"})
    species, _ = Species.objects.get_or_create(
        scientific_name="Loxodonta africana",
        defaults={"common_name_en": "African elephant", "group": group, "cites_appendix": "I"},
    )
    return species


@pytest.fixture
def make_volunteer(db):
    def make(country="US", **extra):
        return factories.make_user(Role.VOLUNTEER, country=country, **extra)

    return make
