"""Financing or outcomes, and transaction costs: known answers by hand, and properties."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.instruments.contract import contract_cash_flows
from engine.instruments.financing import financing_splits, suggested_transaction_costs
from engine.scenario import INSTRUMENTS, parse_scenario
from tests.engine.factories import make_cost, make_outcome, make_scenario_dict


def _scenario(instrument: str, rate: float = 0.1, **contract):
    return parse_scenario(make_scenario_dict(
        discount_rate=rate, horizon_years=4, contract_years=2,
        costs=[make_cost()],
        outcomes=[make_outcome(name="Utfall", effect=0.5, deadweight=0.0, effect_profile=[1.0] * 4,
                               values={"kommun": 100.0})],
        contract={"instrument": instrument, **contract}), "en")


def test_a_bond_at_zero_return_is_a_gain_of_financing_only():
    # Principal = all delivery costs, 10 participants * 1 000 kr, borrowed in year 1 and repaid at 0 %
    # in year 3 (C + 1): at 10 % the public side "gains" 10 000 * (1 - 1 / 1.1**2) = 1 735,54 kr.
    bond = financing_splits(_scenario("social_bond", return_cap=0.0, return_floor=0.0))["social_bond"]
    assert bond.difference == pytest.approx(10_000 * (1 - 1 / 1.1**2))
    assert bond.substance == pytest.approx(0.0, abs=1e-6)
    assert bond.financing == pytest.approx(bond.difference)
    assert bond.from_financing_alone


def test_a_bond_paying_the_full_return_costs_in_kronor_but_may_still_look_cheaper():
    s = _scenario("social_bond", return_cap=0.1, return_floor=0.1)
    bond = financing_splits(s)["social_bond"]
    assert bond.substance < 0  # 10 % of the principal more, in kronor
    assert bond.financing > 0


def test_transaction_costs_are_paid_by_the_outcome_payer_in_year_one_and_each_contract_year():
    plain = contract_cash_flows(_scenario("social_outcomes_contract", rate=0.0))
    costly = contract_cash_flows(_scenario("social_outcomes_contract", rate=0.0, transaction_costs={
        "social_outcomes_contract": {"setup": 1000, "per_year": 100}}))
    # 1 000 + 2 contract years * 100, undiscounted.
    assert plain.public_npv - costly.public_npv == pytest.approx(1200)
    # Other instruments are not charged the SIB's costs.
    assert contract_cash_flows(_scenario("social_outcomes_contract", rate=0.0, transaction_costs={
        "social_outcomes_contract": {"setup": 1000}}), "iop").public_npv == pytest.approx(
        contract_cash_flows(_scenario("social_outcomes_contract", rate=0.0), "iop").public_npv)


def test_transaction_costs_are_substance_not_financing():
    s = _scenario("outcome_based_procurement", rate=0.0, transaction_costs={
        "outcome_based_procurement": {"setup": 500}})
    split = financing_splits(s)["outcome_based_procurement"]
    assert split.financing == pytest.approx(0.0, abs=1e-6)  # at 0 % nothing is timing


def test_the_suggested_costs_are_labelled_assumptions_for_every_instrument():
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).resolve().parents[2] / "data/instruments/transaction_costs.json").read_text())
    assert set(data["instruments"]) == set(INSTRUMENTS)
    assert all(entry["kind"] == "assumption" for entry in data["instruments"].values())
    assert suggested_transaction_costs()["traditional_procurement"] == {"setup": 0.0, "per_year": 0.0}
    assert suggested_transaction_costs()["social_outcomes_contract"]["setup"] > \
        suggested_transaction_costs()["outcome_based_procurement"]["setup"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rate=st.floats(0.0, 0.1), cap=st.floats(-0.2, 0.2), instrument=st.sampled_from(INSTRUMENTS[1:]))
def test_financing_and_substance_add_up_to_the_difference(rate, cap, instrument):
    s = _scenario(instrument, rate=rate, return_cap=max(cap, -0.2), return_floor=min(cap, -0.2) if cap < -0.2 else -0.2,
                  fixed_share=0.2, prices={"Utfall": 150.0})
    split = financing_splits(s)[instrument]
    assert split.financing + split.substance == pytest.approx(split.difference, abs=1e-6)
    difference = contract_cash_flows(s, instrument).public_npv - contract_cash_flows(s, "traditional_procurement").public_npv
    assert split.difference == pytest.approx(difference, abs=1e-6)
    if rate == 0.0:
        assert split.financing == pytest.approx(0.0, abs=1e-6)
