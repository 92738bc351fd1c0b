"""`python -m engine evaluate`, on real files, in-process through ``main(argv)`` (test_cli_smoke runs it as a subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engine.cli_runner import run_cli
from tests.engine.factories import make_outcome, make_scenario_dict

_REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.json"
    data = make_scenario_dict(
        discount_rate=0.035, horizon_years=5, contract_years=2,
        outcomes=[make_outcome(effect=0.5, effect_range=[0.2, 0.8], effect_profile=[1.0, 1.0, 1.0],
                               values={"kommun": 100, "region": 40})],
        uncertainty={"value_range": [0.8, 1.2], "cost_range": [0.9, 1.3]},
    )
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_valid_scenario_gives_exit_zero_and_the_design_result_keys(scenario_file):
    done = run_cli("evaluate", str(scenario_file))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for key in ("npv", "npv_within_contract", "pv_benefits", "pv_costs", "benefit_cost_ratio", "break_even_year",
                "benefit_share_after_contract", "npv_by_payer", "years", "net_by_year",
                "benefits_by_payer_by_year", "costs_by_payer_by_year", "cumulative_discounted_net", "sensitivity"):
        assert key in result, key
    assert result["years"] == [1, 2, 3, 4, 5]
    assert set(result["npv_by_payer"]) == {"kommun", "region"}
    assert "uncertainty" not in result


def test_the_evaluated_npv_matches_the_hand_calculation(tmp_path):
    # Default factory scenario, discount 0: benefits 5 000 in year 1, costs 10 000: NPV -5 000.
    path = tmp_path / "s.json"
    path.write_text(json.dumps(make_scenario_dict()), encoding="utf-8")
    result = json.loads(run_cli("evaluate", str(path)).stdout)
    assert result["npv"] == -5000.0
    assert result["break_even_year"] is None
    assert result["net_by_year"] == [-5000.0, 0.0]


def test_draws_add_an_uncertainty_object(scenario_file):
    done = run_cli("evaluate", str(scenario_file), "--draws", "2000")
    assert done.returncode == 0, done.stderr
    uncertainty = json.loads(done.stdout)["uncertainty"]
    for key in ("p_npv_positive", "p_break_even_within_contract", "p_break_even_within_horizon",
                "npv_p10", "npv_p50", "npv_p90", "npv_mean", "cumulative_discounted_net_p10",
                "cumulative_discounted_net_p50", "cumulative_discounted_net_p90"):
        assert key in uncertainty, key
    assert uncertainty["draws"] == 2000
    assert len(uncertainty["cumulative_discounted_net_p50"]) == 5
    assert 0.0 <= uncertainty["p_break_even_within_contract"] <= uncertainty["p_break_even_within_horizon"] <= 1.0


def test_the_same_seed_prints_the_same_output(scenario_file):
    first = run_cli("evaluate", str(scenario_file), "--draws", "1000", "--seed", "7")
    second = run_cli("evaluate", str(scenario_file), "--draws", "1000", "--seed", "7")
    other = run_cli("evaluate", str(scenario_file), "--draws", "1000", "--seed", "8")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["uncertainty"] != json.loads(other.stdout)["uncertainty"]


def test_without_a_seed_the_default_seed_makes_runs_repeatable(scenario_file):
    assert run_cli("evaluate", str(scenario_file), "--draws", "500").stdout == \
        run_cli("evaluate", str(scenario_file), "--draws", "500").stdout


@pytest.mark.parametrize("draws", ["0", "-3", "1000001", "many", "2.5", ""])
def test_an_impossible_number_of_draws_exits_two_with_a_message(scenario_file, draws):
    done = run_cli("--lang", "en", "evaluate", str(scenario_file), "--draws", draws)
    assert done.returncode == 2
    assert "--draws" in done.stderr
    assert "1 to 1,000,000" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_negative_seed_exits_two_with_a_swedish_message(scenario_file):
    done = run_cli("evaluate", str(scenario_file), "--draws", "10", "--seed", "-1")
    assert done.returncode == 2
    assert "--seed: Fröet måste vara ett heltal" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_invalid_scenario_exits_two_with_the_field_path_and_no_traceback(tmp_path):
    path = tmp_path / "bad.json"
    data = make_scenario_dict(outcomes=[make_outcome(effect=1.5)])
    path.write_text(json.dumps(data), encoding="utf-8")
    done = run_cli("--lang", "en", "evaluate", str(path), "--draws", "100")
    assert done.returncode == 2
    assert "outcomes[0].effect" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_missing_file_exits_two_without_a_traceback(tmp_path):
    done = run_cli("evaluate", str(tmp_path / "nothing.json"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr



def _bad(change):
    data = make_scenario_dict(horizon_years=5, contract_years=2,
                              outcomes=[make_outcome(effect=0.5, effect_range=[0.2, 0.8])])
    change(data)
    return data


_BAD_INPUTS = {
    "effect above 1": (lambda d: d["outcomes"][0].update(effect=1.2), "outcomes[0].effect"),
    "negative baseline": (lambda d: d["outcomes"][0].update(baseline=-3), "outcomes[0].baseline"),
    "profile longer than the horizon": (lambda d: d["outcomes"][0].update(effect_profile=[1.0] * 6),
                                        "outcomes[0].effect_profile"),
    "empty payer name": (lambda d: d["outcomes"][0].update(values={"": 100}), "outcomes[0].values"),
    "range with low above high": (lambda d: d["outcomes"][0].update(effect_range=[0.8, 0.2]),
                                  "outcomes[0].effect_range"),
    "zero participants": (lambda d: d.update(intake=[0, 0, 0]), "intake"),
}


@pytest.mark.parametrize("case", list(_BAD_INPUTS))
def test_each_kind_of_bad_input_exits_two_naming_its_field(tmp_path, case):
    change, path = _BAD_INPUTS[case]
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(_bad(change)), encoding="utf-8")
    result = run_cli("evaluate", str(file))
    assert result.returncode == 2
    assert f"{path}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


# --- the contract object ---------------------------------------------------------------------------

def _contract_file(tmp_path, contract):
    path = tmp_path / "contract.json"
    path.write_text(json.dumps(make_scenario_dict(horizon_years=3, contract_years=2, contract=contract,
                                                  outcomes=[make_outcome(effect_profile=[1.0, 1.0])])),
                    encoding="utf-8")
    return path


def test_a_scenario_without_a_contract_has_no_contract_object(scenario_file):
    assert "contract" not in json.loads(run_cli("evaluate", str(scenario_file)).stdout)


def test_a_sib_contract_reports_payments_public_npv_irr_and_multiple(tmp_path):
    # Factory scenario: 50 sick days avoided in years 1 and 2, 10 000 kr delivery in year 1.
    # Price 120 kr a day: 6 000 kr a year in the window 1-2. Investor: -10 000 + 6 000, then 6 000:
    # -4 000 + 6 000 / (1 + r) = 0 -> r = 50 %; multiple 12 000 / 10 000 = 1.2.
    path = _contract_file(tmp_path, {"instrument": "social_outcomes_contract", "prices": {"Undvikna sjukdagar": 120}})
    done = run_cli("evaluate", str(path))
    assert done.returncode == 0, done.stderr
    contract = json.loads(done.stdout)["contract"]
    assert contract["instrument"] == "social_outcomes_contract"
    assert contract["outcome_payments_by_year"] == [6000.0, 6000.0, 0.0]
    assert contract["outcome_payments_total"] == 12000.0
    assert contract["public_npv"] == pytest.approx(10000 - 12000)  # benefits 5 000 a year for 2 years
    assert contract["investor_irr"] == pytest.approx(0.5)
    assert contract["investor_multiple"] == pytest.approx(1.2)


def test_an_undefined_irr_is_null(tmp_path):
    path = _contract_file(tmp_path, {"instrument": "social_outcomes_contract"})
    contract = json.loads(run_cli("evaluate", str(path)).stdout)["contract"]
    assert contract["investor_irr"] is None
    assert [w["code"] for w in contract["warnings"]] == ["no_prices", "investor_loss"]  # nothing comes back


def test_a_fund_contract_reports_its_repaid_year(tmp_path):
    # Kommun benefits 5 000 a year, half returned: 2 500 a year against 10 000: not repaid in 3 years.
    path = _contract_file(tmp_path, {"instrument": "social_investment_fund"})
    contract = json.loads(run_cli("evaluate", str(path)).stdout)["contract"]
    assert contract["fund_repaid_year"] is None
    assert contract["fund_balance_by_year"] == [-7500.0, -5000.0, -5000.0]


@pytest.mark.parametrize(("lang", "text"), [("sv", "Får inte vara mindre än 0"), ("en", "Must not be less than 0")])
def test_a_negative_cap_exits_two_in_the_chosen_language(tmp_path, lang, text):
    path = _contract_file(tmp_path, {"instrument": "social_outcomes_contract", "cap": -1})
    done = run_cli("--lang", lang, "evaluate", str(path))
    assert done.returncode == 2
    assert f"contract.cap: {text}" in done.stderr
    assert "Traceback" not in done.stderr
