"""The result types of the instrument calculations: one contract in the expected case
(:class:`ContractResult`) and all eight instruments over Monte Carlo draws (:class:`InstrumentComparison`).

Units and signs are those of :mod:`engine.instruments.contract`: SEK in the scenario's price year,
per year unless the name says otherwise, ``+`` = the party receives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Instruments where the public pays a fixed share of delivery costs plus outcome payments.
OUTCOME_INSTRUMENTS: tuple[str, ...] = (
    "outcome_based_procurement", "internal_outcomes_contract", "social_outcomes_contract",
)

#: Every party name that can appear in results, in display order.
PARTIES: tuple[str, ...] = (
    "public", "ordering_budget", "providing_unit", "provider", "investor", "fund", "bondholders", "partner",
)


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
    undiscounted outcome payments, SEK. ``investor_irr_p50`` / ``p_investor_irr_defined`` /
    ``p_investor_total_loss`` (social outcomes contract: the median IRR over every draw in which
    the investor puts money in, a total loss counted as −100 %; the share of such draws; the share
    of draws in which the investor gets nothing back), ``p_fund_repaid`` (fund: share of draws repaid within the horizon),
    ``bond_return_mean`` (bond): None for other instruments. ``public_npv_draws``: every draw.
    ``public_npv_expected``: the public NPV in the expected case (every input at its stated value,
    no draw), the figure the savings headline gives for traditional procurement.
    """

    instrument: str
    public: Summary
    risk_share: float | None
    parties: dict[str, Summary]
    outcome_payments_mean: float
    public_npv_draws: np.ndarray
    public_npv_expected: float = 0.0
    investor_irr_p50: float | None = None
    p_investor_irr_defined: float | None = None
    p_investor_total_loss: float | None = None
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
