"""One contract in the expected case: every party's flows under the scenario's instrument.

DESIGN.md ("Instruments and payment mechanics") fixes the instrument ids, the ``contract`` fields
and the equations; this package implements them. It is pure: no I/O, no Streamlit.

Conventions (the same as :mod:`engine.savings.model`):

* **Years** 1..H (H = ``horizon_years``); year 1 is the first contract year; C = ``contract_years``.
* **Amounts** are real SEK in the scenario's ``price_year`` prices, per year unless the name says
  otherwise. Present values (``pv``, ``npv``) use the scenario's ``discount_rate`` with
  ``DF(t) = (1 + r) ** -(t - 1)`` (year 1 undiscounted); ``total`` means an undiscounted sum.
* **Sign**: every flow is seen from the party's own point of view, ``+`` = the party receives
  (benefits, payments received), ``-`` = the party pays. A party's result is the PV of its flows.
* **Shares** are fractions 0..1.

Parties:

* ``public``: all public budget holders together (kommun, region, the state's agencies ...):
  their benefits minus everything the public side pays under the instrument. For the social
  investment fund the fund is public money, so its flows are counted in ``public`` too; so are the
  providing unit's under an internal outcomes contract whose provider is the public body's own
  unit (``provider_in_house``). ``public_by_payer`` splits the public result by budget holder (the
  fund and the providing unit not included).
* ``provider``: the external provider under outcome-based procurement and, by default, under an
  internal outcomes contract (Botkyrka and Örnsköldsvik procured external providers on outcome
  terms, so the providers carried the outcome risk: "in practice also investors");
  ``providing_unit`` and ``ordering_budget`` (internal contract with its provider in house),
  ``investor`` (social outcomes contract), ``fund``, ``bondholders``, ``partner`` (the idea-based
  organisation in an IOP).

Payment rules (DESIGN.md, plus decisions of the project lead where DESIGN is silent):

* Outcome payment in year t: ``price * M(t)`` for every outcome whose measured relative reduction
  ``effect * (1 - deadweight)`` reaches ``threshold`` (tested per outcome, and per Monte Carlo
  draw on the drawn effect), only in the ``payment_window`` (default years 1..C). ``cap`` limits
  the running nominal total: the year that reaches it is paid partly, later years nothing.
* Outcome payments are made by ``outcome_payer`` (default: the payer of the first delivery
  cost). Fixed-share payments ``fixed_share * delivery(t)`` are made by the payer of each
  delivery cost item.
* Prices, the cap and the bond principal are contract terms: they do not move with the Monte
  Carlo's value and cost multipliers; benefits and delivery costs do.

A worked example: 10 participants at 1 000 kr each; each avoids 5 units in year 1, worth
100 kr a unit to the kommun; the kommun pays 150 kr per unit under a social outcomes contract:

>>> from engine.scenario import parse_scenario
>>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
...     "discount_rate": 0, "horizon_years": 2, "contract_years": 1, "intake": [10],
...     "costs": [{"name": "Insats", "payer": "kommun", "per_participant": 1000}],
...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "values": {"kommun": 100}}],
...     "contract": {"instrument": "social_outcomes_contract", "prices": {"o": 150}}})
>>> r = contract_cash_flows(s)
>>> r.outcome_payments_total, r.public_npv  # 50 units * 150 kr; benefits 5 000 - 7 500
(7500.0, -2500.0)
>>> r.investor_cash_flow_by_year.tolist(), r.investor_irr, r.investor_multiple  # never gets it back
([-2500.0, 0.0], None, 0.75)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.instruments.checks import with_warnings
from engine.instruments.finance import investor_irr, money_multiple, present_value, repaid_years, suggested_prices
from engine.instruments.model import Block, Model, build_model, draw_block, instrument_flows, read_only
from engine.instruments.results import OUTCOME_INSTRUMENTS, ContractResult, ContractWarning
from engine.scenario import Scenario


def contract_cash_flows(scenario: Scenario, instrument: str | None = None) -> ContractResult:
    """The flows of every party under the scenario's contract at base values (the expected case).

    ``instrument`` overrides the contract's instrument (same terms otherwise); without a
    contract block, contract defaults apply (no prices, no cap, fixed share 0). See
    :class:`ContractResult` for the fields and the module docstring for conventions.

    Outcome-based procurement, fixed share 30 %, price 150 kr per unit, capped at 5 000 kr:

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 2, "contract_years": 2, "intake": [10],
    ...     "costs": [{"name": "Insats", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "effect_profile": [1, 1],
    ...                   "values": {"kommun": 100}}],
    ...     "contract": {"instrument": "outcome_based_procurement", "prices": {"o": 150},
    ...                  "fixed_share": 0.3, "cap": 5000}})
    >>> r = contract_cash_flows(s)
    >>> r.outcome_payments_uncapped_by_year.tolist(), r.outcome_payments_by_year.tolist(), r.cap_reached_year
    ([7500.0, 7500.0], [5000.0, 0.0], 1)
    >>> r.party_pv["provider"], r.public_npv  # 3 000 + 5 000 - 10 000; 10 000 - 3 000 - 5 000
    (-2000.0, 2000.0)
    """
    model = build_model(scenario, instrument)
    contract = model.contract
    chosen = contract.instrument
    effects = model.base_effects[None, :]
    ones = np.ones(1)
    block = draw_block(model, effects, ones, ones)
    flows = instrument_flows(model, block, chosen)
    traditional = instrument_flows(model, block, "traditional_procurement")
    factors = model.factors

    party_flows = {name: read_only(series[0].copy()) for name, series in flows.parties.items()}
    payments = flows.payments[0]
    uncapped = block.uncapped[0] if chosen in OUTCOME_INSTRUMENTS else np.zeros_like(payments)
    by_outcome = _payments_by_outcome(model, block, uncapped, payments)
    cap_year = None
    if contract.cap is not None and chosen in OUTCOME_INSTRUMENTS:
        running = np.cumsum(uncapped)
        reached = (running >= contract.cap - 1e-9) & (running > 0)
        cap_year = int(np.argmax(reached)) + 1 if reached.any() else None

    result: dict[str, Any] = {}
    if chosen == "social_outcomes_contract":
        cash = party_flows["investor"]
        invested = float(block.delivery[0].sum())
        received = float(flows.fixed[0].sum() + payments.sum())
        required = contract.investor_required_return
        irr = investor_irr(cash)
        result |= {
            "investor_cash_flow_by_year": cash,
            "investor_irr": irr,
            "investor_multiple": money_multiple(received, invested),
            "investor_required_return": required,
            "investor_npv_at_required": None if required is None else present_value(cash, required),
            "investor_reaches_required": None if required is None else (irr is not None and irr >= required - 1e-9),
        }
    elif chosen == "social_investment_fund" and flows.fund is not None:
        fund = flows.fund
        year = int(repaid_years(fund.balance, block.delivery.sum(axis=(1, 2)))[0])
        result |= {"fund_balance_by_year": read_only(fund.balance[0].copy()),
                   "fund_repayments_by_year": read_only(fund.repayments[0].copy()),
                   "fund_repaid_year": year or None}
    elif chosen == "social_bond" and flows.bond is not None:
        bond = flows.bond
        bond_return = float(bond.bond_return[0])
        result |= {"bond_principal": bond.principal, "bond_achievement": float(bond.achievement[0]),
                   "bond_return": bond_return, "bond_repayment": bond.principal * (1.0 + bond_return),
                   "bond_maturity_year": model.maturity_year}
    elif chosen == "iop":
        result["partner_contribution_total"] = float(-party_flows["partner"].sum())

    paid_outcomes = tuple(o.name for o, ok in zip(scenario.outcomes, block.paid[0], strict=True) if ok)
    contract_result = ContractResult(
        instrument=chosen,
        years=read_only(np.arange(1, model.horizon + 1)),
        contract_years=scenario.contract_years,
        price_year=scenario.price_year,
        discount_rate=scenario.discount_rate,
        outcome_payer=model.payers[model.outcome_payer],
        payers=model.payers,
        outcomes=tuple(o.name for o in scenario.outcomes),
        party_flows=party_flows,
        party_pv={name: float(series @ factors) for name, series in party_flows.items()},
        party_totals={name: float(series.sum()) for name, series in party_flows.items()},
        public_npv=float(party_flows["public"] @ factors),
        public_npv_by_payer={p: float(flows.by_payer[0, j] @ factors) for j, p in enumerate(model.payers)},
        public_flows_by_payer={p: read_only(flows.by_payer[0, j].copy()) for j, p in enumerate(model.payers)},
        traditional_public_npv=float(traditional.parties["public"][0] @ factors),
        outcome_payments_by_year=read_only(payments.copy()),
        outcome_payments_uncapped_by_year=read_only(uncapped.copy()),
        outcome_payments_by_outcome=by_outcome,
        outcome_payments_total=float(payments.sum()),
        pv_outcome_payments=float(payments @ factors),
        fixed_payments_by_year=read_only(flows.fixed[0].copy()),
        payment_window=model.window_years,
        cap=contract.cap,
        cap_reached_year=cap_year,
        paid_outcomes=paid_outcomes,
        suggested_prices=suggested_prices(scenario),
        **result,
    )
    return with_warnings(contract_result, model)


def _payments_by_outcome(model: Model, block: Block, uncapped: np.ndarray,
                         payments: np.ndarray) -> dict[str, np.ndarray]:
    """Each outcome's payments per year; in a capped year every outcome is cut by the same share."""
    rate = np.where(block.paid[0], block.effects[0] * model.prices, 0.0)
    raw = rate[:, None] * model.units * model.window[None, :]
    kept = np.divide(payments, uncapped, out=np.zeros_like(payments), where=uncapped > 0)
    return {o.name: read_only(raw[i] * kept) for i, o in enumerate(model.scenario.outcomes)}


def contract_warnings(scenario: Scenario, instrument: str | None = None) -> tuple[ContractWarning, ...]:
    """What a procurer should know about the contract design, in the expected case. Codes:

    * ``no_prices``: an outcome-based instrument without any price: it pays only the fixed share.
    * ``price_above_value``: a price above what the unit is worth to the payer
      (params ``outcome``, ``price``, ``value``; see :func:`suggested_prices`).
    * ``no_value_to_payer``: a priced outcome that is worth nothing to the payer in this
      scenario (its benefit may be counted under another outcome, e.g. re-offending valued
      through prison days), so the price cannot be checked against it; instead compare
      ``payments`` (expected outcome payments, all outcomes, SEK undiscounted) with
      ``value_total`` (what all outcomes are worth to the payer over the horizon, expected case,
      SEK undiscounted). Params ``outcome``, ``price``, ``payments``, ``value_total``.
    * ``no_counterfactual``: a priced outcome with deadweight 0: the calculation assumes nothing
      would have happened without the intervention; without a comparison group the payer may pay
      for outcomes that would have happened anyway (``outcome``).
    * ``high_deadweight``: a priced outcome with deadweight >= :data:`HIGH_DEADWEIGHT`
      (``outcome``, ``deadweight``).
    * ``threshold_above_effect``: the threshold is above the expected measured reduction, so the
      outcome is not paid in the expected case (``outcome``, ``threshold``, ``expected``).
    * ``cap_reached``: the cap is reached in the expected case (``cap``, ``year``).
    * ``payments_after_contract``: the payment window runs past the contract period
      (``last``, ``contract_years``).
    * ``effect_after_window``: at least :data:`EFFECT_AFTER_WINDOW` of the priced outcomes'
      measured units arrive after the payment window, so nobody is paid for them (``share``,
      ``last``): the Norrköping lesson, where two years of measurement proved too short.
    * ``investor_loss``: the SIB investor gets back less than it put in, in the expected case
      (``multiple`` < 1).
    * ``investor_below_required``: the investor's IRR is below the required return or undefined
      (``irr`` or None, ``required``); not repeated when ``investor_loss`` already applies.
    * ``fund_not_repaid``: the fund is not repaid within the horizon (``horizon``).

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 3, "contract_years": 1, "intake": [10],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 100}],
    ...     "outcomes": [{"name": "o", "baseline": 1, "effect": 0.1, "deadweight": 0.5, "values": {"kommun": 10}}],
    ...     "contract": {"instrument": "outcome_based_procurement", "prices": {"o": 20},
    ...                  "threshold": 0.2, "payment_window": [1, 3]}})
    >>> [w.code for w in contract_warnings(s)]
    ['price_above_value', 'high_deadweight', 'threshold_above_effect', 'payments_after_contract']
    """
    return contract_cash_flows(scenario, instrument).warnings

