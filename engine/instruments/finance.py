"""Money arithmetic on cash flows: internal rate of return, money multiple, present value, the
bond's repayment, the fund's balance, and the price ceiling per outcome."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.instruments.model import default_outcome_payer
from engine.savings.model import ZERO_TOLERANCE, discount_factors
from engine.scenario import Scenario

#: IRR search interval (share per year); outside it the IRR is reported as undefined.
IRR_LOW, IRR_HIGH = -0.99, 10.0
_IRR_STEPS = 64


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


def total_losses(cash_flows: Any) -> np.ndarray:
    """Which rows of ``cash_flows`` are a total loss: money went in and nothing came back.

    >>> total_losses([[-100, 0], [-100, 30], [0, 0]]).tolist()
    [True, False, False]
    """
    flows = np.atleast_2d(np.asarray(cash_flows, dtype=float))
    return (flows.min(axis=1) < 0) & (flows.max(axis=1) <= 0)


def irr_counting_total_losses(cash_flows: Any) -> np.ndarray:
    """:func:`internal_rate_of_return` for an investor's median over draws: a total loss counts as
    −100 % a year (every krona lost) instead of being left out as undefined, and money in first
    and back later with an IRR beyond the search interval counts as the interval's end (−99 % or
    +1 000 %: at least that bad or good). NaN remains where no money went in, or where the flows
    change sign more than once and have no IRR in the interval.

    >>> irr_counting_total_losses([[-100, 110], [-100, 0], [-100, 0.5], [0, 0]]).round(6).tolist()
    [0.1, -1.0, -0.99, nan]
    """
    flows = np.atleast_2d(np.asarray(cash_flows, dtype=float))
    rate = internal_rate_of_return(flows)
    years = np.arange(flows.shape[1], dtype=float)
    money_in_first = np.argmax(flows < 0, axis=1) < np.argmax(flows > 0, axis=1)
    conventional = money_in_first & (flows.min(axis=1) < 0) & (flows.max(axis=1) > 0)
    worse = conventional & ((flows * (1.0 + IRR_LOW) ** -years).sum(axis=1) < 0)
    better = conventional & ((flows * (1.0 + IRR_HIGH) ** -years).sum(axis=1) > 0)
    rate = np.where(np.isnan(rate) & worse, IRR_LOW, rate)
    rate = np.where(np.isnan(rate) & better, IRR_HIGH, rate)
    return np.where(total_losses(flows), -1.0, rate)


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
    year = int(repaid_years(balance[None, :], float(funded.sum()))[0])
    return balance, year or None


def repaid_years(balance: np.ndarray, funded_total: Any) -> np.ndarray:
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

