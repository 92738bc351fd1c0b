"""Financing or outcomes: how much of an instrument's advantage over traditional procurement is
only the price of moving money in time, and what the instrument costs to set up and run.

The public result is discounted at the scenario's social rate (3,5 % by default). An instrument
that lets the public side pay later (a bond repaid at maturity, an investor who pre-finances the
service) then looks better even when, in kronor, it costs the same or more: a bond at 0 %
return improves the public NPV by about 16 % of its principal over five years. So the
difference to traditional procurement in the expected case is split in two:

* ``substance``: the difference in kronor, as if money had no time value (the undiscounted sum
  of the yearly differences): what outcomes, risk sharing and transaction costs change;
* ``financing``: the rest, which exists only because payments move to other years.

An advantage that comes from financing alone (``difference`` > 0 but ``substance`` <= 0) is not
a gain from outcomes; the page warns about it.

Transaction costs: each instrument's set-up (year 1) and running cost (each contract year) are
contract terms (``Contract.transaction_costs``), paid by the outcome payer. The app suggests the
labelled assumptions in data/instruments/transaction_costs.json (no source has Swedish figures).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from engine.instruments.model import build_model, draw_block, instrument_flows
from engine.scenario import INSTRUMENTS, Scenario

_DEFAULTS = Path(__file__).resolve().parents[2] / "data" / "instruments" / "transaction_costs.json"


@cache
def suggested_transaction_costs() -> dict[str, dict[str, float]]:
    """The suggested set-up and running cost per instrument id (SEK; assumptions, not sourced).

    >>> costs = suggested_transaction_costs()
    >>> costs["traditional_procurement"], sorted(costs) == sorted(INSTRUMENTS)
    ({'setup': 0.0, 'per_year': 0.0}, True)
    """
    with _DEFAULTS.open(encoding="utf-8") as handle:
        data = json.load(handle)["instruments"]
    return {i: {"setup": float(data[i]["setup"]), "per_year": float(data[i]["per_year"])} for i in INSTRUMENTS}


@dataclass(frozen=True)
class FinancingSplit:
    """An instrument's public result against traditional procurement's, expected case, SEK:
    ``difference`` (PV at the scenario's rate) = ``financing`` + ``substance``."""

    instrument: str
    difference: float
    financing: float
    substance: float

    @property
    def from_financing_alone(self) -> bool:
        """The public side gains only because payments move later, not in kronor."""
        return self.difference > 1e-6 and self.substance <= 1e-6


def financing_splits(scenario: Scenario) -> dict[str, FinancingSplit]:
    """The :class:`FinancingSplit` of every instrument but traditional procurement.

    A bond at 0 % return: 1 000 kr borrowed in year 1, repaid in year 3; at 10 % the repayment is
    worth 826 kr today, so the public side "gains" 174 kr, all of it financing:

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0.1, "horizon_years": 3, "contract_years": 2, "intake": [1],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 1, "effect": 0.5, "values": {"kommun": 100}}],
    ...     "contract": {"instrument": "social_bond", "return_cap": 0, "return_floor": 0}})
    >>> bond = financing_splits(s)["social_bond"]
    >>> round(bond.difference, 2), round(bond.financing, 2), round(bond.substance, 2), bond.from_financing_alone
    (173.55, 173.55, 0.0, True)
    """
    model = build_model(scenario)
    ones = np.ones(1)
    block = draw_block(model, model.base_effects[None, :], ones, ones)
    traditional = instrument_flows(model, block, "traditional_procurement").parties["public"][0]
    splits = {}
    for instrument in INSTRUMENTS:
        if instrument == "traditional_procurement":
            continue
        yearly = instrument_flows(model, block, instrument).parties["public"][0] - traditional
        difference = float(yearly @ model.factors)
        substance = float(yearly.sum())
        splits[instrument] = FinancingSplit(instrument, difference, difference - substance, substance)
    return splits
