"""Small builders for scenarios in tests: defaults that are easy to compute by hand.

The default scenario: one payer (kommun), no discounting, a 2-year horizon with a 1-year
contract, 10 participants starting in year 1 at 1 000 kr each, and one outcome that removes
half of a 10-unit baseline in the intake year only, worth 100 kr per unit to the kommun.
So benefits are [5 000, 0], costs [10 000, 0] and the NPV is -5 000.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from engine.scenario import FORMAT_ID, Scenario, parse_scenario

_OUTCOME: dict[str, Any] = {
    "name": "Undvikna sjukdagar",
    "unit": "dagar",
    "baseline": 10.0,
    "effect": 0.5,
    "effect_profile": [1.0],
    "deadweight": 0.0,
    "values": {"kommun": 100.0},
}

_COST: dict[str, Any] = {"name": "Insats", "payer": "kommun", "kind": "delivery", "per_participant": 1000.0}

_SCENARIO: dict[str, Any] = {
    "format": FORMAT_ID,
    "name": "Testscenario",
    "price_year": 2025,
    "discount_rate": 0.0,
    "horizon_years": 2,
    "contract_years": 1,
    "intake": [10.0],
}


def make_outcome(**overrides: Any) -> dict[str, Any]:
    """An outcome as scenario JSON, with ``overrides`` replacing default fields."""
    return {**copy.deepcopy(_OUTCOME), **overrides}


def make_cost(**overrides: Any) -> dict[str, Any]:
    """A cost item as scenario JSON. Giving ``per_year`` drops the default ``per_participant``."""
    cost = copy.deepcopy(_COST)
    if "per_year" in overrides:
        cost.pop("per_participant")
    return {**cost, **overrides}


def make_scenario_dict(**overrides: Any) -> dict[str, Any]:
    """The default scenario as JSON-ready data, top-level fields replaced by ``overrides``."""
    data = {**copy.deepcopy(_SCENARIO), "costs": [make_cost()], "outcomes": [make_outcome()]}
    data.update(copy.deepcopy(overrides))
    return data


def make_scenario(**overrides: Any) -> Scenario:
    """The default scenario, validated; top-level fields replaced by ``overrides``."""
    return parse_scenario(make_scenario_dict(**overrides), lang="en")


# --- Hypothesis strategies --------------------------------------------------------------------

_PAYERS = ("kommun", "region", "stat")
_SHARES = st.floats(0.0, 1.0)


@st.composite
def _costs(draw: st.DrawFn, horizon: int) -> dict[str, Any]:
    cost: dict[str, Any] = {"name": "Kostnad", "payer": draw(st.sampled_from(_PAYERS)),
                            "kind": draw(st.sampled_from(("delivery", "other")))}
    if draw(st.booleans()):
        cost["per_participant"] = draw(st.floats(0.0, 100_000.0))
    else:
        cost["per_year"] = draw(st.floats(0.0, 1_000_000.0))
        if draw(st.booleans()):  # otherwise the defaults: years 1..contract_years
            first = draw(st.integers(1, horizon))
            cost["first_year"], cost["last_year"] = first, draw(st.integers(first, horizon))
    return cost


@st.composite
def _outcomes(draw: st.DrawFn, horizon: int) -> dict[str, Any]:
    return {
        "name": "Utfall",
        "baseline": draw(st.floats(0.0, 100.0)),
        "effect": draw(_SHARES),
        "effect_profile": draw(st.lists(_SHARES, min_size=1, max_size=horizon)),
        "deadweight": draw(_SHARES),
        "values": draw(st.dictionaries(st.sampled_from(_PAYERS), st.floats(0.0, 10_000.0), max_size=3)),
    }


@st.composite
def scenario_dicts(draw: st.DrawFn, min_outcomes: int = 0, max_horizon: int = 20) -> dict[str, Any]:
    """Valid scenarios (as JSON-ready data) over the whole space the model must handle:
    several payers, cohorts, cost kinds and year windows, profiles, deadweight, optimism bias.
    Without ranges; tests that need them add them."""
    horizon = draw(st.integers(1, max_horizon))
    intake = draw(st.lists(st.floats(0.0, 500.0), min_size=1, max_size=min(horizon, 5)))
    if sum(intake) <= 0:
        intake[0] = 1.0
    outcomes = draw(st.lists(_outcomes(horizon), min_size=min_outcomes, max_size=3))
    for i, outcome in enumerate(outcomes):
        outcome["name"] = f"Utfall {i + 1}"
    return make_scenario_dict(
        discount_rate=draw(st.floats(0.0, 0.25)),
        horizon_years=horizon,
        contract_years=draw(st.integers(1, horizon)),
        intake=intake,
        optimism_bias=draw(_SHARES),
        costs=draw(st.lists(_costs(horizon), max_size=3)),
        outcomes=outcomes,
    )
