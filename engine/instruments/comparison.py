"""All eight instruments on the same Monte Carlo draws: the public result's distribution, the risk
share against traditional procurement, and every other party's result."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np

from engine.instruments.finance import irr_counting_total_losses, repaid_years, total_losses
from engine.instruments.model import (
    Model,
    OutcomeTerms,
    build_model,
    draw_block,
    instrument_flows,
    outcome_terms,
    read_only,
)
from engine.instruments.results import InstrumentComparison, InstrumentOutcome, Summary
from engine.savings.model import ZERO_TOLERANCE
from engine.savings.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED, DRAW_BLOCK, draw_parameters
from engine.scenario import INSTRUMENTS, Scenario

#: Draws are processed in blocks of at most this many, so memory stays bounded (an array by draw,
#: budget holder and year of a scenario at every limit, 11 x 60 per draw, takes 5 MB for a block)
#: while each block is one set of numpy operations (no Python loop over draws).
_DRAW_BLOCK = DRAW_BLOCK
#: The outcome terms (payments, the bond's achievement: arrays by draw and year or outcome, small)
#: are made for this many draws at once, as the whole comparison was before it was split into
#: blocks: their matrix products over outcomes keep the shapes, so the figures keep every bit.
_TERMS_BLOCK = 20_000

_QUANTILES = (0.10, 0.50, 0.90)


def compare_instruments(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> InstrumentComparison:
    """All eight instruments on the same Monte Carlo draws (:func:`engine.savings.uncertainty.draw_parameters`),
    with the scenario's contract terms (or contract defaults) for every instrument.

    For each instrument: the public sector's NPV distribution (mean, P10, P50, P90, std,
    probability of a loss), the risk share against traditional procurement, and every other
    party's result. Draws are processed in blocks of numpy operations, never one by one.

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [10],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "effect_range": [0.2, 0.8],
    ...                   "values": {"kommun": 200}}],
    ...     "contract": {"instrument": "social_outcomes_contract", "prices": {"o": 200}}})
    >>> c = compare_instruments(s, draws=1000, seed=1)
    >>> list(c.instruments) == list(INSTRUMENTS)
    True
    >>> c.instruments["social_outcomes_contract"].public.std  # pays exactly what each outcome saves
    0.0
    >>> abs(c.instruments["traditional_procurement"].public.mean) < 300  # 20 000 * E[effect] - 10 000
    True
    """
    parameters = draw_parameters(scenario, draws, seed)
    # Every instrument shares the contract terms; only the instrument id differs.
    model = build_model(scenario)
    collected: dict[str, dict[str, list[np.ndarray]]] = {i: {} for i in INSTRUMENTS}
    tolerance_parts: list[np.ndarray] = []
    factors = model.factors
    for start, stop, terms in _blocks(model, parameters.effects):
        effects = parameters.effects[start:stop]
        v, c = parameters.value_multiplier[start:stop], parameters.cost_multiplier[start:stop]
        block = draw_block(model, effects, v, c, terms)
        gross = (block.benefits.sum(axis=1) + block.delivery.sum(axis=1) + block.other.sum(axis=1)) @ factors
        tolerance_parts.append(ZERO_TOLERANCE * gross)
        for instrument in INSTRUMENTS:
            flows = instrument_flows(model, block, instrument)
            store = collected[instrument]
            for party, series in flows.parties.items():
                store.setdefault(f"party:{party}", []).append(series @ factors)
            store.setdefault("payments", []).append(flows.payments.sum(axis=1))
            if instrument == "social_outcomes_contract":
                investor = flows.parties["investor"]
                store.setdefault("irr", []).append(irr_counting_total_losses(investor))
                store.setdefault("total_loss", []).append(total_losses(investor))
            elif flows.fund is not None:
                store.setdefault("repaid", []).append(repaid_years(flows.fund.balance, block.delivery.sum(axis=(1, 2))))
            elif flows.bond is not None:
                store.setdefault("bond_return", []).append(flows.bond.bond_return)
    tolerance = np.concatenate(tolerance_parts)
    ones = np.ones(1)
    expected_block = draw_block(model, model.base_effects[None, :], ones, ones)
    expected = {i: float(instrument_flows(model, expected_block, i).parties["public"][0] @ factors) for i in INSTRUMENTS}

    outcomes: dict[str, InstrumentOutcome] = {}
    traditional_std: float | None = None
    for instrument in INSTRUMENTS:
        joined = {key: np.concatenate(parts) for key, parts in collected[instrument].items()}
        public = joined["party:public"]
        summary = _summary(public, tolerance)
        if instrument == "traditional_procurement":
            traditional_std = summary.std
        parties = {key.removeprefix("party:"): _summary(values, tolerance)
                   for key, values in joined.items() if key.startswith("party:") and key != "party:public"}
        extra: dict[str, Any] = {}
        if "irr" in joined:
            # Over every draw in which the investor puts money in: a total loss counts (−100 %).
            irr = joined["irr"]
            defined = ~np.isnan(irr)
            extra["p_investor_irr_defined"] = float(defined.mean())
            extra["investor_irr_p50"] = float(np.median(irr[defined])) if defined.any() else None
            extra["p_investor_total_loss"] = float(joined["total_loss"].mean())
        if "repaid" in joined:
            extra["p_fund_repaid"] = float((joined["repaid"] > 0).mean())
        if "bond_return" in joined:
            extra["bond_return_mean"] = float(joined["bond_return"].mean())
        outcomes[instrument] = InstrumentOutcome(
            instrument=instrument, public=summary, risk_share=None, parties=parties,
            outcome_payments_mean=float(joined["payments"].mean()), public_npv_draws=read_only(public),
            public_npv_expected=expected[instrument], **extra)
    for instrument, outcome in outcomes.items():
        share = _risk_share(outcome.public.std, traditional_std)
        outcomes[instrument] = replace(outcome, risk_share=share)
    return InstrumentComparison(draws=draws, seed=seed,
                                chosen=scenario.contract.instrument if scenario.contract else None,
                                instruments=outcomes)


def _blocks(model: Model, effects: np.ndarray) -> Iterator[tuple[int, int, OutcomeTerms]]:
    """(start, stop, outcome terms of draws start:stop) for every block of at most :data:`_DRAW_BLOCK`
    draws, in order; the terms are made :data:`_TERMS_BLOCK` draws at a time and sliced."""
    draws = effects.shape[0]
    for outer in range(0, draws, _TERMS_BLOCK):
        outer_stop = min(draws, outer + _TERMS_BLOCK)
        terms = outcome_terms(model, effects[outer:outer_stop])
        for start in range(outer, outer_stop, _DRAW_BLOCK):
            stop = min(outer_stop, start + _DRAW_BLOCK)
            yield start, stop, terms.rows(start - outer, stop - outer)


def _risk_share(std: float, traditional_std: float | None) -> float | None:
    """std / traditional std; None when traditional procurement has no spread (nothing to compare).
    Spreads below a billionth of the traditional one count as zero (floating-point noise)."""
    if not traditional_std or traditional_std <= 0:
        return None
    share = std / traditional_std
    return 0.0 if share < 1e-9 else share


def _summary(values: np.ndarray, tolerance: np.ndarray) -> Summary:
    p10, p50, p90 = np.quantile(values, _QUANTILES)
    std = float(values.std())
    # Floating-point noise on a constant result is not spread.
    if std <= 1e-9 * max(1.0, float(np.abs(values).max(initial=0.0))):
        std = 0.0
    return Summary(mean=float(values.mean()), p10=float(p10), p50=float(p50), p90=float(p90), std=std,
                   p_loss=float(np.mean(values < -tolerance)))

