"""Payment mechanics of the eight instruments: hand-computed cases and properties.

The hand-computed cases share one scenario (discount rate 0, so present values are plain sums):

* 10 participants start in year 1; horizon 3 years, contract 2 years.
* Delivery: 1 000 kr per participant, paid by the kommun: 10 000 kr in year 1.
  Other cost: evaluation 500 kr in year 1 (kommun).
* One outcome: baseline 10 units, effect 50 %, deadweight 20 %, full effect in years 1-3.
  G(t) = 10 * 10 * 0.5 = 50 units a year; measured M(t) = 50 * (1 - 0.2) = 40 units a year.
  Values: kommun 100 kr, region 50 kr a unit, so benefits are kommun 4 000 and region 2 000 a
  year: 18 000 kr over three years.
* Contract terms: price 120 kr a unit, window years 1-2 (default [1, C]), fixed share 25 %,
  threshold 30 % (measured reduction 0.5 * 0.8 = 40 % passes), cap 9 000 kr.
  Uncapped outcome payments: 120 * 40 = 4 800 in years 1 and 2, nothing in year 3 (outside the
  window). Running total 4 800, then 9 600 > 9 000: year 2 is paid 4 200. Total 9 000.
  Fixed share: 0.25 * 10 000 = 2 500 in year 1.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.examples import example_ids, load_example
from engine.instruments.comparison import compare_instruments
from engine.instruments.contract import contract_cash_flows, contract_warnings
from engine.instruments.finance import (
    fund_balance,
    internal_rate_of_return,
    investor_irr,
    money_multiple,
    suggested_prices,
)
from engine.instruments.reading import describe_warning, parties_reading
from engine.instruments.serialise import comparison_to_json_dict, contract_to_json_dict
from engine.instruments.tables import PARTY_COLUMNS, TABLE_COLUMNS, comparison_rows, party_rows, table_unit
from engine.savings.model import project_savings
from engine.scenario import INSTRUMENTS, parse_scenario
from tests.engine.factories import make_cost, make_outcome, make_scenario, make_scenario_dict, scenario_dicts

_TERMS = {"prices": {"Utfall": 120.0}, "fixed_share": 0.25, "threshold": 0.3, "cap": 9000.0}


def _case(instrument: str, **terms):
    return parse_scenario(_case_dict(instrument, **terms), "en")


def _case_dict(instrument: str, **terms):
    contract = {"instrument": instrument, **_TERMS, **terms}
    return make_scenario_dict(
        horizon_years=3, contract_years=2,
        costs=[make_cost(), make_cost(name="Utvärdering", kind="other", per_year=500.0, first_year=1, last_year=1)],
        outcomes=[make_outcome(name="Utfall", effect=0.5, deadweight=0.2, effect_profile=[1.0, 1.0, 1.0],
                               values={"kommun": 100.0, "region": 50.0})],
        contract=contract,
    )


# --- hand-computed cases, one per instrument -------------------------------------------------------

@pytest.mark.parametrize("instrument", ["traditional_procurement", "reserved_procurement"])
def test_traditional_and_reserved_procurement_pay_delivery_as_incurred(instrument):
    r = contract_cash_flows(_case(instrument))
    # Public: 18 000 benefits - 10 000 delivery - 500 evaluation = 7 500.
    assert r.public_npv == pytest.approx(7500)
    assert r.public_npv_by_payer == pytest.approx({"kommun": 12000 - 10500, "region": 6000})
    assert r.party_flows["public"].tolist() == pytest.approx([6000 - 10500, 6000, 6000])
    assert r.party_pv["provider"] == 0  # paid its costs as they came
    assert r.outcome_payments_total == 0
    assert r.traditional_public_npv == pytest.approx(7500)


def test_outcome_based_procurement_pays_fixed_share_plus_capped_outcome_payments():
    r = contract_cash_flows(_case("outcome_based_procurement"))
    assert r.outcome_payments_uncapped_by_year.tolist() == pytest.approx([4800, 4800, 0])
    assert r.outcome_payments_by_year.tolist() == pytest.approx([4800, 4200, 0])
    assert r.fixed_payments_by_year.tolist() == pytest.approx([2500, 0, 0])
    assert (r.outcome_payments_total, r.cap_reached_year) == (pytest.approx(9000), 2)
    # Public: 18 000 - 500 - 2 500 - 9 000 = 6 000; provider: 2 500 + 9 000 - 10 000 = 1 500.
    assert r.public_npv == pytest.approx(6000)
    assert r.party_pv["provider"] == pytest.approx(1500)
    # The kommun pays everything: 12 000 - 500 - 2 500 - 9 000 = 0; the region just gains.
    assert r.public_npv_by_payer == pytest.approx({"kommun": 0, "region": 6000})


def test_internal_outcomes_contract_by_default_puts_the_outcome_risk_on_an_external_provider():
    """As in Botkyrka and Örnsköldsvik: no external financier, but external providers on outcome
    terms, so the public result is outcome-based procurement's, not traditional procurement's."""
    r = contract_cash_flows(_case("internal_outcomes_contract"))
    assert r.public_npv == pytest.approx(6000)
    assert r.party_pv["provider"] == pytest.approx(1500)
    assert "providing_unit" not in r.party_pv
    assert r.public_npv == pytest.approx(contract_cash_flows(_case("outcome_based_procurement")).public_npv)


def test_internal_outcomes_contract_with_its_provider_in_house_keeps_public_npv_and_moves_risk_between_units():
    r = contract_cash_flows(_case("internal_outcomes_contract", provider_in_house=True))
    # The providing unit is public: 0 (kommun) + 6 000 (region) + 1 500 (unit) = 7 500 = traditional.
    assert r.public_npv == pytest.approx(7500) == pytest.approx(r.traditional_public_npv)
    assert r.party_pv["ordering_budget"] == pytest.approx(0)
    assert r.party_pv["providing_unit"] == pytest.approx(1500)


def test_a_scenario_file_without_the_new_field_still_validates_with_the_external_provider():
    data = _case_dict("internal_outcomes_contract")
    assert "provider_in_house" not in data["contract"]
    assert not parse_scenario(data, "en").contract.provider_in_house


def test_social_outcomes_contract_gives_the_investor_its_cash_flow_irr_and_multiple():
    r = contract_cash_flows(_case("social_outcomes_contract", investor_required_return=0.5))
    assert r.public_npv == pytest.approx(6000)
    # Investor: year 1: 2 500 + 4 800 - 10 000 = -2 700; year 2: 4 200; year 3: 0.
    assert r.investor_cash_flow_by_year.tolist() == pytest.approx([-2700, 4200, 0])
    # -2 700 + 4 200 / (1 + r) = 0  ->  r = 4 200 / 2 700 - 1 = 0.5556.
    assert r.investor_irr == pytest.approx(4200 / 2700 - 1, abs=1e-9)
    assert r.investor_multiple == pytest.approx((2500 + 9000) / 10000)  # 1.15
    # At the required 50 %: -2 700 + 4 200 / 1.5 = 100, so the IRR reaches it.
    assert r.investor_npv_at_required == pytest.approx(100)
    assert r.investor_reaches_required is True


def test_an_investor_below_its_required_return_is_warned():
    r = contract_cash_flows(_case("social_outcomes_contract", prices={"Utfall": 100.0}, investor_required_return=0.2))
    # Payments 4 000 a year (running 8 000 stays under the cap). Year 1: 2 500 + 4 000 - 10 000 = -3 500,
    # year 2: 4 000: IRR = 4 000 / 3 500 - 1 = 14.3 %; at 20 %: -3 500 + 4 000 / 1.2 = -166.67.
    assert r.investor_irr == pytest.approx(4000 / 3500 - 1, abs=1e-9)
    assert r.investor_npv_at_required == pytest.approx(-3500 + 4000 / 1.2)
    assert r.investor_reaches_required is False
    assert "investor_below_required" in [w.code for w in r.warnings]


def test_social_investment_fund_is_repaid_from_half_the_delivery_payers_benefits():
    r = contract_cash_flows(_case("social_investment_fund"))
    # Due each year: 0.5 * kommun benefits 4 000 = 2 000; 10 000 outstanding after year 1's payout.
    assert r.fund_repayments_by_year.tolist() == pytest.approx([2000, 2000, 2000])
    assert r.fund_balance_by_year.tolist() == pytest.approx([-8000, -6000, -4000])
    assert r.fund_repaid_year is None
    assert r.party_pv["fund"] == pytest.approx(6000 - 10000)
    # kommun: 12 000 - 500 - 6 000 = 5 500; region 6 000; the fund -4 000: public 7 500 = traditional.
    assert r.public_npv_by_payer == pytest.approx({"kommun": 5500, "region": 6000})
    assert r.public_npv == pytest.approx(7500)
    assert [w.code for w in r.warnings if w.code == "fund_not_repaid"] == ["fund_not_repaid"]


def test_a_fund_repaid_from_all_benefits_knows_its_repaid_year():
    r = contract_cash_flows(_case("social_investment_fund", fund_repayment_share=1.0))
    # 4 000 a year: 10 000 -> 6 000 -> 2 000 -> 0 (only 2 000 taken in year 3).
    assert r.fund_repayments_by_year.tolist() == pytest.approx([4000, 4000, 2000])
    assert r.fund_balance_by_year.tolist() == pytest.approx([-6000, -2000, 0])
    assert r.fund_repaid_year == 3
    assert r.party_pv["fund"] == pytest.approx(0)


def test_social_bond_repays_principal_plus_the_capped_return_at_maturity():
    r = contract_cash_flows(_case("social_bond"))
    # P = 10 000 borrowed in year 1; at base achievement 1 the return is the cap, 10 %: 11 000 in
    # year C + 1 = 3. Public: 7 500 + 10 000 - 11 000 = 6 500.
    assert (r.bond_principal, r.bond_achievement, r.bond_maturity_year) == (10000, 1.0, 3)
    assert r.bond_return == pytest.approx(0.10)
    assert r.bond_repayment == pytest.approx(11000)
    assert r.party_flows["bondholders"].tolist() == pytest.approx([-10000, 0, 11000])
    assert r.public_npv == pytest.approx(6500)
    # The issuer (outcome payer, the kommun): 12 000 - 10 500 + 10 000 - 11 000 = 500.
    assert r.public_npv_by_payer["kommun"] == pytest.approx(500)


def test_iop_shares_delivery_costs_by_the_grant_share():
    r = contract_cash_flows(_case("iop", grant_share=0.8))
    # The public grants 8 000 of 10 000: 18 000 - 500 - 8 000 = 9 500; the partner puts in 2 000.
    assert r.public_npv == pytest.approx(9500)
    assert r.party_pv["partner"] == pytest.approx(-2000)
    assert r.partner_contribution_total == pytest.approx(2000)


def test_discounting_uses_year_one_undiscounted():
    scenario = _case("traditional_procurement").model_copy(update={"discount_rate": 0.10})
    # [-4 500, 6 000, 6 000] at 10 %: -4 500 + 6 000 / 1.1 + 6 000 / 1.21.
    assert contract_cash_flows(scenario).public_npv == pytest.approx(-4500 + 6000 / 1.1 + 6000 / 1.21)


def test_a_threshold_above_the_measured_reduction_pays_nothing_and_warns():
    r = contract_cash_flows(_case("outcome_based_procurement", threshold=0.41))  # measured 40 %
    assert r.outcome_payments_total == 0
    assert r.paid_outcomes == ()
    codes = [w.code for w in r.warnings]
    assert "threshold_above_effect" in codes
    assert "cap_reached" not in codes


def test_a_threshold_exactly_at_the_measured_reduction_pays():
    assert contract_cash_flows(_case("outcome_based_procurement", threshold=0.4)).paid_outcomes == ("Utfall",)


def test_the_payment_window_moves_payments():
    r = contract_cash_flows(_case("outcome_based_procurement", payment_window=[2, 3], cap=None))
    assert r.outcome_payments_by_year.tolist() == pytest.approx([0, 4800, 4800])
    assert "payments_after_contract" in [w.code for w in r.warnings]


def test_outcome_payments_go_to_the_named_outcome_payer():
    r = contract_cash_flows(_case("outcome_based_procurement", outcome_payer="region"))
    # Region: 6 000 - 9 000; kommun: 12 000 - 500 - 2 500 (its fixed share) = 9 000.
    assert r.public_npv_by_payer == pytest.approx({"kommun": 9000, "region": -3000})


def test_an_instrument_can_be_overridden_with_the_same_terms():
    r = contract_cash_flows(_case("social_bond"), "outcome_based_procurement")
    assert r.instrument == "outcome_based_procurement"
    assert r.public_npv == pytest.approx(6000)


def test_without_a_contract_the_defaults_apply():
    r = contract_cash_flows(make_scenario())
    assert r.instrument == "traditional_procurement"
    assert r.public_npv == pytest.approx(-5000)


def test_an_unknown_instrument_override_is_refused():
    with pytest.raises(ValueError, match="unknown instrument"):
        contract_cash_flows(make_scenario(), "crowdfunding")


# --- money arithmetic ---------------------------------------------------------------------------------

def test_irr_of_known_flows():
    assert investor_irr([-100, 110]) == pytest.approx(0.10)
    assert investor_irr([-100, 0, 121]) == pytest.approx(0.10)
    assert investor_irr([-1000, 500, 500]) == pytest.approx(0.0, abs=1e-12)
    assert investor_irr([-100, 50]) == pytest.approx(-0.5)


def test_irr_is_undefined_without_a_sign_change_or_a_root_in_range():
    assert investor_irr([-100, -10]) is None
    assert investor_irr([0, 0, 0]) is None
    assert investor_irr([-1, 1000]) is None  # 99 900 % a year is above the 1 000 % searched
    assert np.isnan(internal_rate_of_return([[100, 10]])[0])


@given(st.floats(-0.9, 5.0), st.integers(1, 20))
def test_irr_recovers_the_rate_that_made_the_flow(rate, years):
    flow = [-100.0] + [0.0] * (years - 1) + [100.0 * (1 + rate) ** years]
    assert investor_irr(flow) == pytest.approx(rate, abs=1e-6)


def test_money_multiple():
    assert money_multiple(11500, 10000) == 1.15
    assert money_multiple(1, 0) is None


def test_fund_balance_function_matches_the_hand_calculation():
    balance, year = fund_balance([10000, 0, 0], [4000, 4000, 4000], 1.0)
    assert balance.tolist() == [-6000, -2000, 0]
    assert year == 3


def test_suggested_price_is_the_value_to_the_outcome_payer_after_optimism_bias():
    scenario = _case("social_outcomes_contract").model_copy(update={"optimism_bias": 0.1})
    assert suggested_prices(scenario) == {"Utfall": pytest.approx(90.0)}


# --- warnings -------------------------------------------------------------------------------------------

def test_price_above_value_and_cap_reached_are_warned_with_their_figures():
    warnings = {w.code: w for w in contract_warnings(_case("social_outcomes_contract", prices={"Utfall": 150.0}))}
    assert warnings["price_above_value"].params == {"outcome": "Utfall", "price": 150.0, "value": 100.0}
    assert warnings["cap_reached"].params == {"cap": 9000.0, "year": 2}
    text = describe_warning(warnings["price_above_value"], "sv")
    assert "150 kr" in text
    assert "100 kr" in text


def test_no_prices_and_no_counterfactual_are_warned():
    no_prices = contract_warnings(_case("social_outcomes_contract", prices={}))
    # Without prices the investor receives nothing back for what it financed, so it also loses.
    assert [w.code for w in no_prices] == ["no_prices", "investor_loss"]
    scenario = make_scenario(contract={"instrument": "outcome_based_procurement", "prices": {"Undvikna sjukdagar": 1}})
    assert "no_counterfactual" in [w.code for w in contract_warnings(scenario)]


def test_a_plain_design_has_no_warnings():
    assert contract_warnings(_case("outcome_based_procurement", cap=None, prices={"Utfall": 100.0})) == ()


def _unvalued_case():
    """Like the Peterborough-style re-offending case: the priced outcome ("Återfall") has no value
    to anyone; its benefit is counted under a second outcome ("Utfall", valued for the kommun)."""
    data = _case_dict("social_outcomes_contract", prices={"Återfall": 120.0})
    data["outcomes"].insert(0, make_outcome(name="Återfall", effect=0.5, deadweight=0.2,
                                            effect_profile=[1.0, 1.0, 1.0], values={}))
    return parse_scenario(data, "en")


def test_a_priced_outcome_without_value_to_the_payer_gets_its_own_warning():
    warnings = {w.code: w for w in contract_warnings(_unvalued_case())}
    assert "price_above_value" not in warnings
    # Payments: "Återfall" measured 40 units a year * 120 kr = 4 800 in years 1 and 2, capped at 9 000.
    # Value to the kommun of all outcomes: "Utfall" 40 units * 100 kr * 3 years = 12 000 ("Återfall" 0).
    assert warnings["no_value_to_payer"].params == {
        "outcome": "Återfall", "price": 120.0, "payments": pytest.approx(9000.0), "value_total": pytest.approx(12000.0)}
    text = describe_warning(warnings["no_value_to_payer"], "sv")
    assert "inget värde för utfallsbetalaren" in text
    assert "9\u00a0000 kr" in text
    assert "12\u00a0000 kr" in text
    assert "SEK 9,000" in describe_warning(warnings["no_value_to_payer"], "en")


def test_the_reoffending_example_warns_about_the_missing_value_not_a_price_above_it():
    codes = [w.code for w in contract_warnings(load_example("aterfall"))]
    assert "no_value_to_payer" in codes
    assert "price_above_value" not in codes


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_warning_has_a_text_in_both_languages(lang):
    from engine.i18n import catalog
    for code in ("no_prices", "price_above_value", "no_value_to_payer", "no_counterfactual", "high_deadweight", "threshold_above_effect",
                 "cap_reached", "payments_after_contract", "investor_below_required", "fund_not_repaid"):
        assert f"instruments.warning.{code}" in catalog(lang)


# --- comparison ---------------------------------------------------------------------------------------

def _uncertain_case(**terms):
    data = _case_dict("social_outcomes_contract", **terms)
    data["outcomes"][0]["effect_range"] = [0.2, 0.8]
    data["uncertainty"] = {"value_range": [0.8, 1.2], "cost_range": [0.9, 1.3]}
    return parse_scenario(data, "en")


def test_the_comparison_reports_every_instrument_with_its_parties():
    comparison = compare_instruments(_uncertain_case(), draws=2000, seed=3)
    assert list(comparison.instruments) == list(INSTRUMENTS)
    assert comparison.chosen == "social_outcomes_contract"
    traditional = comparison.instruments["traditional_procurement"]
    assert traditional.risk_share == pytest.approx(1.0)
    assert traditional.public.p10 <= traditional.public.p50 <= traditional.public.p90
    assert set(comparison.instruments["social_outcomes_contract"].parties) == {"investor"}
    assert set(comparison.instruments["internal_outcomes_contract"].parties) == {"provider"}
    in_house = compare_instruments(_uncertain_case(provider_in_house=True), draws=200, seed=3)
    assert set(in_house.instruments["internal_outcomes_contract"].parties) == {"ordering_budget", "providing_unit"}
    assert comparison.instruments["social_investment_fund"].p_fund_repaid is not None
    data = comparison_to_json_dict(comparison)
    for entry in data["instruments"].values():
        for key in ("public_npv_mean", "public_npv_p10", "public_npv_p90", "public_npv_std", "p_public_loss"):
            assert key in entry


def test_the_comparison_mean_matches_the_deterministic_result_without_uncertainty():
    scenario = _case("social_outcomes_contract")
    comparison = compare_instruments(scenario, draws=50, seed=1)
    for instrument in INSTRUMENTS:
        expected = contract_cash_flows(scenario, instrument).public_npv
        assert comparison.instruments[instrument].public.mean == pytest.approx(expected)
        assert comparison.instruments[instrument].public.std == 0


def test_the_same_seed_gives_the_same_comparison():
    first = comparison_to_json_dict(compare_instruments(_uncertain_case(), draws=500, seed=9))
    second = comparison_to_json_dict(compare_instruments(_uncertain_case(), draws=500, seed=9))
    assert first == second


def test_draw_blocks_do_not_change_the_result(monkeypatch):
    import engine.instruments.comparison as instruments
    whole = compare_instruments(_uncertain_case(), draws=1000, seed=4)
    monkeypatch.setattr(instruments, "_DRAW_BLOCK", 300)
    blocked = compare_instruments(_uncertain_case(), draws=1000, seed=4)
    assert np.allclose(whole.instruments["social_bond"].public_npv_draws,
                       blocked.instruments["social_bond"].public_npv_draws)


def test_contract_json_has_the_fields_the_cli_promises():
    data = contract_to_json_dict(contract_cash_flows(_case("social_outcomes_contract")))
    for key in ("instrument", "outcome_payments_total", "outcome_payments_by_year", "public_npv",
                "investor_irr", "investor_multiple", "parties", "warnings"):
        assert key in data
    fund = contract_to_json_dict(contract_cash_flows(_case("social_investment_fund")))
    assert fund["fund_repaid_year"] is None
    assert len(fund["fund_balance_by_year"]) == 3


# --- plain words and tables -----------------------------------------------------------------------------

def test_table_rows_show_the_hand_computed_results_in_one_unit():
    comparison = compare_instruments(_case("social_outcomes_contract"), draws=20, seed=1)
    rows = {row["instrument"]: row for row in comparison_rows(comparison, "sv")}
    assert table_unit(comparison) == "kr"  # nothing reaches a million
    assert all(list(row) == list(TABLE_COLUMNS) for row in rows.values())
    assert len(rows) == 8
    # Traditional: 18 000 - 10 000 - 500 = 7 500 in every draw; no spread, so no risk share.
    assert rows["Traditionell upphandling"] == {
        "instrument": "Traditionell upphandling", "expected": "+7\u00a0500", "mean": "+7\u00a0500", "p10": "+7\u00a0500", "p90": "+7\u00a0500",
        "std": "0", "p_loss": "0\u00a0%", "risk_share": "–"}
    # SIB (chosen, so ticked): 18 000 - 500 - 2 500 fixed - 9 000 outcome payments = 6 000.
    assert rows["Socialt utfallskontrakt (SIB) ✓"]["mean"] == "+6\u00a0000"
    assert rows["Socialt utfallskontrakt (SIB) ✓"]["expected"] == "+6\u00a0000"  # the fixed effect is the expected case
    parties = {(r["instrument"], r["party"]): r for r in party_rows(comparison, "sv")}
    assert all(list(r) == list(PARTY_COLUMNS) for r in parties.values())
    # The investor: 2 500 + 9 000 received - 10 000 delivery = 1 500.
    assert parties[("Socialt utfallskontrakt (SIB)", "Investerare")]["mean"] == "+1\u00a0500"


def test_the_expected_case_of_traditional_procurement_is_the_savings_headline():
    # The comparison's "Förväntat" column and the long-term calculation's headline tell one story.
    for example in example_ids():
        scenario = load_example(example)
        comparison = compare_instruments(scenario, draws=50, seed=1)
        assert comparison.instruments["traditional_procurement"].public_npv_expected == pytest.approx(
            project_savings(scenario).npv, rel=1e-9, abs=1e-6)
        chosen = scenario.contract.instrument if scenario.contract else "traditional_procurement"
        assert comparison.instruments[chosen].public_npv_expected == pytest.approx(
            contract_cash_flows(scenario).public_npv, rel=1e-9, abs=1e-6)


def test_large_amounts_are_shown_in_millions():
    data = _case_dict("social_outcomes_contract")
    data["intake"] = [10_000]  # delivery 10 000 000 kr
    comparison = compare_instruments(parse_scenario(data, "en"), draws=20, seed=1)
    assert table_unit(comparison) == "mnkr"
    # Public under traditional procurement: 1 000 times the 7 500 kr above, less the 500 kr evaluation
    # that does not scale: 18 000 000 - 10 000 000 - 500 = 7 999 500 kr = 8,0 mnkr.
    assert comparison_rows(comparison, "en")[0]["mean"] == "+8.0"


def test_the_reading_says_who_carries_the_rest():
    comparison = compare_instruments(_uncertain_case(), draws=2000, seed=3)
    sib = comparison.instruments["social_outcomes_contract"]
    assert sib.risk_share < 1
    investor = sib.parties["investor"]
    from engine.i18n import format_percent
    sentence = parties_reading(comparison, "social_outcomes_contract", "sv")
    assert sentence.startswith("Resten bär investeraren (förväntat ")
    assert f"{format_percent(investor.p_loss, 'sv', 0)} risk för förlust)." in sentence
    assert parties_reading(comparison, "social_outcomes_contract", "en").startswith("The rest is carried by the investor")
    in_house = compare_instruments(_uncertain_case(provider_in_house=True), draws=2000, seed=3)
    internal = parties_reading(in_house, "internal_outcomes_contract", "sv")
    assert internal.startswith("Inom offentlig sektor: den beställande budgeten förväntat ")
    assert " och den utförande enheten förväntat " in internal
    assert parties_reading(comparison, "traditional_procurement", "sv") is None


def test_the_reading_does_not_speak_of_a_rest_when_the_public_bears_more_than_all_risk():
    # 1 000 kr a unit, ten times what a unit is worth: the public's result swings with the effect.
    comparison = compare_instruments(_uncertain_case(prices={"Utfall": 1000.0}, cap=None), draws=2000, seed=3)
    assert comparison.instruments["social_outcomes_contract"].risk_share > 1
    sentence = parties_reading(comparison, "social_outcomes_contract", "sv")
    assert sentence.startswith("Pengar står på spel även för investeraren (förväntat ")


# --- properties -------------------------------------------------------------------------------------------

@st.composite
def _contract_scenarios(draw, instrument=None):
    data = draw(scenario_dicts(min_outcomes=1, max_horizon=12))
    horizon = data["horizon_years"]
    for outcome in data["outcomes"]:
        low = draw(st.floats(0.0, outcome["effect"]))
        outcome["effect_range"] = [low, draw(st.floats(outcome["effect"], 1.0))]
    first = draw(st.integers(1, horizon))
    data["uncertainty"] = {"value_range": [draw(st.floats(0.5, 1.0)), draw(st.floats(1.0, 1.5))],
                           "cost_range": [draw(st.floats(0.5, 1.0)), draw(st.floats(1.0, 1.5))]}
    data["contract"] = {
        "instrument": instrument or draw(st.sampled_from(INSTRUMENTS)),
        "prices": {o["name"]: draw(st.floats(0.0, 20_000.0)) for o in data["outcomes"]},
        "payment_window": [first, draw(st.integers(first, horizon))],
        "threshold": draw(st.floats(0.0, 0.5)),
        "cap": draw(st.none() | st.floats(0.0, 5_000_000.0)),
        "fixed_share": draw(st.floats(0.0, 1.0)),
        "fund_repayment_share": draw(st.floats(0.0, 1.0)),
        "grant_share": draw(st.floats(0.0, 1.0)),
        "provider_in_house": draw(st.booleans()),
    }
    return parse_scenario(data, "en")


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_contract_scenarios("outcome_based_procurement"))
def test_payments_never_exceed_the_cap_and_are_zero_outside_the_window(scenario):
    r = contract_cash_flows(scenario)
    if scenario.contract.cap is not None:
        assert r.outcome_payments_total <= scenario.contract.cap * (1 + 1e-12) + 1e-9
    first, last = r.payment_window
    outside = np.r_[r.outcome_payments_by_year[: first - 1], r.outcome_payments_by_year[last:]]
    assert np.all(outside == 0)
    assert np.all(r.outcome_payments_by_year >= -1e-9)


@_SETTINGS
@given(_contract_scenarios())
def test_payments_under_the_cap_hold_for_every_draw(scenario):
    from engine.instruments.model import build_model, draw_block
    from engine.savings.uncertainty import draw_parameters
    model = build_model(scenario)
    p = draw_parameters(scenario, 200, 1)
    block = draw_block(model, p.effects, p.value_multiplier, p.cost_multiplier)
    if scenario.contract.cap is not None:
        assert np.all(block.payments.sum(axis=1) <= scenario.contract.cap * (1 + 1e-12) + 1e-9)
    assert np.all(block.payments <= block.uncapped + 1e-9)


@_SETTINGS
@given(_contract_scenarios())
def test_sib_with_full_fixed_share_and_no_prices_costs_the_public_what_traditional_procurement_does(scenario):
    contract = scenario.contract.model_copy(update={"fixed_share": 1.0, "prices": {}})
    scenario = scenario.model_copy(update={"contract": contract})
    comparison = compare_instruments(scenario, draws=300, seed=2)
    sib = comparison.instruments["social_outcomes_contract"].public_npv_draws
    traditional = comparison.instruments["traditional_procurement"].public_npv_draws
    assert np.allclose(sib, traditional, rtol=1e-9, atol=1e-6)
    assert contract_cash_flows(scenario, "social_outcomes_contract").public_npv == pytest.approx(
        contract_cash_flows(scenario, "traditional_procurement").public_npv, rel=1e-9, abs=1e-6)


@_SETTINGS
@given(_contract_scenarios(), st.floats(0.0, 1.0))
def test_traditional_procurement_spreads_the_public_result_at_least_as_much_as_a_pure_outcome_sib(scenario, share):
    # A SIB that pays only for outcomes (fixed share 0), at a price that is the same share of every
    # outcome's total value, over the whole horizon, without threshold or cap. Value and cost
    # ranges are removed, so the public result is (1 - share) * benefits - other costs under the SIB
    # and benefits - other - delivery under traditional procurement: the first is a scaled-down
    # copy of the second's random part, so its spread can only be smaller.
    values = {o.name: sum(o.values.values()) * (1 - scenario.optimism_bias) for o in scenario.outcomes}
    contract = scenario.contract.model_copy(update={
        "instrument": "social_outcomes_contract", "fixed_share": 0.0, "threshold": 0.0, "cap": None,
        "payment_window": [1, scenario.horizon_years], "prices": {k: share * v for k, v in values.items()}})
    scenario = scenario.model_copy(update={"contract": contract, "uncertainty": None})
    comparison = compare_instruments(scenario, draws=300, seed=5)
    sib = comparison.instruments["social_outcomes_contract"].public_npv_draws.std()
    traditional = comparison.instruments["traditional_procurement"].public_npv_draws.std()
    assert sib <= traditional * (1 + 1e-9) + 1e-6


@_SETTINGS
@given(_contract_scenarios("social_investment_fund"))
def test_the_fund_never_recovers_more_than_it_paid(scenario):
    from engine.instruments.model import _fund, build_model, draw_block
    from engine.savings.uncertainty import draw_parameters
    model = build_model(scenario)
    p = draw_parameters(scenario, 100, 3)
    block = draw_block(model, p.effects, p.value_multiplier, p.cost_multiplier)
    _, repayments, balance = _fund(model, block)
    paid_out = np.cumsum(block.delivery.sum(axis=1), axis=1)
    assert np.all(np.cumsum(repayments, axis=1) <= paid_out * (1 + 1e-12) + 1e-9)
    assert np.all(balance <= 0)


@_SETTINGS
@given(_contract_scenarios("social_bond"))
def test_the_bond_return_stays_between_floor_and_cap(scenario):
    comparison = compare_instruments(scenario, draws=200, seed=4)
    contract = scenario.contract
    mean = comparison.instruments["social_bond"].bond_return_mean
    assert contract.return_floor - 1e-12 <= mean <= contract.return_cap + 1e-12
    from engine.instruments.model import _bond, build_model, draw_block
    from engine.savings.uncertainty import draw_parameters
    model = build_model(scenario)
    p = draw_parameters(scenario, 200, 4)
    _, _, returns = _bond(model, draw_block(model, p.effects, p.value_multiplier, p.cost_multiplier))
    assert np.all((returns >= contract.return_floor - 1e-12) & (returns <= contract.return_cap + 1e-12))


@_SETTINGS
@given(_contract_scenarios())
def test_party_flows_add_up_to_the_public_result_and_by_payer_results(scenario):
    r = contract_cash_flows(scenario)
    total_by_payer = sum(r.public_npv_by_payer.values())
    extra = r.party_pv.get("providing_unit", 0.0) + r.party_pv.get("fund", 0.0)
    assert r.public_npv == pytest.approx(total_by_payer + extra, rel=1e-9, abs=1e-6)
    in_house = r.instrument == "internal_outcomes_contract" and scenario.contract.provider_in_house
    if in_house or r.instrument in ("social_investment_fund", "reserved_procurement"):
        assert r.public_npv == pytest.approx(r.traditional_public_npv, rel=1e-9, abs=1e-6)


def _late_effect_contract(window: list[int], price: float) -> dict:
    """10 participants in year 1, 1 000 kr each (10 000 kr, financed by the investor); one outcome
    with baseline 1, effect 0.5, no deadweight and an effect only in years 2-4 after intake:
    measured units 0, 5, 5, 5 (10 x 1 x 0.5 x profile)."""
    return {"format": "utfallskompassen.scenario/1", "name": "sent", "price_year": 2025, "discount_rate": 0.0,
            "horizon_years": 4, "contract_years": 1, "intake": [10],
            "costs": [{"name": "insats", "payer": "kommun", "per_participant": 1000}],
            "outcomes": [{"name": "o", "baseline": 1, "effect": 0.5, "effect_profile": [0, 1, 1, 1],
                          "values": {"kommun": 100}}],
            "contract": {"instrument": "social_outcomes_contract", "prices": {"o": price},
                         "payment_window": window}}


def test_a_payment_window_that_misses_most_of_the_effect_is_warned_with_the_share_missed():
    # Window [1, 1]: all 15 measured units (years 2-4) fall after it, so nothing is paid and the
    # investor gets back 0 of its 10 000 kr: multiple 0.
    warnings = {w.code: w.params for w in contract_warnings(parse_scenario(_late_effect_contract([1, 1], 100)))}
    assert warnings["effect_after_window"] == {"share": 1.0, "last": 1}
    assert warnings["investor_loss"] == {"multiple": 0.0}
    assert "investor_below_required" not in warnings


def test_a_window_over_the_whole_effect_and_a_price_that_repays_the_investor_raise_neither_warning():
    # Window [1, 4] pays 15 units x 1 000 kr = 15 000 kr for 10 000 kr invested: multiple 1.5.
    scenario = parse_scenario(_late_effect_contract([1, 4], 1000))
    assert contract_cash_flows(scenario).investor_multiple == pytest.approx(1.5)
    codes = {w.code for w in contract_warnings(scenario)}
    assert not codes & {"effect_after_window", "investor_loss"}


def test_the_late_effect_and_investor_loss_warnings_read_in_swedish():
    texts = [describe_warning(w, "sv") for w in contract_warnings(parse_scenario(_late_effect_contract([1, 1], 100)))]
    assert any(text.startswith("100\u00a0% av den effekt") and "år 1" in text for text in texts)
    assert any("0,00 kronor per satsad krona" in text for text in texts)


def test_the_investors_median_irr_counts_the_draws_that_pay_nothing():
    """A threshold that half the draws miss: those draws pay the investor nothing (a total loss,
    −100 %), and the median over all draws says so instead of describing only the paid half."""
    from engine.savings.uncertainty import draw_parameters

    data = _case_dict("social_outcomes_contract", threshold=0.4, cap=None)
    data["outcomes"][0]["effect_range"] = [0.2, 0.8]
    scenario = parse_scenario(data, "en")
    comparison = compare_instruments(scenario, draws=4000, seed=11)
    sib = comparison.instruments["social_outcomes_contract"]
    effects = draw_parameters(scenario, 4000, 11).effects[:, 0]
    missed = float((effects * 0.8 < 0.4 - 1e-12).mean())  # deadweight 0.2: measured = effect * 0.8
    assert 0.3 < missed < 0.7
    assert sib.p_investor_total_loss == pytest.approx(missed)
    assert sib.p_investor_irr_defined >= 0.99  # paid (an IRR, −99 % at worst) or lost (−100 %)
    # More than half lost: the median is a total loss; fewer: it is a paid draw's IRR.
    assert (sib.investor_irr_p50 == -1.0) == (missed > 0.5)
    assert comparison_to_json_dict(comparison)["instruments"]["social_outcomes_contract"][
        "p_investor_total_loss"] == pytest.approx(missed)
