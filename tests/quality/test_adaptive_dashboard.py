"""The adaptive second-review card of the programme dashboard: reviews spent and disagreements
found per risk band, against the flat share, with a constant number of queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quality.adaptive_figures import adaptive_figures
from quality.models import SamplingDecision, SecondReview, SecondReviewStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _decision(expert, *, p, draw, appendix="II", live=False, band="new", status=None):
    report = factories.make_report()
    review = None
    if draw < p:
        review = SecondReview.objects.create(
            report=report,
            first_verdict="confirmed",
            first_expert=expert,
            status=status or SecondReviewStatus.PENDING,
        )
    return SamplingDecision.objects.create(
        report=report,
        expert=expert,
        review=review,
        draw=draw,
        p=p,
        base=0.1,
        f_expert=1,
        f_cites=1,
        f_volunteer=1,
        sampled=draw < p,
        expert_reviews=0,
        expert_disagreements=0,
        expert_band=band,
        cites_appendix=appendix,
        live=live,
        volunteer_decided=0,
        volunteer_low=0,
    )


@pytest.fixture
def decisions(expert):
    # Appendix II, p = 0.5: one disagreement, one agreement, one pending, one not sampled.
    _decision(expert, p=0.5, draw=0.10, status=SecondReviewStatus.ESCALATED)
    _decision(expert, p=0.5, draw=0.20, status=SecondReviewStatus.AGREED)
    _decision(expert, p=0.5, draw=0.05)
    _decision(expert, p=0.5, draw=0.70)
    # Appendix I live animals, p = 0.25, an expert with a good record: both agree.
    for draw in (0.01, 0.20):
        _decision(
            expert,
            p=0.25,
            draw=draw,
            appendix="I",
            live=True,
            band="below",
            status=SecondReviewStatus.AGREED,
        )


def test_figures_by_band_hand_computed(decisions):
    figures = adaptive_figures()
    appendix_one, appendix_two = figures.by_cites
    assert (appendix_one.label, appendix_one.live) == ("Appendix I", True)
    assert (appendix_two.decisions, appendix_two.spent, appendix_two.found) == (4, 3, 1)
    # Completed reviews weigh 1/p = 2 each: rate = 2 / 4; the flat rule samples draw < 0.10.
    assert appendix_two.estimated_rate == pytest.approx(0.5)
    assert appendix_two.found_per_review == pytest.approx(0.5)
    assert appendix_two.flat_spent == 1 and appendix_two.flat_found == pytest.approx(0.5)
    assert appendix_two.mean_share == pytest.approx(0.5)
    assert (appendix_one.spent, appendix_one.found, appendix_one.flat_spent) == (2, 0, 1)
    assert appendix_one.estimated_rate == 0
    total = figures.total
    assert (total.decisions, total.spent, total.found, total.flat_spent) == (6, 5, 1, 2)
    # Σ 1/p: found 2, completed 2 + 2 + 4 + 4 = 12.
    assert total.estimated_rate == pytest.approx(2 / 12)
    assert total.flat_found == pytest.approx(2 * 2 / 12)
    assert [band.decisions for band in figures.by_expert] == [4, 2]  # new, then below


def test_dashboard_shows_the_card(decisions, client_for, admin_user):
    html = client_for(admin_user).get(reverse("quality:dashboard")).content.decode()
    assert 'data-testid="adaptive-card"' in html
    assert html.count('data-testid="adaptive-table"') == 2
    assert "Flat share would spend" in html


def test_dashboard_card_query_count_is_constant(expert, client_for, admin_user):
    client = client_for(admin_user)
    url = reverse("quality:dashboard")
    _decision(expert, p=0.5, draw=0.1, status=SecondReviewStatus.AGREED)
    client.get(url)
    cache.clear()  # cold: the page renders its content (a hit reads none of the card's rows)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(12):
        _decision(
            expert,
            p=0.3,
            draw=i / 12,
            appendix=["I", "II", "III", ""][i % 4],
            live=bool(i % 2),
            band=["new", "above", "below"][i % 3],
            status=SecondReviewStatus.ESCALATED,
        )
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
