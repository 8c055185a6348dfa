"""Retention: tipster emails and address hashes are erased; staged screenshots expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.evidence import process_image
from spotter.privacy import export_user_data
from tests import factories
from tips import services, staging, tasks
from tips.models import Tip, TipScreenshot

from .helpers import make_tip

pytestmark = pytest.mark.django_db


def _age(tip: Tip, days: int) -> None:
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_purge_erases_personal_data_past_retention(settings):
    settings.TIPS_RETENTION_DAYS = 30
    old = make_tip(email="old@example.net", language="en")
    fresh = make_tip(email="fresh@example.net", language="en")
    _age(old, 31)
    _age(fresh, 29)
    result = tasks.purge_old_tips()
    assert result["erased"] == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.tipster_email == "" and old.ip_hash == "" and old.network_hash == ""
    assert old.personal_data_erased_at is not None
    assert old.listing_url  # the tip itself stays
    assert fresh.tipster_email == "fresh@example.net" and fresh.ip_hash
    assert services.purge_old_tips()["erased"] == 0  # safe to re-run


def test_purge_drops_staged_screenshots_nobody_came_back_for():
    kept = staging.store(process_image(factories.png_bytes(), "a.png"), "a.png")
    stale = staging.store(process_image(factories.png_bytes(), "b.png"), "b.png")
    TipScreenshot.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - staging.STAGED_TTL - timedelta(minutes=1)
    )
    attached = make_tip()  # a tip's own screenshot is never purged with the staged ones
    TipScreenshot.objects.filter(tip=attached).update(created_at=timezone.now() - timedelta(days=9))
    assert services.purge_old_tips()["staged_discarded"] == 1
    assert set(TipScreenshot.objects.values_list("pk", flat=True)) == {
        kept.pk,
        attached.screenshot.pk,
    }


def test_purge_is_on_the_beat_timetable_and_registered(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tips.tasks.purge_old_tips" in scheduled
    assert tasks.purge_old_tips.name == "tips.tasks.purge_old_tips"


def test_triager_export_lists_handled_tips_without_the_tipster_email(expert):
    tip = make_tip(email="private@example.net", language="en")
    services.dismiss_tip(tip=tip, triager=expert, reason="spam")
    export = export_user_data(expert)
    assert export["tips_triaged"][0]["reference"] == tip.reference
    assert "private@example.net" not in str(export)


def test_tip_tasks_go_to_the_background_queue(settings):
    from spotter.celery import app

    for name in ("tips.tasks.purge_old_tips", "tips.tasks.send_tip_outcome"):
        route = app.amqp.router.route({}, name)
        assert route["queue"].name == "background", name
