"""A scenario at every limit is accepted and computed with bounded work; one over any limit is refused
with a message that names the limit. Work is asserted by counting (model evaluations, bytes traced),
never by the clock: timings on a shared machine say little.

The bounds asserted here are loose on purpose: they say "linear, and far from a gigabyte", not the
figures of one machine (benchmarks/bench_limits.py prints those)."""

from __future__ import annotations

import dataclasses
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine.instruments.comparison as comparison
import engine.savings.model as savings_model
import engine.savings.uncertainty as uncertainty
from engine.errors import InputError
from engine.i18n import format_number
from engine.instruments.serialise import comparison_to_json_dict
from engine.savings.model import project_savings
from engine.savings.uncertainty import draw_parameters, sensitivity, simulate_savings, triangular
from engine.scenario import (
    FORMAT_ID,
    INSTRUMENTS,
    LARGEST_AMOUNT,
    MAX_COST_ITEMS,
    MAX_FILE_BYTES,
    MAX_HORIZON_YEARS,
    MAX_OUTCOMES,
    MAX_PAYERS,
    MAX_SOURCES,
    Scenario,
    parse_scenario,
)
from engine.targets.history import MAX_ROWS, history_from_rows, panel_from_rows, read_history_csv
from tests.engine.factories import scenario_dicts

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "examples").glob("*.json"))


def at_limits(outcomes: int = MAX_OUTCOMES, amount: float = 1e4) -> dict[str, Any]:
    """Scenario data at every limit: ``outcomes`` outcomes, each valued by all 10 budget holders, 30
    cost items, a 60-year horizon with 60 years of intake and 60-year effect profiles, effect
    ranges, both uncertainty ranges, a contract pricing every outcome, 200 sources. ``amount``
    scales values and costs (``LARGEST_AMOUNT`` puts them at the largest accepted)."""
    years = MAX_HORIZON_YEARS
    payers = [f"Budget {j + 1}" for j in range(MAX_PAYERS)]
    costs = [{"name": f"Kostnad {k + 1}", "payer": payers[k % MAX_PAYERS], "kind": "delivery" if k % 3 else "other",
              **({"per_participant": amount} if k % 2 else {"per_year": amount, "first_year": 1, "last_year": years})}
             for k in range(MAX_COST_ITEMS)]
    return {
        "format": FORMAT_ID, "name": "Vid alla gränser", "price_year": 2025, "discount_rate": 0.035,
        "horizon_years": years, "contract_years": 10, "intake": [min(amount, 100.0 + i) for i in range(years)],
        "costs": costs,
        "outcomes": [{"name": f"Utfall {i + 1}", "unit": "dagar", "baseline": min(amount, 10.0 + i), "effect": 0.2,
                      "effect_range": [0.05, 0.4], "effect_profile": [1.0 - j / years for j in range(years)],
                      "deadweight": 0.1, "values": dict.fromkeys(payers, amount)}
                     for i in range(outcomes)],
        "optimism_bias": 0.1,
        "uncertainty": {"value_range": [0.7, 1.3], "cost_range": [0.9, 1.5]},
        "contract": {"instrument": "social_outcomes_contract", "outcome_payer": payers[0],
                     "prices": {f"Utfall {i + 1}": min(amount, 50.0) for i in range(outcomes)},
                     "cap": amount, "payment_window": [1, 12]},
        "sources": [{"field": "intake", "text": f"Källa {k + 1}: " + "x" * 100} for k in range(MAX_SOURCES)],
    }


@pytest.fixture(scope="module")
def limit_scenario() -> Scenario:
    return parse_scenario(json.dumps(at_limits(), ensure_ascii=False, indent=2))


def _examples() -> list[Scenario]:
    return [parse_scenario(path.read_bytes()) for path in EXAMPLES]


# --- at the limits: accepted, and computed with bounded work ------------------------------------


def test_a_scenario_at_every_limit_is_accepted_and_its_file_is_allowed():
    text = json.dumps(at_limits(), ensure_ascii=False, indent=2).encode()
    scenario = parse_scenario(text)
    assert len(text) <= MAX_FILE_BYTES
    assert (len(scenario.outcomes), len(scenario.costs), len(scenario.payers)) == (MAX_OUTCOMES, MAX_COST_ITEMS, MAX_PAYERS)
    assert scenario.horizon_years == len(scenario.intake) == MAX_HORIZON_YEARS


def test_the_largest_amounts_everywhere_keep_every_figure_finite():
    scenario = parse_scenario(at_limits(amount=LARGEST_AMOUNT))
    projection = project_savings(scenario)
    simulation = simulate_savings(scenario, draws=200, seed=1)
    assert np.isfinite(projection.npv)
    assert np.isfinite(projection.cumulative_discounted_net).all()
    assert np.isfinite([simulation.npv_p10, simulation.npv_p90]).all()
    assert np.isfinite(simulation.cdn_p50).all()
    assert all(np.isfinite([row.npv_low, row.npv_high]).all() for row in sensitivity(scenario))


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Count the calls of ``module.name`` (the wrapped function still runs)."""
    calls: list[int] = []
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize("outcomes", [1, 5, 10, MAX_OUTCOMES])
def test_the_tornado_makes_two_evaluations_per_bar_and_builds_the_scenario_once(monkeypatch, outcomes):
    scenario = parse_scenario(at_limits(outcomes))
    evaluations = _counting(monkeypatch, uncertainty, "npv_of")
    builds = _counting(monkeypatch, uncertainty, "model_parts")
    projections = _counting(monkeypatch, uncertainty, "project_savings")
    convolutions = _counting(monkeypatch, savings_model, "_gross_units_per_effect")
    rows = sensitivity(scenario)
    inputs = 2 * outcomes + 3  # effect and deadweight of each outcome, values, costs, discount rate
    assert len(rows) == inputs
    assert len(evaluations) == 2 * inputs + 1
    assert (len(builds), len(projections), len(convolutions)) == (1, 0, 1)


def _reprojected_tornado(scenario: Scenario) -> list[tuple[str, str | None, float, float]]:
    """The tornado as it was computed before it was made linear: every end re-projects a copy of the
    scenario with one field changed. The reference the fast tornado must equal bit for bit."""
    def npv(**changes: Any) -> float:
        return project_savings(scenario.model_copy(update=changes)).npv

    def with_outcome(i: int, **fields: float) -> float:
        outcomes = list(scenario.outcomes)
        outcomes[i] = outcomes[i].model_copy(update=fields)
        return npv(outcomes=outcomes)

    rows = []
    for i, o in enumerate(scenario.outcomes):
        if o.effect_range is not None:
            rows.append(("effect", o.name, with_outcome(i, effect=o.effect_range[0]), with_outcome(i, effect=o.effect_range[1])))
    for i, o in enumerate(scenario.outcomes):
        low = round(max(0.0, o.deadweight - 0.1), 12)
        high = round(min(1.0, o.deadweight + 0.1), 12)
        rows.append(("deadweight", o.name, with_outcome(i, deadweight=low), with_outcome(i, deadweight=high)))
    spread = scenario.uncertainty
    if spread is not None and spread.value_range is not None:
        rows.append(("value_multiplier", None, *(npv(outcomes=[
            o.model_copy(update={"values": {p: v * m for p, v in o.values.items()}}) for o in scenario.outcomes])
            for m in spread.value_range)))
    if spread is not None and spread.cost_range is not None:
        rows.append(("cost_multiplier", None, *(npv(costs=[c.model_copy(update={
            "per_participant": None if c.per_participant is None else c.per_participant * m,
            "per_year": None if c.per_year is None else c.per_year * m}) for c in scenario.costs])
            for m in spread.cost_range)))
    rows.append(("discount_rate", None, npv(discount_rate=0.0), npv(discount_rate=0.07)))
    return rows


def test_the_fast_tornado_equals_re_projecting_every_end_bit_for_bit(limit_scenario):
    for scenario in [limit_scenario, *_examples()]:
        expected = {(r[0], r[1]): r for r in _reprojected_tornado(scenario)}
        for row in sensitivity(scenario):
            reference = expected[(row.parameter, row.outcome)]
            assert (repr(row.npv_low), repr(row.npv_high)) == (repr(reference[2]), repr(reference[3]))
            assert repr(row.npv_base) == repr(project_savings(scenario).npv)


@st.composite
def _uncertain_scenarios(draw: st.DrawFn) -> Scenario:
    data = draw(scenario_dicts(min_outcomes=1))
    shares = st.floats(0.0, 1.0)
    for outcome in data["outcomes"]:
        effect = outcome["effect"]
        outcome["effect_range"] = [effect * draw(shares), effect + (1.0 - effect) * draw(shares)]
    data["uncertainty"] = {"value_range": [draw(shares), 1.0 + draw(shares)], "cost_range": [draw(shares), 1.0 + draw(shares)]}
    return parse_scenario(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=_uncertain_scenarios())
def test_property_every_tornado_bar_is_the_npv_of_the_changed_scenario(scenario):
    expected = {(r[0], r[1]): r for r in _reprojected_tornado(scenario)}
    for row in sensitivity(scenario):
        reference = expected[(row.parameter, row.outcome)]
        assert (repr(row.npv_low), repr(row.npv_high)) == (repr(reference[2]), repr(reference[3]))


def _peak_mb(work: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_the_instrument_comparison_at_the_limits_stays_far_below_a_gigabyte(limit_scenario):
    # Before the draws were processed in blocks this was about 350 MB (and 6.7 GiB for one array
    # with 1 500 outcomes, before the limits); blocks of 1 000 draws keep it near 60 MB.
    assert _peak_mb(lambda: comparison.compare_instruments(limit_scenario, draws=10_000)) < 150


def test_the_calculation_pages_work_at_the_limits_stays_small(limit_scenario):
    def page() -> None:
        project_savings(limit_scenario)
        simulate_savings(limit_scenario, draws=10_000)
        sensitivity(limit_scenario)

    assert _peak_mb(page) < 60


# --- blocks of draws give the figures of one big block -------------------------------------------


def _reference_parameters(scenario: Scenario, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The draws made in one call, as before they were made in blocks."""
    uniforms = np.random.default_rng(seed).random((draws, len(scenario.outcomes) + 2))
    base = np.array([o.effect for o in scenario.outcomes], dtype=float)
    ranges = np.array([o.effect_range or (o.effect, o.effect) for o in scenario.outcomes], dtype=float).reshape(-1, 2)
    spread = scenario.uncertainty
    value_range = (spread.value_range if spread else None) or (1.0, 1.0)
    cost_range = (spread.cost_range if spread else None) or (1.0, 1.0)
    count = len(scenario.outcomes)
    return (triangular(uniforms[:, :count], ranges[:, 0], base, ranges[:, 1]),
            triangular(uniforms[:, -2], value_range[0], 1.0, value_range[1]),
            triangular(uniforms[:, -1], cost_range[0], 1.0, cost_range[1]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=_uncertain_scenarios(), draws=st.integers(1, 3_000), block=st.integers(1, 1_500),
       seed=st.integers(0, 2**32))
def test_property_drawing_in_blocks_gives_the_draws_of_one_call(scenario, draws, block, seed):
    with pytest.MonkeyPatch.context() as patch:  # one fresh patch per example
        patch.setattr(uncertainty, "DRAW_BLOCK", block)
        drawn = draw_parameters(scenario, draws, seed)
    effects, values, costs = _reference_parameters(scenario, draws, seed)
    assert drawn.effects.tobytes() == effects.tobytes()
    assert drawn.value_multiplier.tobytes() == values.tobytes()
    assert drawn.cost_multiplier.tobytes() == costs.tobytes()


def _comparison_figures(scenario: Scenario, draws: int, seed: int) -> tuple[str, bytes]:
    result = comparison.compare_instruments(scenario, draws=draws, seed=seed)
    drawn = b"".join(result.instruments[i].public_npv_draws.tobytes() for i in INSTRUMENTS)
    return repr(comparison_to_json_dict(result)), drawn


def test_the_comparison_in_blocks_equals_one_block_for_the_pages_draws(monkeypatch, limit_scenario):
    # 10 000 draws with seed 20251 is what Jämför instrument computes. The reference is the whole
    # comparison in one block, as it was computed before blocks.
    for scenario in [limit_scenario, *_examples()]:
        blocked = _comparison_figures(scenario, 10_000, uncertainty.DEFAULT_SEED)
        with monkeypatch.context() as whole:
            whole.setattr(comparison, "_DRAW_BLOCK", 10_000)
            whole.setattr(uncertainty, "DRAW_BLOCK", 10_000)
            assert blocked == _comparison_figures(scenario, 10_000, uncertainty.DEFAULT_SEED), scenario.name


def test_the_simulation_in_blocks_equals_one_block(monkeypatch, limit_scenario):
    for scenario in [limit_scenario, *_examples()]:
        blocked = simulate_savings(scenario, draws=10_000, seed=7)
        with monkeypatch.context() as whole:
            whole.setattr(uncertainty, "DRAW_BLOCK", 10_000)
            reference = simulate_savings(scenario, draws=10_000, seed=7)
        for field in dataclasses.fields(blocked):
            mine, theirs = getattr(blocked, field.name), getattr(reference, field.name)
            if isinstance(mine, np.ndarray):
                assert mine.tobytes() == theirs.tobytes(), field.name
            elif field.name != "parameters":
                assert repr(mine) == repr(theirs), field.name


# --- one over a limit: refused, and the message names the limit -----------------------------------


def _over(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = at_limits()
    change(data)
    return data


def _add_outcome(data: dict[str, Any]) -> None:
    data["outcomes"].append({**data["outcomes"][0], "name": "Ett till"})


def _add_payer(data: dict[str, Any]) -> None:
    data["costs"][0]["payer"] = "Budget 11"


def _longer_profile(data: dict[str, Any]) -> None:
    data["outcomes"][3]["effect_profile"] = [1.0] * (MAX_HORIZON_YEARS + 1)


def _more_values(data: dict[str, Any]) -> None:
    data["outcomes"][2]["values"]["Budget 11"] = 1.0


def _more_prices(data: dict[str, Any]) -> None:
    data["contract"]["prices"]["Okänt"] = 1.0


#: (what is over its limit, the change, the field, words of the Swedish and English messages)
OVER: list[tuple[str, Callable[[dict[str, Any]], None], str, tuple[str, str]]] = [
    ("outcomes", _add_outcome, "outcomes", ("högst 20 utfall; det här har 21", "at most 20 outcomes; this one has 21")),
    ("cost items", lambda d: d["costs"].append(dict(d["costs"][1])), "costs",
     ("högst 30 kostnadsposter; det här har 31", "at most 30 cost items; this one has 31")),
    ("budget holders", _add_payer, "", ("11 budgetinnehavare. Högst 10", "11 budget holders. At most 10")),
    ("values of one outcome", _more_values, "outcomes[2].values",
     ("högst 10 budgetinnehavare; det här har 11", "at most 10 budget holders; this one has 11")),
    ("sources", lambda d: d["sources"].append({"field": "intake", "text": "En till"}), "sources",
     ("högst 200 källor; det här har 201", "at most 200 sources; this one has 201")),
    ("horizon", lambda d: d.update(horizon_years=MAX_HORIZON_YEARS + 1), "horizon_years",
     ("större än 60", "greater than 60")),
    ("intake years", lambda d: d["intake"].append(1.0), "intake",
     ("högst 60 år (den längsta tidshorisonten); det här gäller 61", "at most 60 years (the longest horizon); this one covers 61")),
    ("effect profile", _longer_profile, "outcomes[3].effect_profile",
     ("högst 60 år lång (den längsta tidshorisonten); den här är 61", "at most 60 years long (the longest horizon); this one is 61")),
    ("prices", _more_prices, "contract.prices",
     ("pris för högst 20 utfall", "price at most 20 outcomes")),
    ("an amount", lambda d: d["outcomes"][0]["values"].update({"Budget 1": LARGEST_AMOUNT * 1.5}),
     "outcomes[0].values.Budget 1", ("större än 1 000 000 000 000", "greater than 1,000,000,000,000")),
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(("what", "change", "path", "words"), OVER, ids=[case[0] for case in OVER])
def test_one_over_a_limit_is_refused_with_the_limit_in_words(what, change, path, words, lang):
    with pytest.raises(InputError) as refused:
        parse_scenario(_over(change), lang)
    messages = {problem.path: problem.message.replace("\u00a0", " ") for problem in refused.value.problems}
    assert path in messages, messages
    assert words[0 if lang == "sv" else 1] in messages[path]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_file_over_the_size_limit_is_refused_with_the_limit(lang):
    with pytest.raises(InputError) as refused:
        parse_scenario(b" " * (MAX_FILE_BYTES + 1), lang)
    assert "2 MB" in refused.value.problems[0].message


def _months(count: int) -> list[tuple[str, str]]:
    return [(f"{1000 + i // 12}-{i % 12 + 1:02d}", "1,5") for i in range(count)]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_typed_series_is_held_to_the_files_row_limit(lang):
    assert len(history_from_rows(_months(MAX_ROWS), lang).values) == MAX_ROWS
    limit = format_number(MAX_ROWS, lang)
    with pytest.raises(InputError) as refused:
        history_from_rows(_months(MAX_ROWS + 1), lang)
    assert limit in refused.value.problems[0].message
    with pytest.raises(InputError) as refused:
        panel_from_rows([(period, "A", value) for period, value in _months(MAX_ROWS + 1)], lang)
    assert limit in refused.value.problems[0].message
    endless = ((f"{1000 + i // 12}-{i % 12 + 1:02d}", "1") for i in range(10**9))
    with pytest.raises(InputError):
        history_from_rows(endless, lang)


def test_a_file_without_headings_is_held_to_the_same_row_limit():
    lines = "\n".join(f"{period};{value}" for period, value in _months(MAX_ROWS + 1)).encode()
    with pytest.raises(InputError) as refused:
        read_history_csv(lines, "en")
    assert refused.value.problems[0].message.startswith("The file has 10,001 rows; at most 10,000")
