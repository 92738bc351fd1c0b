"""The payment mechanics: what each instrument means per year for every party, for a block of draws.

Everything here works on numpy arrays over draws (N), budget holders (P), outcomes (O) and years (H);
:mod:`engine.instruments.contract` uses it for the expected case (one draw) and
:mod:`engine.instruments.comparison` for the Monte Carlo.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.instruments.results import OUTCOME_INSTRUMENTS
from engine.savings.model import cost_streams, discount_factors, measured_units_per_effect, value_matrix
from engine.scenario import INSTRUMENTS, Contract, Scenario

#: The party that receives fixed-share and outcome payments and bears delivery costs. Under an
#: internal outcomes contract that is an external provider unless the contract says the provider is
#: the public body's own unit (``provider_in_house``), see :func:`_receiver`.
_RECEIVER: dict[str, str] = {
    "outcome_based_procurement": "provider",
    "internal_outcomes_contract": "provider",
    "social_outcomes_contract": "investor",
}


def _receiver(instrument: str, contract: Contract) -> str:
    if instrument == "internal_outcomes_contract" and contract.provider_in_house is True:
        return "providing_unit"
    return _RECEIVER[instrument]


@dataclass(frozen=True, eq=False)
class Model:
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
    transaction: dict[str, np.ndarray]  # instrument -> (H,) transaction costs the outcome payer pays

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
        return Contract.model_validate({"instrument": instrument or "traditional_procurement"})
    if instrument is None:
        return scenario.contract
    return scenario.contract.model_copy(update={"instrument": instrument})


def build_model(scenario: Scenario, instrument: str | None = None) -> Model:
    contract = _contract_of(scenario, instrument)
    payer_name = default_outcome_payer(scenario)
    payers = scenario.payers if payer_name in scenario.payers else (*scenario.payers, payer_name)
    horizon = scenario.horizon_years
    delivery, other = cost_streams(scenario, payers)
    first, last = contract.payment_window or (1, min(scenario.contract_years, horizon))
    window = np.zeros(horizon)
    window[first - 1 : min(last, horizon)] = 1.0
    maturity = contract.maturity_year or min(scenario.contract_years + 1, horizon)
    return Model(
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
        transaction={instrument: transaction_flows(contract, instrument, horizon, scenario.contract_years)
                     for instrument in INSTRUMENTS},
    )


def transaction_flows(contract: Contract, instrument: str, horizon: int, contract_years: int) -> np.ndarray:
    """(H,) the transaction costs of ``instrument`` by year: set-up in year 1, the running cost in
    each contract year.

    >>> c = Contract.model_validate({"instrument": "social_bond",
    ...     "transaction_costs": {"social_bond": {"setup": 100, "per_year": 10}}})
    >>> transaction_flows(c, "social_bond", 4, 2).tolist(), transaction_flows(c, "iop", 4, 2).tolist()
    ([110.0, 10.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0])
    """
    flows = np.zeros(horizon)
    costs = next((c for named, c in (contract.transaction_costs or {}).items() if named == instrument), None)
    if costs is not None:
        flows[0] += costs.setup
        flows[: min(contract_years, horizon)] += costs.per_year
    return flows


@dataclass(frozen=True, eq=False)
class OutcomeTerms:
    """What each draw's effects mean for the contract, for N draws: ``uncapped`` and ``payments``
    (N, H) outcome payments before and after the cap, ``paid`` (N, O) which outcomes pass the
    threshold, ``achievement`` (N,) the bond's achievement (see :func:`_bond`).

    These are small (draws x years or outcomes), unlike a :class:`Block`'s arrays by budget holder
    and year, so the comparison makes them for many draws at once and its blocks take slices: the
    matrix products over outcomes then run on the same shapes whatever the block size, and give
    the same numbers to the last bit.
    """

    uncapped: np.ndarray
    payments: np.ndarray
    paid: np.ndarray
    achievement: np.ndarray

    def rows(self, start: int, stop: int) -> OutcomeTerms:
        """The terms of draws ``start:stop`` (views, nothing copied)."""
        return OutcomeTerms(self.uncapped[start:stop], self.payments[start:stop], self.paid[start:stop],
                            self.achievement[start:stop])


def outcome_terms(model: Model, effects: np.ndarray) -> OutcomeTerms:
    """The :class:`OutcomeTerms` of draws with ``effects`` (N, O)."""
    uncapped, payments, paid = _payments(model, effects)
    return OutcomeTerms(uncapped, payments, paid, _achievement(model, effects))


@dataclass(frozen=True, eq=False)
class Block:
    """One block of N draws: benefits and costs by payer and year, each (N, P, H)."""

    effects: np.ndarray  # (N, O)
    benefits: np.ndarray
    delivery: np.ndarray
    other: np.ndarray
    uncapped: np.ndarray  # (N, H) outcome payments before the cap
    payments: np.ndarray  # (N, H) after the cap
    paid: np.ndarray  # (N, O) bool: outcome passes the threshold
    achievement: np.ndarray  # (N,) the bond's achievement


def draw_block(model: Model, effects: np.ndarray, value_multiplier: np.ndarray, cost_multiplier: np.ndarray,
               terms: OutcomeTerms | None = None) -> Block:
    """Benefits and costs by payer and year for N draws. ``terms`` are the draws' outcome terms when
    the caller made them for a larger set of draws (:class:`OutcomeTerms`); else they are made here."""
    measured = effects[:, :, None] * model.units[None, :, :]
    benefits = np.einsum("noh,op->nph", measured, model.values) * value_multiplier[:, None, None]
    delivery = model.delivery[None] * cost_multiplier[:, None, None]
    other = model.other[None] * cost_multiplier[:, None, None]
    terms = outcome_terms(model, effects) if terms is None else terms
    return Block(effects, benefits, delivery, other, terms.uncapped, terms.payments, terms.paid, terms.achievement)


def _payments(model: Model, effects: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
class FundFlows:
    """The social investment fund's own flows for a block of draws, each (N, H), SEK."""

    repayments: np.ndarray
    balance: np.ndarray  # cumulative repayments minus cumulative payouts, <= 0


@dataclass(frozen=True, eq=False)
class BondFlows:
    """The outcome-linked bond's terms for a block of draws (see :func:`_bond`)."""

    principal: float  # SEK
    achievement: np.ndarray  # (N,)
    bond_return: np.ndarray  # (N,) share over the whole term


@dataclass(frozen=True, eq=False)
class Flows:
    """Every party's flows under one instrument for a block of draws; ``fund`` and ``bond`` only
    for those instruments."""

    by_payer: np.ndarray  # (N, P, H) each public budget's net flow
    parties: dict[str, np.ndarray]  # (N, H)
    fixed: np.ndarray  # (N, H)
    payments: np.ndarray  # (N, H) outcome payments actually made under this instrument
    fund: FundFlows | None = None
    bond: BondFlows | None = None


def instrument_flows(model: Model, block: Block, instrument: str) -> Flows:
    """Per-year flows of every party under ``instrument`` for a block of draws."""
    contract = model.contract
    delivery = block.delivery
    total_delivery = delivery.sum(axis=1)
    zeros = np.zeros_like(total_delivery)
    parties: dict[str, np.ndarray] = {}
    fixed, payments = zeros, zeros
    fund: FundFlows | None = None
    bond: BondFlows | None = None
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
        parties[_receiver(instrument, contract)] = fixed + payments - total_delivery
    elif instrument == "social_investment_fund":
        public_pays, repayments, balance = _fund(model, block)
        parties["fund"] = repayments - total_delivery
        fund = FundFlows(repayments=repayments, balance=balance)
    elif instrument == "social_bond":
        principal, achievement, bond_return = _bond(model, block)
        holders = np.zeros_like(total_delivery)
        holders[:, 0] -= principal
        holders[:, model.maturity_year - 1] += principal * (1.0 + bond_return)
        public_pays = delivery.copy()
        public_pays[:, op, :] += holders  # the issuer receives the principal and repays it
        parties["bondholders"] = holders
        bond = BondFlows(principal=principal, achievement=achievement, bond_return=bond_return)
    elif instrument == "iop":
        public_pays = contract.grant_share * delivery
        parties["partner"] = public_pays.sum(axis=1) - total_delivery
    else:  # pragma: no cover - _contract_of refuses unknown ids
        raise ValueError(instrument)

    transaction = model.transaction[instrument]
    if transaction.any():
        public_pays = public_pays.copy()
        public_pays[:, op, :] += transaction
    by_payer = block.benefits - block.other - public_pays
    public = by_payer.sum(axis=1)
    if "providing_unit" in parties:
        # The providing unit is the public body's own: its result is part of the public result.
        public = public + parties["providing_unit"]
        parties = {"ordering_budget": by_payer[:, op, :], **parties}
    elif instrument == "social_investment_fund":
        public = public + parties["fund"]
    return Flows(by_payer=by_payer, parties={"public": public, **parties}, fixed=fixed, payments=payments,
                 fund=fund, bond=bond)


def _fund(model: Model, block: Block) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def _bond(model: Model, block: Block) -> tuple[float, np.ndarray, np.ndarray]:
    """(principal P, achievement (N,), return R (N,)) of the outcome-linked bond.

    P = total nominal delivery costs at base (a bond is sold before anyone knows what the service
    will cost, so cost overruns stay with the issuer). Achievement = benefits to all payers within
    the payment window, undiscounted, / the same at the scenario's base effects. The value
    multiplier is left out of both, so achievement measures outcomes, not their valuation; with
    nothing expected in the window achievement counts as 1 (nothing promised, nothing missed).
    """
    contract = model.contract
    principal = float(model.delivery.sum())
    achievement = block.achievement
    bond_return = contract.return_floor + (contract.return_cap - contract.return_floor) * np.clip(achievement, 0.0, 1.0)
    return principal, achievement, bond_return


def _achievement(model: Model, effects: np.ndarray) -> np.ndarray:
    """The bond's achievement (N,) for draws with ``effects`` (N, O): see :func:`_bond`."""
    weights = (model.units * model.window[None, :]).sum(axis=1) * model.values.sum(axis=1)
    expected = float(model.base_effects @ weights)
    # Below a billionth of a krona nothing is expected (and dividing by it would overflow).
    return (effects @ weights) / expected if expected > 1e-9 else np.ones(effects.shape[0])


def read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array

