"""`python -m engine compare`, on real files, in-process through ``main(argv)`` (test_cli_smoke runs it as a subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.examples import example_ids
from engine.scenario import INSTRUMENTS
from tests.engine.cli_runner import run_cli
from tests.engine.factories import make_outcome, make_scenario_dict

_REPO = Path(__file__).resolve().parents[2]
_EXAMPLES = _REPO / "data" / "examples"
_KEYS = ("public_npv_mean", "public_npv_p10", "public_npv_p90", "public_npv_std", "p_public_loss", "risk_share",
         "parties")


def _write(tmp_path: Path, contract: dict | None = None, **overrides) -> Path:
    data = make_scenario_dict(
        horizon_years=5, contract_years=2,
        outcomes=[make_outcome(effect=0.5, effect_range=[0.2, 0.8], effect_profile=[1.0, 1.0, 1.0])],
        uncertainty={"value_range": [0.8, 1.2], "cost_range": [0.9, 1.3]}, **overrides,
    )
    if contract is not None:
        data["contract"] = contract
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_compare_prints_all_eight_instruments_with_the_promised_keys(tmp_path):
    done = run_cli("compare", str(_write(tmp_path, {"instrument": "social_outcomes_contract",
                                                 "prices": {"Undvikna sjukdagar": 80}})), "--draws", "2000")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result["instruments"]) == list(INSTRUMENTS)
    for entry in result["instruments"].values():
        for key in _KEYS:
            assert key in entry
        assert 0.0 <= entry["p_public_loss"] <= 1.0
        assert entry["public_npv_p10"] <= entry["public_npv_p90"]
    assert result["draws"] == 2000
    assert result["chosen"] == "social_outcomes_contract"
    assert result["instruments"]["traditional_procurement"]["risk_share"] == pytest.approx(1.0)
    assert "investor" in result["instruments"]["social_outcomes_contract"]["parties"]


def test_compare_without_a_contract_uses_the_defaults_and_ten_thousand_draws(tmp_path):
    done = run_cli("compare", str(_write(tmp_path)))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["draws"] == 10_000
    assert result["chosen"] is None


def test_the_same_seed_prints_the_same_comparison(tmp_path):
    path = _write(tmp_path)
    first = run_cli("compare", str(path), "--draws", "500", "--seed", "11")
    second = run_cli("compare", str(path), "--draws", "500", "--seed", "11")
    assert first.returncode == 0
    assert first.stdout == second.stdout


@pytest.mark.parametrize("example", example_ids())
def test_every_example_case_compares(example):
    done = run_cli("compare", str(_EXAMPLES / f"{example}.json"), "--draws", "1000")
    assert done.returncode == 0, done.stderr
    instruments = json.loads(done.stdout)["instruments"]
    assert len(instruments) == 8
    assert all(entry["public_npv_mean"] is not None for entry in instruments.values())


# Each bad input the issue names, with the field it must be reported at.
_BAD = {
    "price for an outcome that does not exist": ({"instrument": "social_outcomes_contract",
                                                  "prices": {"Finns inte": 100}}, "contract.prices.Finns inte"),
    "negative cap": ({"instrument": "social_outcomes_contract", "cap": -5}, "contract.cap"),
    "window outside the horizon": ({"instrument": "social_outcomes_contract", "payment_window": [2, 9]},
                                   "contract.payment_window"),
    "fixed share above 1": ({"instrument": "outcome_based_procurement", "fixed_share": 1.5}, "contract.fixed_share"),
    "negative threshold": ({"instrument": "outcome_based_procurement", "threshold": -0.1}, "contract.threshold"),
    "grant share above 1": ({"instrument": "iop", "grant_share": 2}, "contract.grant_share"),
    "unknown instrument": ({"instrument": "crowdfunding"}, "contract.instrument"),
    "required return above 50 %": ({"instrument": "social_outcomes_contract", "investor_required_return": 0.9},
                                   "contract.investor_required_return"),
}


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("case", list(_BAD))
def test_each_bad_contract_exits_two_naming_its_field(tmp_path, case, lang):
    contract, field = _BAD[case]
    done = run_cli("--lang", lang, "compare", str(_write(tmp_path, contract)), "--draws", "100")
    assert done.returncode == 2
    assert f"{field}:" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_the_unknown_instrument_message_lists_the_eight_ids(tmp_path):
    done = run_cli("--lang", "en", "compare", str(_write(tmp_path, {"instrument": "crowdfunding"})))
    assert all(instrument in done.stderr for instrument in INSTRUMENTS)


def test_messages_follow_the_language(tmp_path):
    path = _write(tmp_path, {"instrument": "social_outcomes_contract", "prices": {"Finns inte": 100}})
    assert "som inte finns i scenariot" in run_cli("--lang", "sv", "compare", str(path)).stderr
    assert "which is not in the scenario" in run_cli("--lang", "en", "compare", str(path)).stderr


@pytest.mark.parametrize(("option", "value"), [("--draws", "0"), ("--draws", "many"), ("--seed", "-1")])
def test_a_bad_option_exits_two_before_reading_the_file(tmp_path, option, value):
    done = run_cli("--lang", "en", "compare", str(tmp_path / "missing.json"), option, value)
    assert done.returncode == 2
    assert option in done.stderr
    assert "Traceback" not in done.stderr
