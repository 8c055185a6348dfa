"""Precision figures per term against hand-computed values, sorting, and query-count guards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywords import services
from keywords.stats import NO_MATCHES, term_stats
from reports.models import Report
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(expert, approved_term, rejected_report):
    """The term "bear bile" matches 6 reports: 3 confirmed (2 removed by the company), 1 rejected,
    2 undecided; one of them 40 days old, one 100 days old."""
    term = approved_term("bear bile")
    approved_term("unused term")
    now = timezone.now()
    confirmed = [
        factories.make_confirmed_report(expert=expert, listing_title=f"bear bile vial {n}")
        for n in range(3)
    ]
    rejected = rejected_report(expert, listing_title="bear bile shampoo")
    pending = [factories.make_report(listing_text="pure ＢＥＡＲ   BILE powder") for _ in range(2)]
    factories.make_report(listing_title="nothing to see")
    Report.objects.filter(pk__in=[r.pk for r in confirmed[:2]]).update(outcome="removed")
    Report.objects.filter(pk=pending[0].pk).update(submitted_at=now - timedelta(days=40))
    Report.objects.filter(pk=rejected.pk).update(submitted_at=now - timedelta(days=100))
    return term, now


def test_figures_by_hand(figures):
    term, now = figures
    stats = term_stats([term.pk])[term.pk]
    assert stats.reports == 6
    assert (stats.confirmed, stats.rejected, stats.removed) == (3, 1, 2)
    assert stats.recent == 4  # six reports, two of them older than 30 days
    assert stats.share == 0.75
    # Wilson 95% for 3 of 4, by hand: centre (0.75 + 1.96²/8) / (1 + 1.96²/4) = 0.6275,
    # half-width 1.96·√(0.75·0.25/4 + 1.96²/64) / 1.9604 = 0.3269.
    assert stats.low == pytest.approx(0.3006, abs=1e-3)
    assert stats.high == pytest.approx(0.9544, abs=1e-3)
    assert stats.share_label == "75%" and stats.interval_label == "30%–95%"
    assert now - timedelta(days=101) < stats.first_seen < now - timedelta(days=99)
    assert stats.last_seen > now - timedelta(minutes=5)


def test_term_page_shows_the_figures(client, expert, figures):
    term, _now = figures
    client.force_login(expert)
    page = client.get(reverse("keywords:term", args=[term.pk])).content.decode()
    assert 'data-testid="reports">6<' in page
    assert 'data-testid="removed">2<' in page
    assert "75%" in page and "30%–95%" in page


def test_terms_without_matches_have_empty_figures(expert, approved_term):
    term = approved_term("snow leopard pelt")
    assert term_stats([term.pk]) == {}
    assert NO_MATCHES.share is None and NO_MATCHES.interval_label == ""


def test_sorting_by_precision_and_growth(client, expert, approved_term, rejected_report):
    sure = approved_term("turtle shell")
    noisy = approved_term("shell")
    old = approved_term("old code")
    for n in range(4):
        factories.make_confirmed_report(expert=expert, listing_title=f"turtle shell {n}")
    for n in range(3):
        rejected_report(expert, listing_title=f"sea shell {n}")
    stale = factories.make_confirmed_report(expert=expert, listing_title="old code")
    Report.objects.filter(pk=stale.pk).update(submitted_at=timezone.now() - timedelta(days=60))
    client.force_login(expert)
    url = reverse("keywords:library")

    def order(sort):
        body = client.get(url, {"sort": sort}).content.decode()
        return sorted((sure, noisy, old), key=lambda t: body.index(f'data-term="{t.text}"'))

    # Wilson lower bounds: turtle shell 4 of 4 → 51%; shell (in the 4 turtle shell reports
    # and 3 rejected ones) 4 of 7 → 25%; old code 1 of 1 → 21%.
    assert order("precision") == [sure, noisy, old]
    assert order("growth") == [noisy, sure, old]  # 7, 4 and 0 reports in the last 30 days
    assert order("newest") == [old, noisy, sure]


@pytest.mark.parametrize("sort", ["text", "newest", "precision", "growth"])
def test_library_page_query_count_does_not_grow(
    client, expert, approved_term, django_assert_max_num_queries, sort
):
    group = factories.get_species().group
    client.force_login(expert)
    url = reverse("keywords:library")
    for n in range(3):
        approved_term(f"term {n}", species_groups=[group])
    factories.make_confirmed_report(expert=expert, listing_title="term 1 and term 2")
    client.get(url, {"sort": sort})  # warm caches (session, content types)
    with django_assert_max_num_queries(12) as few:
        client.get(url, {"sort": sort})
    for n in range(3, 40):
        approved_term(f"term {n}", species_groups=[group])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"sort": sort, "q": "term"})
    assert response.status_code == 200


def test_term_page_query_count(client, expert, approved_term, django_assert_max_num_queries):
    term = approved_term("musk pod")
    for n in range(5):
        factories.make_confirmed_report(expert=expert, listing_title=f"musk pod {n}")
        services.propose_term(actor=expert, text=f"musk pods {n}", language="en")
    client.force_login(expert)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("keywords:term", args=[term.pk])).status_code == 200
