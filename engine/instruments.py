"""Instruments and payment mechanics: what each way of contracting means in money, for every party.

DESIGN.md ("Instruments and payment mechanics") fixes the instrument ids, the ``contract`` fields
and the equations; this module implements them. It is pure: no I/O, no Streamlit.

Conventions (the same as :mod:`engine.savings`):

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
  investment fund the fund is public money, and for the internal outcomes contract the providing
  unit belongs to the same public body, so their flows are counted in ``public`` too.
  ``public_by_payer`` splits the public result by budget holder (the fund and the providing unit
  not included).
* ``provider`` (external provider), ``providing_unit`` and ``ordering_budget`` (internal
  contract), ``investor`` (social outcomes contract), ``fund``, ``bondholders``, ``partner``
  (the idea-based organisation in an IOP).

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

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, format_probability, format_sek, translate
from engine.savings import (
    ZERO_TOLERANCE,
    cost_streams,
    discount_factors,
    json_number,
    json_series,
    measured_units_per_effect,
    value_matrix,
)
from engine.scenario import INSTRUMENTS, Contract, Scenario
from engine.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED, draw_parameters

#: Instruments where the public pays a fixed share of delivery costs plus outcome payments.
OUTCOME_INSTRUMENTS: tuple[str, ...] = (
    "outcome_based_procurement", "internal_outcomes_contract", "social_outcomes_contract",
)

#: The party that receives fixed-share and outcome payments and bears delivery costs.
_RECEIVER: dict[str, str] = {
    "outcome_based_procurement": "provider",
    "internal_outcomes_contract": "providing_unit",
    "social_outcomes_contract": "investor",
}

#: Every party name that can appear in results, in display order.
PARTIES: tuple[str, ...] = (
    "public", "ordering_budget", "providing_unit", "provider", "investor", "fund", "bondholders", "partner",
)

#: IRR search interval (share per year); outside it the IRR is reported as undefined.
IRR_LOW, IRR_HIGH = -0.99, 10.0
_IRR_STEPS = 64

#: From this deadweight on, a priced outcome gets a warning that much of what is paid for would
#: have happened anyway. Antagande/assumption: 30 %, the level above which the source documents
#: call an outcome weakly attributable; the user sees the actual figure in the warning.
HIGH_DEADWEIGHT = 0.30

#: From this share of the priced outcomes' effect arriving after the payment window, the contract
#: gets a warning that most of what it is meant to reward goes unpaid. Antagande/assumption: half,
#: the point where the window misses more of the effect than it measures.
EFFECT_AFTER_WINDOW = 0.5

#: Draws are processed in blocks of at most this many, so memory stays bounded for a million draws
#: while each block is one set of numpy operations (no Python loop over draws).
_DRAW_BLOCK = 20_000

_QUANTILES = (0.10, 0.50, 0.90)


# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class ContractWarning:
    """Something a procurer should know about a contract design. ``code`` is stable (tests and
    tools read it); ``params`` hold raw numbers and names (SEK, shares, years), which
    :func:`describe_warning` formats in the user's language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class ContractResult:
    """The money of one instrument for one scenario at its base values (the expected case).

    Per-year arrays have length H, index ``t - 1`` = year t, SEK per year, undiscounted.

    * ``instrument``, ``outcome_payer``, ``payers`` (public budget holders), ``outcomes``.
    * ``party_flows``: party -> per-year flows (+ = receives); ``party_pv``: party -> PV;
      ``party_totals``: party -> undiscounted sum. Always contains ``public``.
    * ``public_npv`` = ``party_pv["public"]``; ``public_npv_by_payer`` and
      ``public_flows_by_payer``: the same per budget holder; ``traditional_public_npv``: the
      public NPV under traditional procurement, for comparison.
    * ``outcome_payments_by_year`` (after window, threshold and cap), ``..._uncapped_by_year``
      (before the cap), ``outcome_payments_by_outcome`` (capped pro rata), ``outcome_payments_total``
      and ``pv_outcome_payments``; ``fixed_payments_by_year``. Zero for instruments without
      outcome payments.
    * ``payment_window`` (first, last), ``cap`` (SEK or None), ``cap_reached_year`` (first year
      the running total reaches the cap, or None), ``paid_outcomes``: outcomes that pass the
      threshold. ``suggested_prices``: see :func:`suggested_prices`.
    * Social outcomes contract only (else None): ``investor_cash_flow_by_year``, ``investor_irr``
      (share per year; None when undefined), ``investor_multiple`` (received / invested),
      ``investor_required_return``, ``investor_npv_at_required`` (PV at that rate, SEK),
      ``investor_reaches_required``.
    * Social investment fund only: ``fund_balance_by_year`` (cumulative repayments received minus
      cumulative delivery costs paid, <= 0; 0 means repaid), ``fund_repayments_by_year``,
      ``fund_repaid_year`` (first year from which the balance stays 0; None if never or if the
      fund financed nothing).
    * Social bond only: ``bond_principal`` P (SEK, received in year 1), ``bond_achievement``
      (0..), ``bond_return`` R (share over the whole term), ``bond_repayment`` P * (1 + R),
      ``bond_maturity_year``.
    * IOP only: ``partner_contribution_total`` (SEK the idea-based partner puts in).
    * ``warnings``: see :func:`contract_warnings`.
    """

    instrument: str
    years: np.ndarray
    contract_years: int
    price_year: int
    discount_rate: float
    outcome_payer: str
    payers: tuple[str, ...]
    outcomes: tuple[str, ...]
    party_flows: dict[str, np.ndarray]
    party_pv: dict[str, float]
    party_totals: dict[str, float]
    public_npv: float
    public_npv_by_payer: dict[str, float]
    public_flows_by_payer: dict[str, np.ndarray]
    traditional_public_npv: float
    outcome_payments_by_year: np.ndarray
    outcome_payments_uncapped_by_year: np.ndarray
    outcome_payments_by_outcome: dict[str, np.ndarray]
    outcome_payments_total: float
    pv_outcome_payments: float
    fixed_payments_by_year: np.ndarray
    payment_window: tuple[int, int]
    cap: float | None
    cap_reached_year: int | None
    paid_outcomes: tuple[str, ...]
    suggested_prices: dict[str, float]
    investor_cash_flow_by_year: np.ndarray | None = None
    investor_irr: float | None = None
    investor_multiple: float | None = None
    investor_required_return: float | None = None
    investor_npv_at_required: float | None = None
    investor_reaches_required: bool | None = None
    fund_balance_by_year: np.ndarray | None = None
    fund_repayments_by_year: np.ndarray | None = None
    fund_repaid_year: int | None = None
    bond_principal: float | None = None
    bond_achievement: float | None = None
    bond_return: float | None = None
    bond_repayment: float | None = None
    bond_maturity_year: int | None = None
    partner_contribution_total: float | None = None
    warnings: tuple[ContractWarning, ...] = ()


@dataclass(frozen=True)
class Summary:
    """A distribution over Monte Carlo draws: mean, 10th/50th/90th percentile, standard
    deviation (population, ddof = 0) in SEK, and ``p_loss`` = share of draws below zero."""

    mean: float
    p10: float
    p50: float
    p90: float
    std: float
    p_loss: float


@dataclass(frozen=True, eq=False)
class InstrumentOutcome:
    """One instrument in the comparison.

    ``public``: the public sector's NPV over draws (SEK). ``risk_share``: std of the public NPV
    under this instrument / std under traditional procurement (1.0 = the public carries as much
    risk as when it buys the service; None when traditional procurement has no spread).
    ``parties``: every other party's result (PV, SEK). ``outcome_payments_mean``: mean
    undiscounted outcome payments, SEK. ``investor_irr_p50`` / ``p_investor_irr_defined`` (social
    outcomes contract), ``p_fund_repaid`` (fund: share of draws repaid within the horizon),
    ``bond_return_mean`` (bond): None for other instruments. ``public_npv_draws``: every draw.
    """

    instrument: str
    public: Summary
    risk_share: float | None
    parties: dict[str, Summary]
    outcome_payments_mean: float
    public_npv_draws: np.ndarray
    investor_irr_p50: float | None = None
    p_investor_irr_defined: float | None = None
    p_fund_repaid: float | None = None
    bond_return_mean: float | None = None


@dataclass(frozen=True, eq=False)
class InstrumentComparison:
    """All eight instruments on the same draws (same effects, value and cost multipliers).
    ``instruments`` maps every id of :data:`engine.scenario.INSTRUMENTS` in that order;
    ``chosen`` is the scenario's own instrument (None without a contract block)."""

    draws: int
    seed: int
    chosen: str | None
    instruments: dict[str, InstrumentOutcome]


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, eq=False)
class _Model:
    """Everything about a scenario and its contract terms that does not vary between draws."""

    scenario: Scenario
    contract: Contract
    factors: np.ndarray  # (H,)
    payers: tuple[str, ...]
    outcome_payer: int  # index into payers
    units: np.ndarray  # (O, H) measured units per year at effect 1
    values: np.ndarray  # (O, P) SEK per measured unit after optimism bias
    delivery: np.ndarray  # (P, H)
    other: np.ndarray  # (P, H)
    base_effects: np.ndarray  # (O,)
    keep: np.ndarray  # (O,) 1 - deadweight
    prices: np.ndarray  # (O,)
    window: np.ndarray  # (H,) 1.0 inside the payment window
    window_years: tuple[int, int]
    maturity_year: int

    @property
    def horizon(self) -> int:
        return self.factors.size


def default_outcome_payer(scenario: Scenario) -> str:
    """The contract's ``outcome_payer``, else the payer of the first delivery cost, else the first
    budget holder named anywhere, else ``kommun``.

    >>> from engine.scenario import blank_scenario
    >>> default_outcome_payer(blank_scenario("x"))
    'kommun'
    """
    if scenario.contract is not None and scenario.contract.outcome_payer:
        return scenario.contract.outcome_payer
    for cost in scenario.costs:
        if cost.kind == "delivery":
            return cost.payer
    return scenario.payers[0] if scenario.payers else "kommun"


def _contract_of(scenario: Scenario, instrument: str | None) -> Contract:
    if instrument is not None and instrument not in INSTRUMENTS:
        raise ValueError(f"unknown instrument {instrument!r}; expected one of {', '.join(INSTRUMENTS)}")
    if scenario.contract is None:
        return Contract(instrument=instrument or "traditional_procurement")
    if instrument is None:
        return scenario.contract
    return scenario.contract.model_copy(update={"instrument": instrument})


def _build_model(scenario: Scenario, instrument: str | None = None) -> _Model:
    contract = _contract_of(scenario, instrument)
    payer_name = default_outcome_payer(scenario)
    payers = scenario.payers if payer_name in scenario.payers else (*scenario.payers, payer_name)
    horizon = scenario.horizon_years
    delivery, other = cost_streams(scenario, payers)
    first, last = contract.payment_window or (1, min(scenario.contract_years, horizon))
    window = np.zeros(horizon)
    window[first - 1 : min(last, horizon)] = 1.0
    maturity = contract.maturity_year or min(scenario.contract_years + 1, horizon)
    return _Model(
        scenario=scenario,
        contract=contract,
        factors=discount_factors(scenario.discount_rate, horizon),
        payers=payers,
        outcome_payer=payers.index(payer_name),
        units=measured_units_per_effect(scenario),
        values=value_matrix(scenario, payers),
        delivery=delivery,
        other=other,
        base_effects=np.array([o.effect for o in scenario.outcomes], dtype=float),
        keep=np.array([1.0 - o.deadweight for o in scenario.outcomes], dtype=float),
        prices=np.array([contract.prices.get(o.name, 0.0) for o in scenario.outcomes], dtype=float),
        window=window,
        window_years=(first, last),
        maturity_year=maturity,
    )


@dataclass(frozen=True, eq=False)
class _Block:
    """One block of N draws: benefits and costs by payer and year, each (N, P, H)."""

    effects: np.ndarray  # (N, O)
    benefits: np.ndarray
    delivery: np.ndarray
    other: np.ndarray
    uncapped: np.ndarray  # (N, H) outcome payments before the cap
    payments: np.ndarray  # (N, H) after the cap
    paid: np.ndarray  # (N, O) bool: outcome passes the threshold


def _block(model: _Model, effects: np.ndarray, value_multiplier: np.ndarray, cost_multiplier: np.ndarray) -> _Block:
    measured = effects[:, :, None] * model.units[None, :, :]
    benefits = np.einsum("noh,op->nph", measured, model.values) * value_multiplier[:, None, None]
    delivery = model.delivery[None] * cost_multiplier[:, None, None]
    other = model.other[None] * cost_multiplier[:, None, None]
    uncapped, payments, paid = _payments(model, effects)
    return _Block(effects, benefits, delivery, other, uncapped, payments, paid)


def _payments(model: _Model, effects: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outcome payments (N, H) before and after the cap, and which outcomes pass the threshold."""
    contract = model.contract
    # A hair of tolerance so that an effect exactly at the threshold counts as reaching it.
    paid = effects * model.keep[None, :] >= contract.threshold - 1e-12
    rate = np.where(paid, effects * model.prices[None, :], 0.0)  # SEK per unit of M at effect 1
    uncapped = rate @ (model.units * model.window[None, :])
    if contract.cap is None:
        return uncapped, uncapped, paid
    capped_running = np.minimum(np.cumsum(uncapped, axis=1), contract.cap)
    payments = np.diff(capped_running, axis=1, prepend=0.0)
    return uncapped, payments, paid


@dataclass(frozen=True, eq=False)
class _Flows:
    by_payer: np.ndarray  # (N, P, H) each public budget's net flow
    parties: dict[str, np.ndarray]  # (N, H)
    fixed: np.ndarray  # (N, H)
    payments: np.ndarray  # (N, H) outcome payments actually made under this instrument
    fund_repayments: np.ndarray | None = None
    fund_balance: np.ndarray | None = None
    bond_principal: float | None = None
    bond_achievement: np.ndarray | None = None
    bond_return: np.ndarray | None = None


def _instrument_flows(model: _Model, block: _Block, instrument: str) -> _Flows:
    """Per-year flows of every party under ``instrument`` for a block of draws."""
    contract = model.contract
    delivery = block.delivery
    total_delivery = delivery.sum(axis=1)
    zeros = np.zeros_like(total_delivery)
    parties: dict[str, np.ndarray] = {}
    fixed, payments = zeros, zeros
    extra: dict[str, Any] = {}
    op = model.outcome_payer

    if instrument in ("traditional_procurement", "reserved_procurement"):
        public_pays = delivery
        parties["provider"] = zeros  # paid its costs as they are incurred
    elif instrument in OUTCOME_INSTRUMENTS:
        public_pays = contract.fixed_share * delivery
        fixed = public_pays.sum(axis=1)
        public_pays = public_pays.copy()
        public_pays[:, op, :] += block.payments
        payments = block.payments
        parties[_RECEIVER[instrument]] = fixed + payments - total_delivery
    elif instrument == "social_investment_fund":
        public_pays, repayments, balance = _fund(model, block)
        parties["fund"] = repayments - total_delivery
        extra = {"fund_repayments": repayments, "fund_balance": balance}
    elif instrument == "social_bond":
        principal, achievement, bond_return = _bond(model, block)
        holders = np.zeros_like(total_delivery)
        holders[:, 0] -= principal
        holders[:, model.maturity_year - 1] += principal * (1.0 + bond_return)
        public_pays = delivery.copy()
        public_pays[:, op, :] += holders  # the issuer receives the principal and repays it
        parties["bondholders"] = holders
        extra = {"bond_principal": principal, "bond_achievement": achievement, "bond_return": bond_return}
    elif instrument == "iop":
        public_pays = contract.grant_share * delivery
        parties["partner"] = public_pays.sum(axis=1) - total_delivery
    else:  # pragma: no cover - _contract_of refuses unknown ids
        raise ValueError(instrument)

    by_payer = block.benefits - block.other - public_pays
    public = by_payer.sum(axis=1)
    if instrument == "internal_outcomes_contract":
        public = public + parties["providing_unit"]
        parties = {"ordering_budget": by_payer[:, op, :], **parties}
    elif instrument == "social_investment_fund":
        public = public + parties["fund"]
    return _Flows(by_payer=by_payer, parties={"public": public, **parties}, fixed=fixed, payments=payments, **extra)


def _fund(model: _Model, block: _Block) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(public pays by payer (N, P, H), repayments (N, H), balance (N, H)) for the fund.

    Each year the fund pays that year's delivery costs; each payer of delivery costs then owes
    ``fund_repayment_share`` of its benefits that year, and the fund takes at most what is still
    outstanding. When the outstanding amount limits the repayment, payers repay pro rata.
    """
    pays_delivery = (model.delivery.sum(axis=1) > 0)[None, :, None]
    due_by_payer = model.contract.fund_repayment_share * block.benefits * pays_delivery
    due = due_by_payer.sum(axis=1)
    funded = block.delivery.sum(axis=1)
    repayments = np.empty_like(due)
    balance = np.empty_like(due)
    outstanding = np.zeros(due.shape[0])
    for year in range(model.horizon):  # a loop over years, each step over all draws at once
        outstanding = outstanding + funded[:, year]
        repaid = np.minimum(due[:, year], outstanding)
        outstanding = outstanding - repaid
        repayments[:, year] = repaid
        balance[:, year] = -outstanding + 0.0  # + 0.0 turns -0.0 into 0.0
    ratio = np.divide(repayments, due, out=np.zeros_like(due), where=due > 0)
    return due_by_payer * ratio[:, None, :], repayments, balance


def _bond(model: _Model, block: _Block) -> tuple[float, np.ndarray, np.ndarray]:
    """(principal P, achievement (N,), return R (N,)) of the outcome-linked bond.

    P = total nominal delivery costs at base (a bond is sold before anyone knows what the service
    will cost, so cost overruns stay with the issuer). Achievement = benefits to all payers within
    the payment window, undiscounted, / the same at the scenario's base effects. The value
    multiplier is left out of both, so achievement measures outcomes, not their valuation; with
    nothing expected in the window achievement counts as 1 (nothing promised, nothing missed).
    """
    contract = model.contract
    principal = float(model.delivery.sum())
    weights = (model.units * model.window[None, :]).sum(axis=1) * model.values.sum(axis=1)
    expected = float(model.base_effects @ weights)
    # Below a billionth of a krona nothing is expected (and dividing by it would overflow).
    achievement = (block.effects @ weights) / expected if expected > 1e-9 else np.ones(block.effects.shape[0])
    bond_return = contract.return_floor + (contract.return_cap - contract.return_floor) * np.clip(achievement, 0.0, 1.0)
    return principal, achievement, bond_return


# --------------------------------------------------------------------------- money arithmetic


def internal_rate_of_return(cash_flows: Any) -> np.ndarray:
    """IRR of each row of ``cash_flows`` (SEK per year, year 1 first, + = received), as a share per
    year; NaN where undefined. Vectorised bisection over all rows at once.

    The IRR is the rate r with ``sum_t CF(t) * (1 + r) ** -(t - 1) = 0``. It is undefined when the
    flows never change sign, or when the NPV has the same sign at both ends of
    [:data:`IRR_LOW`, :data:`IRR_HIGH`] (no root there, or an even number of roots).

    >>> internal_rate_of_return([[-100, 110], [-100, 0], [100, 10]]).round(6).tolist()
    [0.1, nan, nan]
    """
    flows = np.atleast_2d(np.asarray(cash_flows, dtype=float))
    exponents = np.arange(flows.shape[1], dtype=float)
    # Bisection on x = log(1 + r): the NPV is smooth in x and the interval is short.
    low = np.full(flows.shape[0], np.log1p(IRR_LOW))
    high = np.full(flows.shape[0], np.log1p(IRR_HIGH))

    def npv(x: np.ndarray) -> np.ndarray:
        return (flows * np.exp(-x[:, None] * exponents[None, :])).sum(axis=1)

    npv_low, npv_high = npv(low), npv(high)
    sign_change = (flows.min(axis=1) < 0) & (flows.max(axis=1) > 0)
    defined = sign_change & (np.sign(npv_low) * np.sign(npv_high) <= 0)
    for _ in range(_IRR_STEPS):
        middle = (low + high) / 2
        npv_middle = npv(middle)
        same = np.sign(npv_middle) == np.sign(npv_low)
        low = np.where(same, middle, low)
        npv_low = np.where(same, npv_middle, npv_low)
        high = np.where(same, high, middle)
    rate = np.expm1((low + high) / 2)
    return np.where(defined, rate, np.nan)


def investor_irr(cash_flow: Any) -> float | None:
    """IRR of one cash flow (SEK per year, year 1 first, + = received), share per year, or None
    when undefined (see :func:`internal_rate_of_return`).

    >>> round(investor_irr([-100, 110]), 10)  # 100 kr in, 110 kr back a year later: 10 %
    0.1
    >>> round(investor_irr([-100, 0, 121]), 10)  # 1.1 ** 2 = 1.21
    0.1
    >>> investor_irr([-100, 50]) is not None, investor_irr([0, 0]) is None
    (True, True)
    """
    value = float(internal_rate_of_return(cash_flow)[0])
    return None if np.isnan(value) else value


def money_multiple(received: float, invested: float) -> float | None:
    """Total received / total invested (both SEK, undiscounted); None when nothing was invested.

    >>> money_multiple(7500, 10000), money_multiple(5, 0)
    (0.75, None)
    """
    return received / invested if invested > 0 else None


def present_value(cash_flow: Any, rate: float) -> float:
    """PV at the start of year 1 of a per-year flow at ``rate`` (year 1 undiscounted).

    >>> abs(present_value([-100, 110], 0.10)) < 1e-9
    True
    """
    flow = np.asarray(cash_flow, dtype=float)
    return float(flow @ discount_factors(rate, flow.size))


def bond_repayment(principal: float, achievement: float, return_cap: float = 0.10,
                   return_floor: float = -0.20) -> tuple[float, float]:
    """(return R, repayment P * (1 + R)) of an outcome-linked bond, SEK and share over the term.

    ``R = floor + (cap - floor) * clamp(achievement, 0, 1)``: at full achievement the investors
    get the cap, at none they lose down to the floor (Region Stockholm's terms: +10 % / -20 %).

    >>> bond_repayment(1000, 0.5)  # -0.20 + 0.30 * 0.5 = -0.05
    (-0.05, 950.0)
    >>> bond_repayment(1000, 1.7)[0], bond_repayment(1000, -1)[0]
    (0.1, -0.2)
    """
    share = min(max(achievement, 0.0), 1.0)
    rate = return_floor + (return_cap - return_floor) * share
    return round(rate, 12), principal * (1.0 + rate)


def fund_balance(delivery: Any, benefits: Any, repayment_share: float = 0.5) -> tuple[np.ndarray, int | None]:
    """(balance by year, repaid year) of a social investment fund, SEK and year.

    ``delivery``: what the fund pays out each year; ``benefits``: benefits of the budgets that
    repay, each year. Each year the budgets repay ``repayment_share`` of their benefits, at most
    what is still outstanding. The balance is cumulative repayments minus cumulative payouts
    (<= 0; 0 = repaid). The repaid year is the first year from which it stays 0 (None if it
    never does or nothing was paid out).

    >>> balance, year = fund_balance([1000, 0, 0, 0], [0, 800, 800, 800])
    >>> balance.tolist(), year  # 400 back in year 2, 400 in year 3, the last 200 in year 4
    ([-1000.0, -600.0, -200.0, 0.0], 4)
    """
    funded = np.asarray(delivery, dtype=float)
    due = repayment_share * np.asarray(benefits, dtype=float)
    outstanding, balance = 0.0, np.empty_like(funded)
    for year in range(funded.size):
        outstanding += funded[year]
        outstanding -= min(due[year], outstanding)
        balance[year] = -outstanding + 0.0  # + 0.0 turns -0.0 into 0.0
    year = int(_repaid_years(balance[None, :], float(funded.sum()))[0])
    return balance, year or None


def _repaid_years(balance: np.ndarray, funded_total: Any) -> np.ndarray:
    """Per row: first year (1-based) from which the balance stays at 0; 0 where never, or where
    the fund paid nothing out."""
    tolerance = ZERO_TOLERANCE * np.maximum(np.asarray(funded_total, dtype=float), 1.0)
    settled = balance >= -np.reshape(tolerance, (-1, 1))
    holds = np.logical_and.accumulate(settled[:, ::-1], axis=1)[:, ::-1]
    years = np.where(holds.any(axis=1), np.argmax(holds, axis=1) + 1, 0)
    return np.where(np.asarray(funded_total) > 0, years, 0)


def suggested_prices(scenario: Scenario, payer: str | None = None) -> dict[str, float]:
    """A ceiling for the price per measured unit of each outcome: what that unit is worth to the
    outcome payer, ``values[payer] * (1 - optimism_bias)``, SEK per unit.

    ``payer`` overrides the contract's outcome payer (a page shows the suggestion for the payer
    being chosen). Paying more than this means the payer spends more on an outcome than the outcome saves it
    (other budgets may still gain: the comparison shows the whole public side).

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [1], "optimism_bias": 0.2,
    ...     "costs": [{"name": "c", "payer": "region", "per_participant": 1}],
    ...     "outcomes": [{"name": "o", "baseline": 1, "effect": 0.5, "values": {"region": 1000, "stat": 50}}]})
    >>> suggested_prices(s), suggested_prices(s, payer="stat")
    ({'o': 800.0}, {'o': 40.0})
    """
    payer = payer or default_outcome_payer(scenario)
    keep = 1.0 - scenario.optimism_bias
    return {o.name: float(o.values.get(payer, 0.0) * keep) for o in scenario.outcomes}


# --------------------------------------------------------------------------- one contract


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
    model = _build_model(scenario, instrument)
    contract = model.contract
    chosen = contract.instrument
    effects = model.base_effects[None, :]
    ones = np.ones(1)
    block = _block(model, effects, ones, ones)
    flows = _instrument_flows(model, block, chosen)
    traditional = _instrument_flows(model, block, "traditional_procurement")
    factors = model.factors

    party_flows = {name: _read_only(series[0].copy()) for name, series in flows.parties.items()}
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
    elif chosen == "social_investment_fund":
        balance = flows.fund_balance[0]
        year = int(_repaid_years(flows.fund_balance, block.delivery.sum(axis=(1, 2)))[0])
        result |= {"fund_balance_by_year": _read_only(balance.copy()),
                   "fund_repayments_by_year": _read_only(flows.fund_repayments[0].copy()),
                   "fund_repaid_year": year or None}
    elif chosen == "social_bond":
        bond_return = float(flows.bond_return[0])
        result |= {"bond_principal": flows.bond_principal, "bond_achievement": float(flows.bond_achievement[0]),
                   "bond_return": bond_return, "bond_repayment": flows.bond_principal * (1.0 + bond_return),
                   "bond_maturity_year": model.maturity_year}
    elif chosen == "iop":
        result["partner_contribution_total"] = float(-party_flows["partner"].sum())

    paid_outcomes = tuple(o.name for o, ok in zip(scenario.outcomes, block.paid[0], strict=True) if ok)
    contract_result = ContractResult(
        instrument=chosen,
        years=_read_only(np.arange(1, model.horizon + 1)),
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
        public_flows_by_payer={p: _read_only(flows.by_payer[0, j].copy()) for j, p in enumerate(model.payers)},
        traditional_public_npv=float(traditional.parties["public"][0] @ factors),
        outcome_payments_by_year=_read_only(payments.copy()),
        outcome_payments_uncapped_by_year=_read_only(uncapped.copy()),
        outcome_payments_by_outcome=by_outcome,
        outcome_payments_total=float(payments.sum()),
        pv_outcome_payments=float(payments @ factors),
        fixed_payments_by_year=_read_only(flows.fixed[0].copy()),
        payment_window=model.window_years,
        cap=contract.cap,
        cap_reached_year=cap_year,
        paid_outcomes=paid_outcomes,
        suggested_prices=suggested_prices(scenario),
        **result,
    )
    return _with_warnings(contract_result, model)


def _payments_by_outcome(model: _Model, block: _Block, uncapped: np.ndarray,
                         payments: np.ndarray) -> dict[str, np.ndarray]:
    """Each outcome's payments per year; in a capped year every outcome is cut by the same share."""
    rate = np.where(block.paid[0], block.effects[0] * model.prices, 0.0)
    raw = rate[:, None] * model.units * model.window[None, :]
    kept = np.divide(payments, uncapped, out=np.zeros_like(payments), where=uncapped > 0)
    return {o.name: _read_only(raw[i] * kept) for i, o in enumerate(model.scenario.outcomes)}


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


# --------------------------------------------------------------------------- warnings


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


def _with_warnings(result: ContractResult, model: _Model) -> ContractResult:
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
    return _replace(result, warnings=tuple(found))


def _share_after_window(model: _Model, priced: list) -> float:
    """Share of the priced outcomes' measured units (expected case, whole horizon) that arrive
    after the last year of the payment window: effects nobody is paid for. 0 when nothing is priced."""
    rows = [i for i, outcome in enumerate(model.scenario.outcomes) if outcome in priced]
    if not rows:
        return 0.0
    units = model.units[rows] * model.base_effects[rows, None]  # (priced outcomes, H)
    total = float(units.sum())
    return float(units[:, model.window_years[1]:].sum()) / total if total > 0 else 0.0


def _payer_value_total(model: _Model) -> float:
    """What all outcomes together are worth to the outcome payer in the expected case over the
    whole horizon, SEK, undiscounted, after optimism bias: sum over outcomes of
    effect * measured units at effect 1 * value per unit to the payer."""
    units = model.units.sum(axis=1)  # (O,) measured units over the horizon at effect 1
    return float((model.base_effects * units) @ model.values[:, model.outcome_payer])


def _replace(result: ContractResult, **changes: Any) -> ContractResult:
    from dataclasses import replace

    return replace(result, **changes)


def describe_warning(warning: ContractWarning, lang: str = DEFAULT_LANGUAGE) -> str:
    """The warning in plain words in ``lang`` (amounts in kronor, shares in percent).

    >>> describe_warning(ContractWarning("cap_reached", {"cap": 5000000, "year": 3}), "en")
    'The cap of SEK 5,000,000 is reached already in year 3 in the expected case: better outcomes after that earn the provider nothing more.'
    """
    params: dict[str, Any] = {}
    for name, value in warning.params.items():
        if name in ("price", "value", "cap"):
            params[name] = format_sek(value, lang)
        elif name in ("payments", "value_total"):
            params[name] = format_sek(value, lang, unit=_unit(value))
        elif name in ("threshold", "expected", "deadweight", "required"):
            params[name] = format_percent(value, lang)
        elif name == "share":
            params[name] = format_percent(value, lang, 0)
        elif name == "multiple":
            params[name] = format_number(value, lang, 2)
        elif name == "irr":
            params[name] = translate("instruments.irr_undefined", lang) if value is None else format_percent(value, lang)
        else:
            params[name] = value
    return translate(f"instruments.warning.{warning.code}", lang, **params)


# --------------------------------------------------------------------------- comparison


def compare_instruments(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> InstrumentComparison:
    """All eight instruments on the same Monte Carlo draws (:func:`engine.uncertainty.draw_parameters`),
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
    model = _build_model(scenario)
    collected: dict[str, dict[str, list[np.ndarray]]] = {i: {} for i in INSTRUMENTS}
    tolerance_parts: list[np.ndarray] = []
    factors = model.factors
    for start in range(0, draws, _DRAW_BLOCK):
        stop = min(draws, start + _DRAW_BLOCK)
        effects = parameters.effects[start:stop]
        v, c = parameters.value_multiplier[start:stop], parameters.cost_multiplier[start:stop]
        block = _block(model, effects, v, c)
        gross = (block.benefits.sum(axis=1) + block.delivery.sum(axis=1) + block.other.sum(axis=1)) @ factors
        tolerance_parts.append(ZERO_TOLERANCE * gross)
        for instrument in INSTRUMENTS:
            flows = _instrument_flows(model, block, instrument)
            store = collected[instrument]
            for party, series in flows.parties.items():
                store.setdefault(f"party:{party}", []).append(series @ factors)
            store.setdefault("payments", []).append(flows.payments.sum(axis=1))
            if instrument == "social_outcomes_contract":
                store.setdefault("irr", []).append(internal_rate_of_return(flows.parties["investor"]))
            elif instrument == "social_investment_fund":
                store.setdefault("repaid", []).append(
                    _repaid_years(flows.fund_balance, block.delivery.sum(axis=(1, 2))))
            elif instrument == "social_bond":
                store.setdefault("bond_return", []).append(flows.bond_return)
    tolerance = np.concatenate(tolerance_parts)

    outcomes: dict[str, InstrumentOutcome] = {}
    traditional_std: float | None = None
    for instrument in INSTRUMENTS:
        store = {key: np.concatenate(parts) for key, parts in collected[instrument].items()}
        public = store["party:public"]
        summary = _summary(public, tolerance)
        if instrument == "traditional_procurement":
            traditional_std = summary.std
        parties = {key.removeprefix("party:"): _summary(values, tolerance)
                   for key, values in store.items() if key.startswith("party:") and key != "party:public"}
        extra: dict[str, Any] = {}
        if "irr" in store:
            irr = store["irr"]
            defined = ~np.isnan(irr)
            extra["p_investor_irr_defined"] = float(defined.mean())
            extra["investor_irr_p50"] = float(np.median(irr[defined])) if defined.any() else None
        if "repaid" in store:
            extra["p_fund_repaid"] = float((store["repaid"] > 0).mean())
        if "bond_return" in store:
            extra["bond_return_mean"] = float(store["bond_return"].mean())
        outcomes[instrument] = InstrumentOutcome(
            instrument=instrument, public=summary, risk_share=None, parties=parties,
            outcome_payments_mean=float(store["payments"].mean()), public_npv_draws=_read_only(public), **extra)
    for instrument, outcome in outcomes.items():
        share = _risk_share(outcome.public.std, traditional_std)
        outcomes[instrument] = _replace_outcome(outcome, share)
    return InstrumentComparison(draws=draws, seed=seed,
                                chosen=scenario.contract.instrument if scenario.contract else None,
                                instruments=outcomes)


def _risk_share(std: float, traditional_std: float | None) -> float | None:
    """std / traditional std; None when traditional procurement has no spread (nothing to compare).
    Spreads below a billionth of the traditional one count as zero (floating-point noise)."""
    if not traditional_std or traditional_std <= 0:
        return None
    share = std / traditional_std
    return 0.0 if share < 1e-9 else share


def _replace_outcome(outcome: InstrumentOutcome, risk_share: float | None) -> InstrumentOutcome:
    from dataclasses import replace

    return replace(outcome, risk_share=risk_share)


def _summary(values: np.ndarray, tolerance: np.ndarray) -> Summary:
    p10, p50, p90 = np.quantile(values, _QUANTILES)
    std = float(values.std())
    # Floating-point noise on a constant result is not spread.
    if std <= 1e-9 * max(1.0, float(np.abs(values).max(initial=0.0))):
        std = 0.0
    return Summary(mean=float(values.mean()), p10=float(p10), p50=float(p50), p90=float(p90), std=std,
                   p_loss=float(np.mean(values < -tolerance)))


# --------------------------------------------------------------------------- JSON


def _summary_json(summary: Summary) -> dict[str, Any]:
    return {"mean": json_number(summary.mean), "p10": json_number(summary.p10), "p50": json_number(summary.p50),
            "p90": json_number(summary.p90), "std": json_number(summary.std), "p_loss": summary.p_loss}


def comparison_to_json_dict(comparison: InstrumentComparison) -> dict[str, Any]:
    """The comparison as JSON-ready data (the CLI's ``compare`` output). Amounts: SEK, PV at the
    scenario's discount rate; probabilities and ``risk_share`` as shares 0..1.

    ``{"draws", "seed", "chosen", "instruments": {id: {"public_npv_mean", "public_npv_p10",
    "public_npv_p50", "public_npv_p90", "public_npv_std", "p_public_loss", "risk_share",
    "outcome_payments_mean", "parties": {party: {"mean", "p10", "p50", "p90", "std", "p_loss"}},
    ...}}}`` with ``investor_irr_p50`` / ``p_investor_irr_defined``, ``p_fund_repaid`` and
    ``bond_return_mean`` for the instruments they belong to.
    """
    instruments: dict[str, Any] = {}
    for instrument, outcome in comparison.instruments.items():
        entry: dict[str, Any] = {
            "public_npv_mean": json_number(outcome.public.mean),
            "public_npv_p10": json_number(outcome.public.p10),
            "public_npv_p50": json_number(outcome.public.p50),
            "public_npv_p90": json_number(outcome.public.p90),
            "public_npv_std": json_number(outcome.public.std),
            "p_public_loss": outcome.public.p_loss,
            "risk_share": json_number(outcome.risk_share),
            "outcome_payments_mean": json_number(outcome.outcome_payments_mean),
            "parties": {party: _summary_json(s) for party, s in outcome.parties.items()},
        }
        if instrument == "social_outcomes_contract":
            entry["investor_irr_p50"] = json_number(outcome.investor_irr_p50)
            entry["p_investor_irr_defined"] = outcome.p_investor_irr_defined
        elif instrument == "social_investment_fund":
            entry["p_fund_repaid"] = outcome.p_fund_repaid
        elif instrument == "social_bond":
            entry["bond_return_mean"] = json_number(outcome.bond_return_mean)
        instruments[instrument] = entry
    return {"draws": comparison.draws, "seed": comparison.seed, "chosen": comparison.chosen,
            "instruments": instruments}


def contract_to_json_dict(result: ContractResult) -> dict[str, Any]:
    """The contract's money as JSON-ready data (the ``contract`` object of ``evaluate``).

    Always: ``instrument``, ``outcome_payer``, ``outcome_payments_total`` (SEK, undiscounted),
    ``outcome_payments_by_year``, ``public_npv`` (PV, SEK), ``public_npv_by_payer``, ``parties``
    ({party: {"pv", "total", "by_year"}}), ``warnings`` ([{"code", "params"}]) and the terms
    used. ``investor_irr`` (null when undefined) and ``investor_multiple`` for a social outcomes
    contract; ``fund_repaid_year`` and ``fund_balance_by_year`` for a fund; ``bond_*`` for a bond.
    """
    r = result
    data: dict[str, Any] = {
        "instrument": r.instrument,
        "outcome_payer": r.outcome_payer,
        "payment_window": list(r.payment_window),
        "cap": json_number(r.cap),
        "cap_reached_year": r.cap_reached_year,
        "paid_outcomes": list(r.paid_outcomes),
        "suggested_prices": {k: json_number(v) for k, v in r.suggested_prices.items()},
        "outcome_payments_total": json_number(r.outcome_payments_total),
        "pv_outcome_payments": json_number(r.pv_outcome_payments),
        "outcome_payments_by_year": json_series(r.outcome_payments_by_year),
        "outcome_payments_uncapped_by_year": json_series(r.outcome_payments_uncapped_by_year),
        "outcome_payments_by_outcome": {k: json_series(v) for k, v in r.outcome_payments_by_outcome.items()},
        "fixed_payments_by_year": json_series(r.fixed_payments_by_year),
        "public_npv": json_number(r.public_npv),
        "traditional_public_npv": json_number(r.traditional_public_npv),
        "public_npv_by_payer": {k: json_number(v) for k, v in r.public_npv_by_payer.items()},
        "parties": {
            name: {"pv": json_number(r.party_pv[name]), "total": json_number(r.party_totals[name]),
                   "by_year": json_series(series)}
            for name, series in r.party_flows.items()
        },
        "warnings": [{"code": w.code, "params": {k: json_number(v) if isinstance(v, float) else v
                                                 for k, v in w.params.items()}} for w in r.warnings],
    }
    if r.instrument == "social_outcomes_contract":
        data |= {
            "investor_irr": json_number(r.investor_irr),
            "investor_multiple": json_number(r.investor_multiple),
            "investor_cash_flow_by_year": json_series(r.investor_cash_flow_by_year),
            "investor_required_return": r.investor_required_return,
            "investor_npv_at_required": json_number(r.investor_npv_at_required),
            "investor_reaches_required": r.investor_reaches_required,
        }
    elif r.instrument == "social_investment_fund":
        data |= {"fund_repaid_year": r.fund_repaid_year,
                 "fund_balance_by_year": json_series(r.fund_balance_by_year),
                 "fund_repayments_by_year": json_series(r.fund_repayments_by_year)}
    elif r.instrument == "social_bond":
        data |= {"bond_principal": json_number(r.bond_principal), "bond_achievement": json_number(r.bond_achievement),
                 "bond_return": json_number(r.bond_return), "bond_repayment": json_number(r.bond_repayment),
                 "bond_maturity_year": r.bond_maturity_year}
    elif r.instrument == "iop":
        data["partner_contribution_total"] = json_number(r.partner_contribution_total)
    return data


# --------------------------------------------------------------------------- plain words


def risk_reading(comparison: InstrumentComparison, instrument: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """One sentence on how much of the public sector's risk remains under ``instrument``: the
    spread (std) of the public NPV as a share of its spread under traditional procurement.

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [10],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "effect_range": [0.2, 0.8],
    ...                   "values": {"kommun": 200}}],
    ...     "contract": {"instrument": "social_outcomes_contract", "prices": {"o": 100}}})
    >>> risk_reading(compare_instruments(s, draws=500), "social_outcomes_contract", "sv")
    'Med socialt utfallskontrakt (SIB) bär offentlig sektor 50\xa0% av risken jämfört med traditionell upphandling.'
    """
    outcome = comparison.instruments[instrument]
    name = translate(f"instruments.name.{instrument}", lang)
    name = name[0].lower() + name[1:]  # mid-sentence; the acronyms (SIB, IOP) keep their capitals
    if outcome.risk_share is None:
        return translate("instruments.reading.no_spread", lang, instrument=name)
    if instrument == "traditional_procurement":
        return translate("instruments.reading.traditional", lang)
    return translate("instruments.reading.risk_share", lang, instrument=name,
                     share=format_percent(outcome.risk_share, lang, 0))


#: Column ids of :func:`comparison_rows`, in display order. A page labels them with
#: ``instruments.column.<id>`` and explains them with ``instruments.column_help.<id>``.
TABLE_COLUMNS: tuple[str, ...] = ("instrument", "mean", "p10", "p90", "std", "p_loss", "risk_share")

#: Column ids of :func:`party_rows`, in display order.
PARTY_COLUMNS: tuple[str, ...] = ("instrument", "party", "mean", "p_loss")


def table_unit(comparison: InstrumentComparison) -> str:
    """``mnkr`` when any amount in the comparison tables reaches a million kronor, else ``kr``:
    one unit for the whole table, so the columns stay short and comparable.

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [10],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "values": {"kommun": 200}}]})
    >>> table_unit(compare_instruments(s, draws=10))  # 10 000 kr of costs
    'kr'
    """
    amounts = [0.0]
    for outcome in comparison.instruments.values():
        for summary in (outcome.public, *outcome.parties.values()):
            amounts += [summary.mean, summary.p10, summary.p90, summary.std]
    return "mnkr" if max(abs(a) for a in amounts) >= 1_000_000 else "kr"


def _table_amount(amount: float, unit: str, lang: str, signed: bool = True) -> str:
    """A table cell: the number alone (the unit is in the column label), millions with one
    decimal, an explicit + for gains when ``signed``."""
    text = format_number(amount / 1e6, lang, 1) if unit == "mnkr" else format_number(amount, lang, 0)
    gain = signed and text.lstrip("0,.") != "" and amount > 0
    return ("+" + text) if gain else text


def comparison_rows(comparison: InstrumentComparison, lang: str = DEFAULT_LANGUAGE) -> list[dict[str, str]]:
    """The comparison as table rows of formatted text in ``lang``, one row per instrument in
    :data:`engine.scenario.INSTRUMENTS` order, keyed by :data:`TABLE_COLUMNS`: the instrument's
    short name (with ✓ for the chosen one), the public sector's NPV mean, P10, P90 and standard
    deviation as numbers in :func:`table_unit` (+ = the public side gains), the probability of a
    loss and the risk share (– when there is nothing to compare with).

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [1000],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "values": {"kommun": 300}}]})
    >>> comparison_rows(compare_instruments(s, draws=10), "sv")[0]  # 1 500 000 - 1 000 000 kr
    {'instrument': 'Traditionell upphandling', 'mean': '+0,5', 'p10': '+0,5', 'p90': '+0,5', 'std': '0,0', 'p_loss': '0\xa0%', 'risk_share': '–'}
    """
    unit = table_unit(comparison)
    rows = []
    for instrument, outcome in comparison.instruments.items():
        public = outcome.public
        rows.append({
            "instrument": translate(f"instruments.short.{instrument}", lang)
            + (" ✓" if instrument == comparison.chosen else ""),
            "mean": _table_amount(public.mean, unit, lang),
            "p10": _table_amount(public.p10, unit, lang),
            "p90": _table_amount(public.p90, unit, lang),
            "std": _table_amount(public.std, unit, lang, signed=False),
            "p_loss": format_probability(public.p_loss, lang),
            "risk_share": "–" if outcome.risk_share is None else format_percent(outcome.risk_share, lang, 0),
        })
    return rows


def party_rows(comparison: InstrumentComparison, lang: str = DEFAULT_LANGUAGE) -> list[dict[str, str]]:
    """Every party other than the public sector as a whole, one row per instrument and party,
    keyed by :data:`PARTY_COLUMNS`: the party's expected result (PV mean in :func:`table_unit`,
    + = the party gains) and its probability of a loss."""
    unit = table_unit(comparison)
    return [
        {"instrument": translate(f"instruments.short.{instrument}", lang),
         "party": translate(f"instruments.party.{party}", lang),
         "mean": _table_amount(summary.mean, unit, lang),
         "p_loss": format_probability(summary.p_loss, lang)}
        for instrument, outcome in comparison.instruments.items()
        for party, summary in outcome.parties.items()
    ]


#: Parties that are public money themselves: under these instruments the public sector's result
#: already includes them, so the reading says how the public result is split, not who bears "the rest".
_PUBLIC_PARTIES = frozenset({"ordering_budget", "providing_unit", "fund"})


def parties_reading(comparison: InstrumentComparison, instrument: str, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """One sentence on who carries what the public sector does not under ``instrument``: each
    other party's expected result (PV mean, + = gains) and probability of a loss. For the fund
    and the internal outcomes contract those parties are public money, so the sentence says how
    the public result is split instead; when the public sector bears more risk than under
    traditional procurement, it says who else has money at stake. None when no other party has anything at stake (the
    provider under traditional or reserved procurement is paid its costs as they arise).

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [10],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "values": {"kommun": 200}}],
    ...     "contract": {"instrument": "social_outcomes_contract", "prices": {"o": 100}}})
    >>> c = compare_instruments(s, draws=10)
    >>> parties_reading(c, "social_outcomes_contract", "sv")  # 50 units * 100 kr - 10 000 kr
    'Resten bär investeraren (förväntat −5\xa0000 kr, 100\xa0% risk för förlust).'
    >>> parties_reading(c, "traditional_procurement", "sv") is None
    True
    """
    outcome = comparison.instruments[instrument]
    at_stake = {party: summary for party, summary in outcome.parties.items()
                if summary.std > 0 or abs(summary.mean) >= 0.5}
    if not at_stake:
        return None
    within_public = set(at_stake) <= _PUBLIC_PARTIES
    item_key = "instruments.reading.party_share" if within_public else "instruments.reading.party_rest"
    items = [translate(item_key, lang, party=translate(f"instruments.party_subject.{party}", lang),
                       mean=_signed(summary.mean, lang), p_loss=format_probability(summary.p_loss, lang))
             for party, summary in at_stake.items()]
    joined = items[0] if len(items) == 1 else (
        ", ".join(items[:-1]) + translate("instruments.reading.and", lang) + items[-1])
    if within_public:
        sentence = "instruments.reading.within_public"
    elif outcome.risk_share is not None and outcome.risk_share > 1.0 + 1e-9:
        sentence = "instruments.reading.also"  # the public bears more than all of it: there is no "rest"
    else:
        sentence = "instruments.reading.rest"
    return translate(sentence, lang, parties=joined)


def _unit(amount: float) -> str:
    return "mnkr" if abs(amount) >= 1_000_000 else "kr"


def _signed(amount: float, lang: str) -> str:
    """An amount with an explicit + for gains (a minus sign comes from the formatter)."""
    text = format_sek(amount, lang, unit=_unit(amount))
    return ("+" + text) if amount > 0 and not text.startswith("0") else text
