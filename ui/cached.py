"""The expensive results, computed once per scenario content and kept for every page and session.

Each function takes the scenario as its canonical JSON text (``scenario_to_json``), so an input
that leaves the scenario unchanged (a tab, the language, presenter mode) finds its result cached,
and two pages on the same scenario share one computation. Results are read-only engine values.
"""

from __future__ import annotations

import streamlit as st

from engine.instruments.comparison import compare_instruments
from engine.instruments.financing import FinancingSplit, financing_splits
from engine.instruments.results import InstrumentComparison
from engine.savings.uncertainty import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    SavingsSimulation,
    TornadoRow,
    sensitivity,
    simulate_savings,
)
from engine.scenario import parse_scenario

#: Scenarios kept per function: a workshop's handful of scenarios, each in a few variants.
_ENTRIES = 32


@st.cache_data(show_spinner=False, max_entries=_ENTRIES)
def simulation(scenario_json: str, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> SavingsSimulation:
    """The Monte Carlo of the savings model (engine.savings.uncertainty.simulate_savings)."""
    return simulate_savings(parse_scenario(scenario_json), draws=draws, seed=seed)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES)
def tornado(scenario_json: str) -> tuple[TornadoRow, ...]:
    """The one-at-a-time sensitivity of the NPV (engine.savings.uncertainty.sensitivity)."""
    return sensitivity(parse_scenario(scenario_json))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES)
def financing(scenario_json: str) -> dict[str, FinancingSplit]:
    """Each instrument's difference to traditional procurement, split into timing and kronor
    (engine.instruments.financing.financing_splits)."""
    return financing_splits(parse_scenario(scenario_json))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES)
def comparison(scenario_json: str, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> InstrumentComparison:
    """All eight instruments on the same draws (engine.instruments.comparison.compare_instruments)."""
    return compare_instruments(parse_scenario(scenario_json), draws=draws, seed=seed)
