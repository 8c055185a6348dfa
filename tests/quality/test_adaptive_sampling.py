"""Adaptive second review: the formula (hand-computed cases), floor and ceiling, determinism,
the stored decision, and that the share actually sampled matches p."""

import math

import pytest

from quality import sampling
from quality.models import SamplingDecision, SecondReview, SecondReviewStatus, VolunteerTally
from quality.services import second_review_draw
from reports.models import Report, Species, SpeciesGroup
from spotter.stats import Z95
from tests import factories

from .conftest import decide

Z2 = Z95 * Z95


def evidence(reviews=0, disagreements=0, appendix="II", live=False, confirmed=0, rejected=0):
    return sampling.Evidence(reviews, disagreements, appendix, live, confirmed, rejected)


# Hand computations (z = 1.96, z² = 3.8415):
# - expert, no second review yet: U = 1 → 1 / 0.10 = 10 → clamped to 3.0
# - expert, 0 disagreements in 400: U = z² / (400 + z²) = 0.009512 → 0.095 → clamped to 0.5
# - expert, 10 in 100: Wilson upper end 0.174366 → f_expert = 1.74366
# - volunteer, no decided report: L = 0 → f = 1.5
# - volunteer, 100 of 100 confirmed: L = 100 / (100 + z²) = 0.963006 → f = 1.5 − 0.75 L = 0.777745
WILSON_10_OF_100_UPPER = 0.174366
L_100_OF_100 = 100 / (100 + Z2)
FORMULA_TABLE = [
    # (evidence, f_expert, f_cites, f_volunteer, p)
    # New expert, Appendix I live animal, unknown volunteer: 0.1·3·(2·1.5)·1.5 = 1.35 → ceiling.
    (evidence(0, 0, "I", True), 3.0, 3.0, 1.5, 0.60),
    # Well-measured expert, Appendix II, excellent volunteer: 0.1·0.5·1·0.7777 = 0.0389 → floor.
    (evidence(400, 0, "II", False, 100, 0), 0.5, 1.0, 1.5 - 0.75 * L_100_OF_100, 0.05),
    # 10 disagreements in 100, Appendix III, unknown volunteer: 0.1·1.74366·0.75·1.5 = 0.196162.
    (evidence(100, 10, "III"), WILSON_10_OF_100_UPPER / 0.1, 0.75, 1.5, 0.196162),
    # Well-measured expert, Appendix I (not live), unknown volunteer: 0.1·0.5·2·1.5 = 0.15.
    (evidence(400, 0, "I"), 0.5, 2.0, 1.5, 0.15),
    # No species chosen, live, well-measured expert, unknown volunteer: 0.1·0.5·2.25·1.5 = 0.16875.
    (evidence(400, 0, "", True), 0.5, 2.25, 1.5, 0.16875),
]


@pytest.mark.parametrize(("inputs", "f_expert", "f_cites", "f_volunteer", "p"), FORMULA_TABLE)
def test_formula_table(settings, inputs, f_expert, f_cites, f_volunteer, p):
    share = sampling.share(inputs, base=0.10)
    assert share.f_expert == pytest.approx(f_expert, abs=1e-5)
    assert share.f_cites == pytest.approx(f_cites)
    assert share.f_volunteer == pytest.approx(f_volunteer, abs=1e-6)
    assert share.p == pytest.approx(p, abs=1e-5)


def test_factors_move_the_right_way():
    conf = sampling.config()
    # More disagreement, or fewer reviews with the same rate → larger expert factor.
    assert sampling.expert_factor(100, 20, conf) > sampling.expert_factor(100, 5, conf)
    assert sampling.expert_factor(20, 2, conf) > sampling.expert_factor(200, 20, conf)
    # Better-known, more accurate volunteers → smaller factor; unknown counts as low.
    assert sampling.volunteer_factor(sampling.volunteer_lower_bound(0, 0), conf) == 1.5
    assert sampling.volunteer_factor(
        sampling.volunteer_lower_bound(90, 10), conf
    ) < sampling.volunteer_factor(sampling.volunteer_lower_bound(9, 1), conf)
    assert sampling.cites_factor("I", False, conf) > sampling.cites_factor("II", False, conf)
    assert sampling.cites_factor("II", True, conf) > sampling.cites_factor("II", False, conf)


def test_floor_and_ceiling_hold_for_every_combination(settings):
    settings.ADAPTIVE_REVIEW = {"floor": 0.07, "ceiling": 0.4}
    shares = [
        sampling.share(evidence(n, d, appendix, live, c, r), base=0.10).p
        for n, d in [(0, 0), (10, 5), (500, 0), (500, 250)]
        for appendix in ["I", "II", "III", ""]
        for live in [False, True]
        for c, r in [(0, 0), (1000, 0), (0, 1000)]
    ]
    assert min(shares) == pytest.approx(0.07) and max(shares) == pytest.approx(0.4)
    assert all(0.07 <= p <= 0.4 for p in shares)


def test_base_share_switches(settings):
    risky = evidence(0, 0, "I", True)
    safe = evidence(1000, 0, "III", False, 1000, 0)
    assert sampling.share(risky, base=0.0).p == 0.0
    assert sampling.share(safe, base=1.0).p == 1.0


def test_settings_override_and_misspelt_key(settings):
    settings.ADAPTIVE_REVIEW = {"cites_factors": {"I": 4.0}, "live_product_types": ["pets"]}
    conf = sampling.config()
    assert conf.cites_factors["I"] == 4.0 and conf.cites_factors["II"] == 1.0
    assert conf.live_product_types == ("pets",)
    settings.ADAPTIVE_REVIEW = {"celing": 0.5}
    with pytest.raises(Exception, match="celing"):
        sampling.config()


def test_expected_sampled_share_matches_p():
    """Over many synthetic decisions with varied p, the share sampled (draw < p) matches the
    mean p within 4 standard errors, and within each p the fraction matches p."""
    conf = sampling.config()
    mixes = [
        evidence(0, 0, "I", True),
        evidence(400, 0, "II", False, 100, 0),
        evidence(100, 10, "III"),
        evidence(400, 0, "I"),
    ]
    n_each = 5000
    total_sampled, total_p, variance = 0, 0.0, 0.0
    for k, inputs in enumerate(mixes):
        p = sampling.share(inputs, base=0.10, conf=conf).p
        sampled = sum(
            second_review_draw(Report(reference=f"CS-{k}{i:08d}")) < p for i in range(n_each)
        )
        assert abs(sampled / n_each - p) < 4 * math.sqrt(p * (1 - p) / n_each)
        total_sampled += sampled
        total_p += p * n_each
        variance += p * (1 - p) * n_each
    assert abs(total_sampled - total_p) < 4 * math.sqrt(variance)


@pytest.fixture
def appendix_two(db):
    group, _ = SpeciesGroup.objects.get_or_create(slug="parrots", defaults={"name": "Parrots"})
    return Species.objects.create(
        scientific_name="Ara ararauna",
        common_name_en="Blue macaw",
        group=group,
        cites_appendix="II",
    )


def test_decision_stores_its_draw_share_and_factors(settings, volunteer, expert, appendix_two):
    settings.SECOND_REVIEW_SHARE = 0.10
    VolunteerTally.objects.create(volunteer=volunteer, dimension="all", confirmed=100)
    report = decide(factories.make_report(volunteer, species=appendix_two), expert)
    row = SamplingDecision.objects.get(report=report)
    assert row.draw == second_review_draw(report)
    assert (row.expert_reviews, row.expert_band, row.cites_appendix, row.live) == (
        0,
        sampling.EXPERT_NEW,
        "II",
        False,
    )
    assert row.f_expert == 3.0 and row.f_cites == 1.0
    assert row.volunteer_decided == 100
    assert row.f_volunteer == pytest.approx(1.5 - 0.75 * L_100_OF_100)
    assert row.p == pytest.approx(0.1 * 3.0 * 1.0 * row.f_volunteer)
    # Replayable: sampled exactly when the draw is below p, and the second review exists then.
    assert row.sampled == (row.draw < row.p)
    assert SecondReview.objects.filter(report=report).exists() == row.sampled
    assert row.review_id == (report.second_review.pk if row.sampled else None)


def test_expert_record_feeds_the_next_decision(settings, volunteer, expert, other_expert):
    settings.SECOND_REVIEW_SHARE = 1.0
    first = decide(factories.make_report(volunteer), expert)
    review = SecondReview.objects.get(report=first)
    SecondReview.objects.filter(pk=review.pk).update(
        status=SecondReviewStatus.ESCALATED, second_verdict="rejected"
    )
    second = decide(factories.make_report(volunteer), expert)
    row = SamplingDecision.objects.get(report=second)
    assert (row.expert_reviews, row.expert_disagreements) == (1, 1)
    assert row.p == 1.0  # base 1 samples everything, whatever the factors
    assert row.cites_appendix == "I"  # the factory's pangolin


def test_nothing_is_stored_when_second_review_is_off(volunteer, expert):
    decide(factories.make_report(volunteer), expert)  # the test default: SECOND_REVIEW_SHARE 0
    assert not SamplingDecision.objects.exists()
