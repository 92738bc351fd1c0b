"""Sample size, achieved power and MDE against hand formulas and published figures."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from engine.errors import InputError
from engine.targets.power import PowerQuestion, analyse_power, effect_size, power_curve, required_sample_size

Z = norm.ppf(0.975) + norm.ppf(0.8)  # 1.959964 + 0.841621 = 2.801585


def test_proportions_match_the_normal_formula_with_cohens_h():
    # h = 2 asin(sqrt(0.45)) - 2 asin(sqrt(0.38)) = 1.47063 - 1.32843 = 0.14220
    h = 2 * math.asin(math.sqrt(0.45)) - 2 * math.asin(math.sqrt(0.38))
    answer = analyse_power(PowerQuestion("proportion", baseline=0.45, target=0.38))
    assert answer.effect_size == pytest.approx(h, abs=1e-12)
    # n = 2 * (2.801585 / 0.14220)^2 = 776.3 -> 777 per group
    assert answer.n_per_group == math.ceil(2 * (Z / h) ** 2)
    assert answer.n_per_group == 777


def test_cohens_table_value_for_a_small_effect():
    # Cohen (1988) table 6.4.1: h = 0.2, alpha 0.05 two-sided, power 0.8: 392 per group (392.4 -> 393).
    p2 = math.sin(math.asin(math.sqrt(0.5)) - 0.1) ** 2  # chosen so that h is exactly 0.2
    assert required_sample_size(PowerQuestion("proportion", baseline=0.5, target=p2)) == 393


def test_means_match_the_published_statsmodels_figure():
    # anchors.md: TTestIndPower().solve_power(effect_size=0.5, alpha=0.05, power=0.8) = 63.77 per group.
    answer = analyse_power(PowerQuestion("mean", baseline=20, target=17, sd=6))
    assert answer.effect_size == pytest.approx(0.5)
    assert answer.n_per_group == 64


def test_a_t_test_needs_slightly_more_than_the_normal_approximation():
    # Normal approximation: 2 * (2.801585 / 0.5)^2 = 62.79; the t distribution adds about one participant.
    n = required_sample_size(PowerQuestion("mean", baseline=20, target=17, sd=6))
    assert math.ceil(2 * (Z / 0.5) ** 2) <= n <= math.ceil(2 * (Z / 0.5) ** 2) + 2


def test_an_unequal_ratio_follows_the_one_plus_one_over_ratio_factor():
    # n1 = (1 + 1/2) * (2.801585 / 0.2)^2 = 1.5 * 196.22 = 294.3 -> 295; comparison group 2 * 295 = 590.
    p2 = math.sin(math.asin(math.sqrt(0.5)) - 0.1) ** 2
    answer = analyse_power(PowerQuestion("proportion", baseline=0.5, target=p2, ratio=2.0))
    assert answer.n_per_group == math.ceil(1.5 * (Z / 0.2) ** 2)
    assert answer.n_comparison == 2 * answer.n_per_group


def test_the_paired_design_uses_the_sd_of_differences():
    # sd 6, correlation 0.5: sd_diff = 6 * sqrt(2 * 0.5) = 6, d_z = 3 / 6 = 0.5.
    # One-sample normal approximation: (2.801585 / 0.5)^2 = 31.4; t adds about two.
    answer = analyse_power(PowerQuestion("paired", baseline=20, target=17, sd=6))
    assert answer.effect_size == pytest.approx(0.5)
    assert math.ceil((Z / 0.5) ** 2) <= answer.n_per_group <= math.ceil((Z / 0.5) ** 2) + 3
    assert answer.n_comparison == 0


def test_a_higher_correlation_makes_the_paired_design_need_fewer():
    low = required_sample_size(PowerQuestion("paired", baseline=20, target=17, sd=6, correlation=0.2))
    high = required_sample_size(PowerQuestion("paired", baseline=20, target=17, sd=6, correlation=0.8))
    assert high < low


def test_achieved_power_at_the_required_n_reaches_the_wanted_power_and_one_less_does_not():
    question = PowerQuestion("mean", baseline=20, target=17, sd=6)
    needed = required_sample_size(question)
    at = analyse_power(PowerQuestion("mean", baseline=20, target=17, sd=6, n=needed))
    below = analyse_power(PowerQuestion("mean", baseline=20, target=17, sd=6, n=needed - 1))
    assert at.achieved_power >= 0.8 > below.achieved_power
    assert at.detectable
    assert below.detectable is False


def test_the_normal_power_formula_gives_the_achieved_power_for_proportions():
    # power = Phi(h sqrt(n/2) - z_0.975) + Phi(-h sqrt(n/2) - z_0.975)
    #       = Phi(1.4220 - 1.9600) + Phi(-3.3820) = 0.29530 + 0.00036 = 0.29566
    h = 2 * math.asin(math.sqrt(0.45)) - 2 * math.asin(math.sqrt(0.38))
    answer = analyse_power(PowerQuestion("proportion", baseline=0.45, target=0.38, n=200))
    z = norm.ppf(0.975)
    expected = norm.cdf(h * math.sqrt(100) - z) + norm.cdf(-h * math.sqrt(100) - z)
    assert answer.achieved_power == pytest.approx(expected, abs=1e-9)


def test_the_mde_is_the_target_that_the_planned_group_just_detects():
    answer = analyse_power(PowerQuestion("mean", baseline=20, target=19, sd=6, n=64))
    assert answer.mde_effect_size == pytest.approx(0.5, abs=0.01)  # 64 per group detect d = 0.5
    assert answer.mde == pytest.approx(answer.mde_effect_size * 6)
    assert answer.mde_target == pytest.approx(20 - answer.mde)  # on the target's side of the baseline
    again = analyse_power(PowerQuestion("mean", baseline=20, target=answer.mde_target, sd=6, n=64))
    assert again.achieved_power == pytest.approx(0.8, abs=1e-6)


def test_the_mde_for_proportions_converts_h_back_to_a_share():
    answer = analyse_power(PowerQuestion("proportion", baseline=0.45, target=0.38, n=200))
    h = 2 * math.asin(math.sqrt(0.45)) - 2 * math.asin(math.sqrt(answer.mde_target))
    assert h == pytest.approx(answer.mde_effect_size)
    assert answer.mde == pytest.approx(0.45 - answer.mde_target)


def test_no_detectable_share_beyond_zero_gives_no_mde_level():
    answer = analyse_power(PowerQuestion("proportion", baseline=0.02, target=0.01, n=3))
    assert answer.mde is None
    assert answer.mde_target is None
    assert answer.mde_effect_size > 0


@pytest.mark.parametrize(("question", "field"), [
    (PowerQuestion("proportion", baseline=1.7, target=0.5), "baseline"),
    (PowerQuestion("proportion", baseline=0.5, target=0.0), "target"),
    (PowerQuestion("mean", baseline=5, target=5, sd=1), "target"),
    (PowerQuestion("mean", baseline=5, target=4), "sd"),
    (PowerQuestion("mean", baseline=5, target=4, sd=0), "sd"),
    (PowerQuestion("mean", baseline=5, target=4, sd=1, alpha=1.2), "alpha"),
    (PowerQuestion("mean", baseline=5, target=4, sd=1, power=0.01, alpha=0.05), "power"),
    (PowerQuestion("mean", baseline=5, target=4, sd=1, n=1), "n"),
    (PowerQuestion("mean", baseline=5, target=4, sd=1, ratio=0), "ratio"),
    (PowerQuestion("odds", baseline=5, target=4), "metric"),
    (PowerQuestion("mean", baseline=5, target=4.9999999, sd=1), "target"),
])
def test_questions_without_an_answer_are_refused_at_their_field(question, field):
    with pytest.raises(InputError) as raised:
        analyse_power(question, "en")
    assert [p.path for p in raised.value.problems] == [field]


def test_the_power_curve_rises_and_marks_the_required_and_planned_sizes():
    curve = power_curve(PowerQuestion("proportion", baseline=0.45, target=0.38, n=300))
    assert list(curve.n) == sorted(curve.n)
    assert curve.n[0] == 2
    assert all(b >= a - 1e-12 for a, b in zip(curve.power, curve.power[1:], strict=False))
    assert {777, 776, 300} <= set(curve.n)
    assert curve.power[curve.n.index(777)] >= 0.8 > curve.power[curve.n.index(776)]


@settings(max_examples=40, deadline=None)
@given(baseline=st.floats(0.05, 0.95), change=st.floats(0.02, 0.3), power=st.floats(0.6, 0.95))
def test_the_required_group_size_always_reaches_the_wanted_power(baseline, change, power):
    target = baseline - change if baseline - change > 0.01 else baseline + change
    if not 0.0 < target < 1.0:
        return
    question = PowerQuestion("proportion", baseline=baseline, target=target, power=power)
    n = required_sample_size(question)
    reached = analyse_power(PowerQuestion("proportion", baseline=baseline, target=target, power=power, n=n))
    assert reached.achieved_power >= power - 1e-6


@settings(max_examples=30, deadline=None)
@given(d1=st.floats(0.1, 1.5), d2=st.floats(0.1, 1.5))
def test_a_larger_effect_never_needs_more_participants(d1, d2):
    small, large = sorted((d1, d2))
    n_small = required_sample_size(PowerQuestion("mean", baseline=10, target=10 - small, sd=1))
    n_large = required_sample_size(PowerQuestion("mean", baseline=10, target=10 - large, sd=1))
    assert n_large <= n_small
    assert effect_size(PowerQuestion("mean", baseline=10, target=10 - large, sd=1)) == pytest.approx(large)


def test_large_groups_get_a_power_where_the_noncentral_t_gives_up():
    # scipy's noncentral t returns NaN here; the normal approximation Phi(0.12 * sqrt(6164) - 1.96) ~ 1.
    answer = analyse_power(PowerQuestion("paired", baseline=3.8, target=3.344, sd=3.8, correlation=0.5, n=6164))
    assert answer.achieved_power == pytest.approx(1.0, abs=1e-6)
    assert answer.detectable
    curve = power_curve(PowerQuestion("mean", baseline=10, target=9.9, sd=10, n=60_000))
    assert all(0.0 <= p <= 1.0 for p in curve.power)
