"""The risk formula, its stored refresh, and the queue's "risk" order."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quality import rollups
from reports.models import Report
from tests import factories
from verification import risk
from verification.models import ReportRisk

pytestmark = pytest.mark.django_db


def test_score_is_the_weighted_mean_of_the_known_inputs():
    everything = dict.fromkeys(risk.WEIGHTS, 1.0)
    assert risk.score(everything) == 100.0
    assert risk.score(dict.fromkeys(risk.WEIGHTS, 0.0)) == 0.0
    # Only CITES (20) and live (10) at 1 of a total weight of 100.
    inputs = dict.fromkeys(risk.WEIGHTS, 0.0) | {"cites": 1.0, "live": 1.0}
    assert risk.score(inputs) == 30.0
    # The model off: its weight leaves the denominator too (30 of 80).
    assert risk.score(inputs | {"model": None}) == 37.5
    assert sum(risk.WEIGHTS.values()) == 100


def test_inputs():
    assert risk.volunteer_value(0, 0) == 0.5  # a newcomer is neither trusted nor doubted
    assert risk.volunteer_value(18, 0) == pytest.approx(0.95)
    assert risk.volunteer_value(0, 8) == pytest.approx(0.1)
    now = timezone.now()
    assert risk.age_value(now - timedelta(hours=36), now) == pytest.approx(0.5)
    assert risk.age_value(now - timedelta(days=10), now) == 1.0
    assert risk.age_value(now + timedelta(hours=1), now) == 0.0


def _waiting(volunteer, **overrides):
    return factories.make_report(volunteer, **overrides)


def test_refresh_stores_components_and_a_live_appendix_i_report_ranks_first(volunteer):
    low = _waiting(
        volunteer,
        species=None,
        species_other="unknown bird",
        listing_title="Carved box",
        listing_text="",
        seller_handle="",
    )
    high = _waiting(volunteer, product_type=factories.get_product_type("live-animal"))
    assert risk.refresh_waiting() == 2
    low_row, high_row = ReportRisk.objects.get(pk=low.pk), ReportRisk.objects.get(pk=high.pk)
    assert high_row.components["live"] == 1.0 and high_row.components["cites"] == 1.0
    assert low_row.components["cites"] == risk.UNKNOWN_SPECIES
    assert high_row.components["model"] is None and high_row.model_probability is None
    assert high_row.score > low_row.score


def test_repeat_seller_raises_the_score(volunteer):
    from sellers.indexing import index_report

    first = _waiting(volunteer, seller_handle="ivory_king")
    second = _waiting(volunteer, seller_handle="ivory_king")
    alone = _waiting(volunteer, seller_handle="someone_else")
    for report in (first, second, alone):
        index_report(report.pk)
    risk.refresh_waiting()
    assert ReportRisk.objects.get(pk=second.pk).components["seller"] == 0.5
    assert ReportRisk.objects.get(pk=alone.pk).components["seller"] == 0.0


def test_a_report_change_refreshes_its_risk_after_commit_and_leaving_the_queue_drops_it(
    volunteer, expert, django_capture_on_commit_callbacks
):
    from reports import services

    with django_capture_on_commit_callbacks(execute=True):
        report = _waiting(volunteer)
    assert ReportRisk.objects.filter(pk=report.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_report(report=report, expert=expert)
        services.confirm_report(report=report, expert=expert)
    assert not ReportRisk.objects.filter(pk=report.pk).exists()


def _queue_refs(client, **params):
    response = client.get(reverse("reports:queue"), params)
    assert response.status_code == 200
    return [report.reference for report in response.context["page"].object_list], response


def test_queue_orders_by_risk_only_when_asked(client_for, volunteer, expert):
    older = _waiting(volunteer)
    newer = _waiting(volunteer)
    unscored = _waiting(volunteer)
    risk.refresh_waiting()
    ReportRisk.objects.filter(pk=older.pk).update(score=10)
    ReportRisk.objects.filter(pk=newer.pk).update(score=90)
    ReportRisk.objects.filter(pk=unscored.pk).delete()
    client = client_for(expert)
    default, _response = _queue_refs(client)
    assert default == [older.reference, newer.reference, unscored.reference]
    by_risk, response = _queue_refs(client, sort="risk")
    assert by_risk == [newer.reference, older.reference, unscored.reference]
    html = response.content.decode()
    assert 'value="risk" selected' in html and "<td>90.0</td>" in html
    # An unknown sort value is the default order, not an error.
    assert _queue_refs(client, sort="'; DROP TABLE")[0] == default


def test_risk_order_is_one_indexed_order_by(volunteer, expert):
    from reports.selectors import expert_queue

    _waiting(volunteer)
    sql = str(expert_queue(expert=expert, sort="risk").query)
    assert "verification_reportrisk" in sql and "ORDER BY" in sql
    index_names = [index.name for index in ReportRisk._meta.indexes]
    assert "verification_risk_score_idx" in index_names


def _count(client, url):
    rollups.refresh()
    cache.clear()  # a cold cache: the queue renders its table (reports/fragments.py)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_risk_sorted_queue_has_a_constant_query_count(client_for, volunteer, expert):
    client = client_for(expert)
    url = reverse("reports:queue") + "?sort=risk"
    for _ in range(2):
        _waiting(volunteer)
    risk.refresh_waiting()
    small = _count(client, url)
    for _ in range(8):
        _waiting(factories.make_user("volunteer"))
    risk.refresh_waiting()
    large = _count(client, url)
    assert Report.objects.count() == 10
    assert large == small
