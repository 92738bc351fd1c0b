"""Monte Carlo and tornado: reproducibility, agreement with the deterministic model, known shapes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.savings.model import project_savings
from engine.savings.uncertainty import (
    TORNADO_DISCOUNT_RATES,
    draw_parameters,
    sensitivity,
    simulate_savings,
    simulation_to_json_dict,
    tornado_label,
    tornado_to_json,
    triangular,
)
from engine.scenario import parse_scenario
from tests.engine.factories import make_outcome, make_scenario, scenario_dicts


def _uncertain_scenario(**overrides):
    # NPV = 10 participants * 10 * effect * 100 kr * (1 + 1) years * value multiplier - 10 000 * cost multiplier
    #     = 20 000 * effect * v - 10 000 * c; at base (effect 0.5, v = c = 1) it is 0.
    defaults = {
        "outcomes": [make_outcome(effect=0.5, effect_range=[0.2, 0.8], effect_profile=[1.0, 1.0])],
        "uncertainty": {"value_range": [0.8, 1.2], "cost_range": [0.9, 1.3]},
    }
    return make_scenario(**{**defaults, **overrides})


# --- the triangular distribution ------------------------------------------------------------

def test_the_triangular_sampler_has_the_mean_and_bounds_of_its_distribution():
    values = triangular(np.random.default_rng(3).random(200_000), 0.2, 0.3, 0.9)
    assert values.min() >= 0.2
    assert values.max() <= 0.9
    assert values.mean() == pytest.approx((0.2 + 0.3 + 0.9) / 3, abs=0.003)


def test_a_range_of_zero_width_gives_its_single_value_without_an_error():
    assert triangular(np.array([0.0, 0.4, 1.0]), 0.7, 0.7, 0.7).tolist() == [0.7, 0.7, 0.7]


def test_a_mode_at_either_end_of_the_range_is_accepted():
    u = np.array([0.0, 0.5, 1.0])
    assert triangular(u, 0.0, 0.0, 1.0).tolist() == pytest.approx([0.0, 1 - np.sqrt(0.5), 1.0])
    assert triangular(u, 0.0, 1.0, 1.0).tolist() == pytest.approx([0.0, np.sqrt(0.5), 1.0])


# --- Monte Carlo ---------------------------------------------------------------------------

def test_the_same_seed_gives_the_same_output():
    first = simulation_to_json_dict(simulate_savings(_uncertain_scenario(), draws=5_000, seed=42))
    second = simulation_to_json_dict(simulate_savings(_uncertain_scenario(), draws=5_000, seed=42))
    assert json.dumps(first) == json.dumps(second)


def test_different_seeds_give_different_draws():
    a = simulate_savings(_uncertain_scenario(), draws=1_000, seed=1)
    b = simulate_savings(_uncertain_scenario(), draws=1_000, seed=2)
    assert not np.array_equal(a.npv_draws, b.npv_draws)


def test_missing_ranges_mean_no_variation():
    scenario = make_scenario(outcomes=[make_outcome(effect_profile=[1.0, 1.0])])
    simulation = simulate_savings(scenario, draws=500)
    assert np.all(simulation.parameters.effects == 0.5)
    assert np.all(simulation.parameters.value_multiplier == 1.0)
    assert np.all(simulation.parameters.cost_multiplier == 1.0)
    assert simulation.npv_p10 == simulation.npv_p90 == pytest.approx(project_savings(scenario).npv)


def test_the_draws_stay_within_their_ranges():
    parameters = draw_parameters(_uncertain_scenario(), draws=10_000, seed=5)
    assert parameters.effects.min() >= 0.2
    assert parameters.effects.max() <= 0.8
    assert parameters.value_multiplier.min() >= 0.8
    assert parameters.value_multiplier.max() <= 1.2
    assert parameters.cost_multiplier.min() >= 0.9
    assert parameters.cost_multiplier.max() <= 1.3


def test_giving_costs_a_range_does_not_change_the_effect_draws():
    without = draw_parameters(_uncertain_scenario(uncertainty=None), draws=100, seed=9)
    with_costs = draw_parameters(_uncertain_scenario(uncertainty={"cost_range": [0.5, 2.0]}), draws=100, seed=9)
    assert np.array_equal(without.effects, with_costs.effects)


def test_a_symmetric_effect_range_around_break_even_gives_about_even_odds():
    # Only the effect varies, Triangular(0.2, 0.5, 0.8) is symmetric about 0.5 and NPV = 20 000 * effect - 10 000.
    simulation = simulate_savings(_uncertain_scenario(uncertainty=None), draws=20_000, seed=11)
    assert simulation.p_npv_positive == pytest.approx(0.5, abs=0.02)
    assert simulation.npv_mean == pytest.approx(0.0, abs=100)
    assert simulation.npv_p50 == pytest.approx(0.0, abs=150)


def test_the_npv_of_every_draw_follows_the_linear_formula():
    simulation = simulate_savings(_uncertain_scenario(), draws=1_000, seed=13)
    d = simulation.parameters
    expected = 20_000 * d.effects[:, 0] * d.value_multiplier - 10_000 * d.cost_multiplier
    assert np.allclose(simulation.npv_draws, expected, rtol=1e-12, atol=1e-6)


def test_break_even_is_judged_per_draw_against_the_contract_and_the_horizon():
    # Year 1: 10 000 * effect * v - 10 000 * c; year 2 adds 10 000 * effect * v.
    simulation = simulate_savings(_uncertain_scenario(), draws=2_000, seed=17)
    d = simulation.parameters
    year1 = 10_000 * d.effects[:, 0] * d.value_multiplier - 10_000 * d.cost_multiplier
    year2 = year1 + 10_000 * d.effects[:, 0] * d.value_multiplier
    expected = np.where(year1 >= 0, 1, np.where(year2 >= 0, 2, 0))
    assert np.array_equal(simulation.break_even_year_draws, expected)
    assert simulation.p_break_even_within_contract == pytest.approx(np.mean(expected == 1))
    assert simulation.p_break_even_within_horizon == pytest.approx(np.mean(expected > 0))


def test_percentiles_are_ordered_every_year():
    simulation = simulate_savings(_uncertain_scenario(horizon_years=6, contract_years=4), draws=3_000)
    assert np.all(simulation.cdn_p10 <= simulation.cdn_p50)
    assert np.all(simulation.cdn_p50 <= simulation.cdn_p90)
    assert simulation.npv_p10 <= simulation.npv_p50 <= simulation.npv_p90
    assert simulation.cdn_p50[-1] == pytest.approx(simulation.npv_p50)


def test_many_draws_are_processed_in_blocks_of_years_with_the_same_result():
    # 300 000 draws * 8 years exceeds one block, so years are split; percentiles must not notice.
    scenario = _uncertain_scenario(horizon_years=8, contract_years=3,
                                   outcomes=[make_outcome(effect=0.5, effect_range=[0.2, 0.8],
                                                          effect_profile=[1.0] * 8)])
    simulation = simulate_savings(scenario, draws=300_000, seed=3)
    d = simulation.parameters
    per_year = 10_000 * d.effects[:, 0] * d.value_multiplier  # 10 participants * 10 units * 100 kr
    cdn = np.cumsum(np.repeat(per_year[:, None], 8, axis=1), axis=1) - 10_000 * d.cost_multiplier[:, None]
    assert np.allclose(simulation.cdn_p90, np.quantile(cdn, 0.9, axis=0))
    assert np.allclose(simulation.cdn_p10, np.quantile(cdn, 0.1, axis=0))
    holds_from_here = np.logical_and.accumulate((cdn >= 0)[:, ::-1], axis=1)[:, ::-1]
    expected = np.where(holds_from_here.any(axis=1), holds_from_here.argmax(axis=1) + 1, 0)
    assert np.array_equal(simulation.break_even_year_draws, expected)


@pytest.mark.parametrize("draws", [0, -5, 1_000_001, 2.5, True])
def test_an_impossible_number_of_draws_is_refused(draws):
    with pytest.raises(ValueError, match="draws must be"):
        simulate_savings(make_scenario(), draws=draws)


@settings(max_examples=60, deadline=None)
@given(scenario_dicts(), st.integers(0, 2**32 - 1))
def test_monte_carlo_with_zero_width_ranges_equals_the_deterministic_result(data_dict, seed):
    for outcome in data_dict["outcomes"]:
        outcome["effect_range"] = [outcome["effect"], outcome["effect"]]
    data_dict["uncertainty"] = {"value_range": [1.0, 1.0], "cost_range": [1.0, 1.0]}
    scenario = parse_scenario(data_dict)
    base = project_savings(scenario)
    simulation = simulate_savings(scenario, draws=50, seed=seed)
    scale = max(1.0, base.pv_benefits + base.pv_costs)
    for percentile in (simulation.cdn_p10, simulation.cdn_p50, simulation.cdn_p90):
        assert np.allclose(percentile, base.cumulative_discounted_net, rtol=0, atol=1e-9 * scale)
    assert simulation.npv_mean == pytest.approx(base.npv, abs=1e-9 * scale)
    within_horizon = base.break_even_year is not None
    within_contract = within_horizon and base.break_even_year <= base.contract_years
    assert simulation.p_break_even_within_horizon == float(within_horizon)
    assert simulation.p_break_even_within_contract == float(within_contract)
    if abs(base.npv) > 1e-6 * scale:  # away from the knife edge, the sign agrees
        assert simulation.p_npv_positive == float(base.npv > 0)


@settings(max_examples=30, deadline=None)
@given(scenario_dicts(min_outcomes=1))
def test_the_chance_of_breaking_even_within_the_contract_never_exceeds_that_within_the_horizon(data_dict):
    for outcome in data_dict["outcomes"]:
        outcome["effect_range"] = [0.0, 1.0] if outcome["effect"] > 0 else [0.0, 0.0]
    simulation = simulate_savings(parse_scenario(data_dict), draws=200, seed=1)
    assert simulation.p_break_even_within_contract <= simulation.p_break_even_within_horizon


# --- tornado -------------------------------------------------------------------------------

def test_the_tornado_moves_one_parameter_at_a_time_and_sorts_by_swing():
    rows = sensitivity(_uncertain_scenario())
    by_name = {(row.parameter, row.outcome): row for row in rows}
    # effect 0.2 / 0.8: 20 000 * e - 10 000 = -6 000 / 6 000.
    effect = by_name[("effect", "Undvikna sjukdagar")]
    assert (effect.npv_low, effect.npv_base, effect.npv_high) == pytest.approx((-6000, 0, 6000))
    # values * 0.8 / 1.2: -2 000 / 2 000; costs * 0.9 / 1.3: 1 000 / -3 000.
    assert (by_name[("value_multiplier", None)].npv_low, by_name[("value_multiplier", None)].npv_high) == \
        pytest.approx((-2000, 2000))
    assert (by_name[("cost_multiplier", None)].npv_low, by_name[("cost_multiplier", None)].npv_high) == \
        pytest.approx((1000, -3000))
    # deadweight 0 / 0.1: benefits 10 000 / 9 000 over the two years.
    assert by_name[("deadweight", "Undvikna sjukdagar")].npv_high == pytest.approx(-1000)
    swings = [row.swing for row in rows]
    assert swings == sorted(swings, reverse=True)
    assert rows[0].parameter == "effect"


def test_the_tornado_shows_the_discount_rate_at_zero_and_seven_percent():
    row = next(r for r in sensitivity(_uncertain_scenario(discount_rate=0.035)) if r.parameter == "discount_rate")
    assert (row.low, row.base, row.high) == (*TORNADO_DISCOUNT_RATES[:1], 0.035, TORNADO_DISCOUNT_RATES[1])
    # 5 000 in year 1 and 5 000 in year 2, which counts 1/1.07 at 7 %, against 10 000 in year 1.
    assert row.npv_low == pytest.approx(0.0)
    assert row.npv_high == pytest.approx(5_000 + 5_000 / 1.07 - 10_000)


def test_outcomes_without_an_effect_range_get_no_effect_row():
    rows = sensitivity(make_scenario())
    assert {row.parameter for row in rows} == {"deadweight", "discount_rate"}


def test_tornado_labels_are_translated():
    rows = sensitivity(_uncertain_scenario())
    assert tornado_label(rows[0], "sv") == "Effekt: Undvikna sjukdagar"
    assert tornado_label(rows[0], "en") == "Effect: Undvikna sjukdagar"
    assert all(not row["label"].startswith("savings.") for row in tornado_to_json(rows, "en"))


def test_the_savings_catalogs_have_the_same_keys_in_swedish_and_english():
    catalogs = Path(__file__).resolve().parents[2] / "data" / "i18n"
    swedish = set(json.loads((catalogs / "sv" / "savings.json").read_text(encoding="utf-8")))
    english = set(json.loads((catalogs / "en" / "savings.json").read_text(encoding="utf-8")))
    assert swedish == english
    assert {f"savings.tornado.{name}" for name in
            ("effect", "deadweight", "value_multiplier", "cost_multiplier", "discount_rate")} <= swedish
