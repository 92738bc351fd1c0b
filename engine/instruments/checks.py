"""Warnings about a contract design in the expected case (codes and raw numbers; the words are in
:mod:`engine.instruments.reading`)."""

from __future__ import annotations

from dataclasses import replace

from engine.instruments.model import Model
from engine.instruments.results import OUTCOME_INSTRUMENTS, ContractResult, ContractWarning

#: From this deadweight on, a priced outcome gets a warning that much of what is paid for would
#: have happened anyway. Antagande/assumption: 30 %, the level above which the source documents
#: call an outcome weakly attributable; the user sees the actual figure in the warning.
HIGH_DEADWEIGHT = 0.30

#: From this share of the priced outcomes' effect arriving after the payment window, the contract
#: gets a warning that most of what it is meant to reward goes unpaid. Antagande/assumption: half,
#: the point where the window misses more of the effect than it measures.
EFFECT_AFTER_WINDOW = 0.5


def with_warnings(result: ContractResult, model: Model) -> ContractResult:
    scenario, contract = model.scenario, model.contract
    found: list[ContractWarning] = []
    priced = [o for o in scenario.outcomes if contract.prices.get(o.name, 0.0) > 0]
    outcome_based = result.instrument in OUTCOME_INSTRUMENTS
    if outcome_based and not priced:
        found.append(ContractWarning("no_prices"))
    for outcome in priced:
        price, value = contract.prices[outcome.name], result.suggested_prices[outcome.name]
        if value <= 0:
            found.append(ContractWarning("no_value_to_payer", {
                "outcome": outcome.name, "price": price, "payments": result.outcome_payments_total,
                "value_total": _payer_value_total(model)}))
        elif price > value + 1e-9:
            found.append(ContractWarning("price_above_value", {"outcome": outcome.name, "price": price, "value": value}))
    for outcome in priced:
        if outcome.deadweight == 0:
            found.append(ContractWarning("no_counterfactual", {"outcome": outcome.name}))
        elif outcome.deadweight >= HIGH_DEADWEIGHT:
            found.append(ContractWarning("high_deadweight", {"outcome": outcome.name, "deadweight": outcome.deadweight}))
    for outcome in priced:
        expected = outcome.effect * (1.0 - outcome.deadweight)
        if outcome.name not in result.paid_outcomes:
            found.append(ContractWarning("threshold_above_effect", {
                "outcome": outcome.name, "threshold": contract.threshold, "expected": expected}))
    if result.cap_reached_year is not None:
        found.append(ContractWarning("cap_reached", {"cap": result.cap, "year": result.cap_reached_year}))
    if priced and model.window_years[1] > scenario.contract_years:
        found.append(ContractWarning("payments_after_contract", {
            "last": model.window_years[1], "contract_years": scenario.contract_years}))
    late = _share_after_window(model, priced)
    if late >= EFFECT_AFTER_WINDOW:
        found.append(ContractWarning("effect_after_window", {"share": late, "last": model.window_years[1]}))
    if result.investor_multiple is not None and result.investor_multiple < 1.0:
        found.append(ContractWarning("investor_loss", {"multiple": result.investor_multiple}))
    elif result.investor_reaches_required is False:
        found.append(ContractWarning("investor_below_required", {
            "irr": result.investor_irr, "required": result.investor_required_return}))
    if result.instrument == "social_investment_fund" and result.fund_repaid_year is None \
            and float(model.delivery.sum()) > 0:
        found.append(ContractWarning("fund_not_repaid", {"horizon": scenario.horizon_years}))
    return replace(result, warnings=tuple(found))


def _share_after_window(model: Model, priced: list) -> float:
    """Share of the priced outcomes' measured units (expected case, whole horizon) that arrive
    after the last year of the payment window: effects nobody is paid for. 0 when nothing is priced."""
    rows = [i for i, outcome in enumerate(model.scenario.outcomes) if outcome in priced]
    if not rows:
        return 0.0
    units = model.units[rows] * model.base_effects[rows, None]  # (priced outcomes, H)
    total = float(units.sum())
    return float(units[:, model.window_years[1]:].sum()) / total if total > 0 else 0.0


def _payer_value_total(model: Model) -> float:
    """What all outcomes together are worth to the outcome payer in the expected case over the
    whole horizon, SEK, undiscounted, after optimism bias: sum over outcomes of
    effect * measured units at effect 1 * value per unit to the payer."""
    units = model.units.sum(axis=1)  # (O,) measured units over the horizon at effect 1
    return float((model.base_effects * units) @ model.values[:, model.outcome_payer])
