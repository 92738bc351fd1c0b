"""The savings model: known answers computed by hand, public anchors, and properties."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.savings.model import break_even_year, project_savings, to_json_dict
from engine.scenario import parse_scenario
from tests.engine.factories import make_cost, make_outcome, make_scenario, scenario_dicts

# --- known answers ------------------------------------------------------------------------------


def test_one_payer_over_two_years_matches_the_hand_calculation():
    # 10 participants in year 1 at 1 000 kr: K = [10 000, 0].
    # G(t) = 10 * baseline 10 * effect 0.5 * profile[t-1] = [50, 25] days.
    # M = G * (1 - deadweight 0.2) = [40, 20]; B = M * 200 kr * (1 - optimism bias 0.1) = [7 200, 3 600].
    # N = [-2 800, 3 600]; at 10 % DF = [1, 1/1.1], so NPV = -2 800 + 3 272.73 = 472.73.
    scenario = make_scenario(
        discount_rate=0.10,
        optimism_bias=0.1,
        outcomes=[make_outcome(baseline=10, effect=0.5, effect_profile=[1.0, 0.5], deadweight=0.2,
                               values={"kommun": 200})],
    )
    p = project_savings(scenario)
    assert p.gross_units.tolist() == [[50.0, 25.0]]
    assert p.measured_units.tolist() == [[40.0, 20.0]]
    assert p.benefits.tolist() == pytest.approx([7200.0, 3600.0])
    assert p.costs.tolist() == [10000.0, 0.0]
    assert p.net_by_year.tolist() == pytest.approx([-2800.0, 3600.0])
    assert p.npv == pytest.approx(-2800 + 3600 / 1.1)
    assert p.pv_benefits == pytest.approx(7200 + 3600 / 1.1)
    assert p.pv_costs == 10000.0
    assert p.benefit_cost_ratio == pytest.approx((7200 + 3600 / 1.1) / 10000)
    assert p.cumulative_discounted_net.tolist() == pytest.approx([-2800.0, -2800 + 3600 / 1.1])
    assert p.break_even_year == 2
    assert p.npv_within_contract == pytest.approx(-2800.0)
    # (3 600 / 1.1) / (7 200 + 3 600 / 1.1) = 3 600 / (7 920 + 3 600) = 0.3125
    assert p.benefit_share_after_contract == pytest.approx(0.3125)


def test_cohorts_are_convolved_with_the_profile_and_split_between_payers():
    # Intake [10, 20], profile [1, 0.5], baseline 1, effect 1:
    # year 1: 10; year 2: 10 * 0.5 + 20 = 25; year 3: 20 * 0.5 = 10 units.
    # kommun gets 100 kr a unit, region 50 kr. No discounting.
    scenario = make_scenario(
        horizon_years=3, contract_years=2, intake=[10, 20],
        costs=[make_cost(payer="kommun", per_participant=100),
               make_cost(name="Utvärdering", payer="region", kind="other", per_year=500, first_year=2, last_year=3)],
        outcomes=[make_outcome(baseline=1, effect=1, effect_profile=[1.0, 0.5], values={"kommun": 100, "region": 50})],
    )
    p = project_savings(scenario)
    assert p.payers == ("kommun", "region")
    assert p.benefits_by_payer.tolist() == [[1000.0, 2500.0, 1000.0], [500.0, 1250.0, 500.0]]
    assert p.costs_by_payer.tolist() == [[1000.0, 2000.0, 0.0], [0.0, 500.0, 500.0]]
    # kommun: 4 500 - 3 000; region: 2 250 - 1 000.
    assert p.npv_by_payer == {"kommun": 1500.0, "region": 1250.0}
    assert p.pv_benefits_by_payer == {"kommun": 4500.0, "region": 2250.0}
    assert p.pv_costs_by_payer == {"kommun": 3000.0, "region": 1000.0}
    assert p.npv == 2750.0


def test_delivery_and_other_costs_are_kept_apart_for_each_payer_and_year():
    scenario = make_scenario(
        horizon_years=3, contract_years=2, intake=[10, 20],
        costs=[make_cost(payer="kommun", per_participant=100),
               make_cost(name="Utvärdering", payer="kommun", kind="other", per_year=300)],
    )
    p = project_savings(scenario)
    assert p.delivery_costs_by_payer.tolist() == [[1000.0, 2000.0, 0.0]]
    assert p.other_costs_by_payer.tolist() == [[300.0, 300.0, 0.0]]
    assert p.delivery_costs.tolist() == [1000.0, 2000.0, 0.0]


def test_a_yearly_cost_runs_from_year_one_to_the_end_of_the_contract_by_default():
    scenario = make_scenario(horizon_years=5, contract_years=3, costs=[make_cost(per_year=300)])
    assert project_savings(scenario).costs.tolist() == [300.0, 300.0, 300.0, 0.0, 0.0]


def test_a_yearly_cost_with_explicit_years_is_charged_in_those_years_inclusive():
    scenario = make_scenario(horizon_years=5, contract_years=3,
                             costs=[make_cost(per_year=300, first_year=2, last_year=5)])
    assert project_savings(scenario).costs.tolist() == [0.0, 300.0, 300.0, 300.0, 300.0]


def test_the_effect_ends_when_the_profile_ends():
    scenario = make_scenario(horizon_years=4, contract_years=1,
                             outcomes=[make_outcome(effect_profile=[1.0, 1.0])])
    # 10 participants * 10 * 0.5 = 50 units for two years, then nothing.
    assert project_savings(scenario).gross_units.tolist() == [[50.0, 50.0, 0.0, 0.0]]


def test_the_payers_are_those_in_costs_then_those_in_values_in_order_of_mention():
    scenario = make_scenario(
        costs=[make_cost(payer="region")],
        outcomes=[make_outcome(values={"stat": 1, "region": 2, "kommun": 3})],
    )
    p = project_savings(scenario)
    assert p.payers == ("region", "stat", "kommun")
    assert set(p.npv_by_payer) == {"region", "stat", "kommun"}


def test_a_dip_below_zero_after_turning_positive_moves_the_break_even_year():
    # Benefits 100 a year; a 350 kr cost in year 3. N = [100, 100, -250, 100], no discounting,
    # so CDN = [100, 200, -50, 50]: non-negative from year 4 on, not from year 1.
    scenario = make_scenario(
        horizon_years=4, contract_years=4, intake=[1],
        costs=[make_cost(per_year=350, first_year=3, last_year=3)],
        outcomes=[make_outcome(baseline=1, effect=1, effect_profile=[1, 1, 1, 1], values={"kommun": 100})],
    )
    p = project_savings(scenario)
    assert p.cumulative_discounted_net.tolist() == [100.0, 200.0, -50.0, 50.0]
    assert p.break_even_year == 4


def test_there_is_no_break_even_year_when_the_last_cumulative_net_is_negative():
    assert project_savings(make_scenario()).break_even_year is None  # CDN = [-5 000, -5 000]


def test_break_even_is_the_first_year_from_which_the_cumulative_net_stays_non_negative():
    assert break_even_year(np.array([-1.0, 0.0, 3.0])) == 2
    assert break_even_year(np.array([1.0, 2.0])) == 1
    assert break_even_year(np.array([1.0, -2.0])) is None


def test_the_benefit_cost_ratio_is_missing_when_nothing_costs_anything():
    p = project_savings(make_scenario(costs=[]))
    assert p.benefit_cost_ratio is None
    assert p.npv == p.pv_benefits == 5000.0


def test_the_share_after_the_contract_is_missing_when_there_are_no_benefits():
    assert project_savings(make_scenario(outcomes=[])).benefit_share_after_contract is None


def test_full_deadweight_leaves_gross_units_but_no_measured_units_or_benefits():
    p = project_savings(make_scenario(outcomes=[make_outcome(deadweight=1.0)]))
    assert p.gross_units.tolist() == [[50.0, 0.0]]
    assert p.measured_units.tolist() == [[0.0, 0.0]]
    assert p.pv_benefits == 0.0


def test_the_projection_arrays_cannot_be_changed_by_callers():
    p = project_savings(make_scenario())
    with pytest.raises(ValueError, match="read-only"):
        p.benefits[0] = 1.0


# --- public anchors (reference/anchors.md) -----------------------------------------------------

def _hundred_a_year(horizon: int, contract: int) -> dict:
    # One participant avoiding one unit worth 100 kr every year of the horizon: 100 kr a year.
    return {
        "discount_rate": 0.035, "horizon_years": horizon, "contract_years": contract, "intake": [1],
        "costs": [], "outcomes": [make_outcome(baseline=1, effect=1, effect_profile=[1.0] * horizon,
                                               values={"kommun": 100})],
    }


def test_a_hundred_a_year_over_ten_years_at_three_and_a_half_percent_is_worth_860_77():
    assert round(project_savings(make_scenario(**_hundred_a_year(10, 4))).pv_benefits, 2) == 860.77


def test_a_hundred_a_year_over_four_years_at_three_and_a_half_percent_is_worth_380_16():
    assert round(project_savings(make_scenario(**_hundred_a_year(4, 4))).pv_benefits, 2) == 380.16


def test_a_four_year_contract_holds_44_2_percent_of_a_ten_year_stream():
    p = project_savings(make_scenario(**_hundred_a_year(10, 4)))
    assert round(p.npv_within_contract, 2) == 380.16
    assert round(1 - p.benefit_share_after_contract, 3) == 0.442


# --- JSON ------------------------------------------------------------------------------------

def test_the_json_result_has_every_design_result_name_as_plain_values():
    result = to_json_dict(project_savings(make_scenario(costs=[])))
    for key in ("npv", "npv_within_contract", "pv_benefits", "pv_costs", "benefit_cost_ratio", "break_even_year",
                "benefit_share_after_contract", "npv_by_payer", "years", "net_by_year",
                "benefits_by_payer_by_year", "costs_by_payer_by_year", "cumulative_discounted_net"):
        assert key in result
    assert result["benefit_cost_ratio"] is None
    assert result["years"] == [1, 2]
    assert result["benefits_by_payer_by_year"] == {"kommun": [5000.0, 0.0]}
    text = json.dumps(result, allow_nan=False)  # plain floats and null only
    assert json.loads(text) == result


# --- properties ------------------------------------------------------------------------------

def _close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, scale)


@given(scenario_dicts(min_outcomes=1), st.data())
def test_benefits_never_fall_when_an_effect_rises(data_dict, data):
    index = data.draw(st.integers(0, len(data_dict["outcomes"]) - 1))
    old = data_dict["outcomes"][index]["effect"]
    before = project_savings(parse_scenario(data_dict))
    data_dict["outcomes"][index]["effect"] = data.draw(st.floats(old, 1.0))
    after = project_savings(parse_scenario(data_dict))
    slack = 1e-12 * max(1.0, float(np.abs(after.benefits_by_payer).max(initial=0.0)))
    assert np.all(after.benefits_by_payer >= before.benefits_by_payer - slack)


@given(scenario_dicts())
def test_benefits_and_costs_by_payer_add_up_to_the_totals(data_dict):
    p = project_savings(parse_scenario(data_dict))
    scale = p.pv_benefits + p.pv_costs + float(p.benefits.sum() + p.costs.sum())
    assert np.allclose(p.benefits_by_payer.sum(axis=0), p.benefits, rtol=1e-12, atol=1e-9)
    assert np.allclose(p.costs_by_payer.sum(axis=0), p.costs, rtol=1e-12, atol=1e-9)
    assert np.array_equal(p.delivery_costs_by_payer + p.other_costs_by_payer, p.costs_by_payer)
    assert _close(sum(p.pv_benefits_by_payer.values()), p.pv_benefits, scale)
    assert _close(sum(p.pv_costs_by_payer.values()), p.pv_costs, scale)
    assert _close(sum(p.npv_by_payer.values()), p.npv, scale)
    assert _close(float(p.discounted_net.sum()), p.npv, scale)
    assert _close(float(p.benefits_by_outcome.sum()), float(p.benefits.sum()), scale)


@given(scenario_dicts(), st.floats(0.0, 0.25), st.floats(0.0, 0.25))
def test_a_higher_discount_rate_never_raises_the_present_value_of_a_positive_stream(data_dict, rate_a, rate_b):
    low, high = sorted((rate_a, rate_b))
    at_low = project_savings(parse_scenario({**data_dict, "discount_rate": low}))
    at_high = project_savings(parse_scenario({**data_dict, "discount_rate": high}))
    assert at_high.pv_benefits <= at_low.pv_benefits * (1 + 1e-12)
    assert at_high.pv_costs <= at_low.pv_costs * (1 + 1e-12)


@given(scenario_dicts())
def test_with_no_effect_the_npv_is_minus_the_present_value_of_costs(data_dict):
    for outcome in data_dict["outcomes"]:
        outcome["effect"] = 0.0
    p = project_savings(parse_scenario(data_dict))
    assert p.pv_benefits == 0.0
    assert p.npv == -p.pv_costs


@given(scenario_dicts())
def test_the_break_even_year_follows_its_definition(data_dict):
    p = project_savings(parse_scenario(data_dict))
    cdn = p.cumulative_discounted_net.tolist()
    tolerance = 1e-9 * (p.pv_benefits + p.pv_costs)
    expected = next((t for t in range(1, len(cdn) + 1) if all(v >= -tolerance for v in cdn[t - 1:])), None)
    assert p.break_even_year == expected
