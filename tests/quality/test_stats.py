"""The statistics, checked against values computed by hand."""

import math

import pytest

from quality.stats import (
    AccuracyEstimate,
    Agreement,
    bucket_bounds,
    hours_bucket,
    median_from_buckets,
    wilson_interval,
)


def test_wilson_interval_known_values():
    # p = 0.5, n = 10: centre 0.5, half-width 1.96·sqrt(.025 + 1.96²/400)/(1 + 1.96²/10)
    low, high = wilson_interval(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4)
    assert high == pytest.approx(0.7634, abs=1e-4)
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)


def test_three_of_three_is_not_better_than_190_of_200():
    small, large = AccuracyEstimate(3, 0), AccuracyEstimate(190, 10)
    assert small.rate == 1.0 and large.rate == 0.95
    assert small.low == pytest.approx(0.4385, abs=1e-4)
    assert large.low == pytest.approx(0.9104, abs=1e-4)
    assert large.low > small.low
    assert large.ci_text == "95% CI 91–97%"


def test_accuracy_sentence():
    assert AccuracyEstimate(95, 5).sentence("US volunteers") == (
        "US volunteers: 95% (95% CI 89–98%), 100 reports"
    )
    assert AccuracyEstimate(0, 0).sentence("FR volunteers") == "FR volunteers: no decided reports"


def test_cohens_kappa_hand_computed():
    # 50 cases: both confirm 20, first confirms/second rejects 5, first rejects/second
    # confirms 10, both reject 15. p_o = 35/50 = 0.7; first confirms 25/50 = 0.5, second
    # confirms 30/50 = 0.6; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5)/(1 − 0.5) = 0.4.
    table = Agreement(cc=20, cr=5, rc=10, rr=15)
    assert table.n == 50 and table.rate == pytest.approx(0.7)
    assert table.kappa == pytest.approx(0.4)


def test_kappa_edge_cases():
    assert Agreement().kappa is None and Agreement().rate is None
    # Both raters always confirm: perfect agreement but nothing beyond chance to measure.
    assert Agreement(cc=10).kappa is None
    # Perfect agreement with both categories used: kappa 1.
    assert Agreement(cc=6, rr=4).kappa == pytest.approx(1.0)
    # Systematic disagreement: kappa −1.
    assert Agreement(cr=5, rc=5).kappa == pytest.approx(-1.0)


@pytest.mark.parametrize("hours", [0, 0.5, 1, 1.19, 1.2, 2, 7.9, 24, 72, 1000, 5000, 1e6])
def test_hours_fall_inside_their_bucket(hours):
    low, high = bucket_bounds(hours_bucket(hours))
    assert low <= hours < high


def test_median_is_inside_the_bucket_of_the_true_median():
    durations = [0.2, 3, 5, 7, 9.5, 20, 26, 30, 48, 70, 200]
    counts = {}
    for hours in durations:
        counts[hours_bucket(hours)] = counts.get(hours_bucket(hours), 0) + 1
    estimate = median_from_buckets(counts)
    true_median = sorted(durations)[len(durations) // 2]
    assert estimate.n == len(durations)
    assert estimate.low <= true_median < estimate.high
    assert estimate.low <= estimate.hours <= estimate.high
    assert abs(math.log(estimate.hours / true_median)) < math.log(2**0.25)
    assert median_from_buckets({}).hours is None
