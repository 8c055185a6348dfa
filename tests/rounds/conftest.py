"""Rounds fixtures: a running open round made through the services, and dated reports."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from reports.models import Report
from rounds import services
from spotter.models import Role
from tests import factories


def make_round(admin, *, days_ago=3, length=28, title="Test round", **fields):
    today = timezone.localdate()
    starts_on = fields.pop("starts_on", today - timedelta(days=days_ago))
    return services.create_round(
        actor=admin,
        data=services.RoundData(
            title=title,
            starts_on=starts_on,
            ends_on=fields.pop("ends_on", starts_on + timedelta(days=length - 1)),
            **fields,
        ),
    )


def report_on(volunteer, day, **overrides) -> Report:
    """A report by ``volunteer`` submitted at noon on ``day`` (a date)."""
    report = factories.make_report(volunteer, **overrides)
    when = timezone.make_aware(datetime.combine(day, time(12, 0)))
    Report.objects.filter(pk=report.pk).update(submitted_at=when)
    report.refresh_from_db()
    return report


@pytest.fixture
def round_admin(db):
    return factories.make_user(Role.ADMIN)


@pytest.fixture
def running_round(round_admin, company):
    return make_round(round_admin)
