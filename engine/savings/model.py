"""The savings model: who gains and who pays, year by year, for one scenario.

This module turns a validated :class:`~engine.scenario.Scenario` into the figures of DESIGN.md
("The scenario (file format v1)", Semantics and Results). It is pure: no I/O, no Streamlit, no
randomness. Conventions, the same everywhere in the engine:

* Years are numbered 1..H (H = ``horizon_years``); year 1 is the first contract year and
  years 1..C (C = ``contract_years``) are "within the contract".
* Amounts are real SEK in the scenario's ``price_year`` prices, per year unless the name says
  otherwise (``pv_`` = present value at the start of year 1, ``cumulative_`` = running sum).
* Discount factor ``DF(t) = (1 + discount_rate) ** -(t - 1)``: year 1 is not discounted.
* Sign: benefits (avoided costs) and costs are both non-negative amounts; net = benefits - costs,
  so a positive net or NPV means the public side as a whole gains.
* Shares are fractions 0..1, never percent.

A worked example: 10 participants start in year 1 at 1 000 kr each. Each would otherwise have
10 sick days a year; the service removes half of them in the intake year and a quarter the year
after. A sick day is worth 200 kr to the kommun. At 10 % discounting the second year counts 1/1.1:

>>> from engine.scenario import parse_scenario
>>> scenario = parse_scenario({
...     "format": "utfallskompassen.scenario/1", "name": "Exempel", "price_year": 2025,
...     "discount_rate": 0.10, "horizon_years": 2, "contract_years": 1, "intake": [10],
...     "costs": [{"name": "Insats", "payer": "kommun", "per_participant": 1000}],
...     "outcomes": [{"name": "Sjukdagar", "baseline": 10, "effect": 0.5,
...                   "effect_profile": [1.0, 0.5], "values": {"kommun": 200}}],
... })
>>> projection = project_savings(scenario)
>>> projection.benefits.tolist(), projection.costs.tolist()
([10000.0, 5000.0], [10000.0, 0.0])
>>> round(projection.npv, 2)  # -> 0 + 5 000 / 1.1
4545.45
>>> projection.break_even_year, round(projection.benefit_share_after_contract, 4)
(1, 0.3125)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.scenario import Scenario

#: Amounts smaller than this share of the scenario's gross discounted flows (PV of benefits plus
#: PV of costs) count as zero when deciding break-even and "NPV > 0". Without it, a scenario
#: that exactly breaks even could flip either way on floating-point rounding, and the Monte Carlo
#: (which sums in another order) could disagree with the deterministic result. A billionth of the
#: flows is far below one krona for any realistic scenario.
ZERO_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class SavingsProjection:
    """The deterministic result of one scenario (see the module docstring for conventions).

    Arrays are read-only numpy arrays. Per-year arrays have length H and index ``t - 1`` holds
    year ``t``; arrays "by payer" have one row per entry of ``payers`` (in that order), arrays
    "by outcome" one row per entry of ``outcomes``. Equality is identity (``eq=False``), because
    comparing arrays element-wise has no single truth value.

    Fields:

    * ``years``: 1..H. ``contract_years``: C. ``discount_rate``: real rate per year, share.
      ``price_year``: the year whose prices all amounts are in.
    * ``payers``: every budget holder named in costs or values, in order of first mention
      (costs first). ``outcomes``: outcome names, in scenario order.
    * ``gross_units`` G(t) and ``measured_units`` M(t) = G(t) * (1 - deadweight), by outcome:
      units avoided per year (days, months, events ... in each outcome's own unit).
    * ``benefits_by_outcome``: SEK per year, all payers together, after optimism bias.
    * ``benefits_by_payer`` B_p(t); ``delivery_costs_by_payer`` and ``other_costs_by_payer``
      (``kind`` delivery / other); ``costs_by_payer`` K_p(t) = their sum. SEK per year.
    * ``benefits``, ``costs``, ``net_by_year`` N(t): totals over payers, SEK per year.
    * ``discount_factors`` DF(t); ``discounted_net`` DF(t) * N(t);
      ``cumulative_discounted_net`` CDN(t) = sum of DF(s) * N(s) for s <= t.
    * ``pv_benefits``, ``pv_costs``, ``npv`` = pv_benefits - pv_costs, ``npv_within_contract``
      (years 1..C only): SEK, present value at the start of year 1.
    * ``benefit_cost_ratio`` = pv_benefits / pv_costs; ``None`` when there are no costs.
    * ``break_even_year``: the first year t with CDN(s) >= 0 for every s >= t, so a later dip
      below zero moves it; ``None`` when CDN(H) < 0.
    * ``benefit_share_after_contract``: share 0..1 of pv_benefits that falls in years > C;
      ``None`` when there are no benefits.
    * ``pv_benefits_by_payer``, ``pv_costs_by_payer``, ``npv_by_payer``: payer -> SEK (PV).
    """

    years: np.ndarray
    contract_years: int
    discount_rate: float
    price_year: int
    payers: tuple[str, ...]
    outcomes: tuple[str, ...]
    gross_units: np.ndarray
    measured_units: np.ndarray
    benefits_by_outcome: np.ndarray
    benefits_by_payer: np.ndarray
    delivery_costs_by_payer: np.ndarray
    other_costs_by_payer: np.ndarray
    costs_by_payer: np.ndarray
    benefits: np.ndarray
    costs: np.ndarray
    net_by_year: np.ndarray
    discount_factors: np.ndarray
    discounted_net: np.ndarray
    cumulative_discounted_net: np.ndarray
    pv_benefits: float
    pv_costs: float
    npv: float
    npv_within_contract: float
    benefit_cost_ratio: float | None
    break_even_year: int | None
    benefit_share_after_contract: float | None
    pv_benefits_by_payer: dict[str, float]
    pv_costs_by_payer: dict[str, float]
    npv_by_payer: dict[str, float]

    @property
    def horizon_years(self) -> int:
        """H, the number of years projected."""
        return len(self.years)

    @property
    def delivery_costs(self) -> np.ndarray:
        """delivery(t): the cost of the service itself, all payers together, SEK per year.
        Instruments shift who finances this part; ``other`` costs always stay on their payer."""
        return self.delivery_costs_by_payer.sum(axis=0)


def discount_factors(discount_rate: float, horizon_years: int) -> np.ndarray:
    """DF(t) = (1 + r) ** -(t - 1) for t = 1..H: year 1 is not discounted.

    >>> discount_factors(0.035, 3).round(4).tolist()
    [1.0, 0.9662, 0.9335]
    """
    exponents = np.arange(horizon_years, dtype=float)
    return (1.0 + discount_rate) ** -exponents


def _gross_units_per_effect(scenario: Scenario) -> np.ndarray:
    """G(t) of every outcome at ``effect = 1``, shape (outcomes, H).

    ``G(t) = sum_k intake[k-1] * baseline * effect * effect_profile[t-k]`` is a convolution of the
    intake with the profile (terms past the end of the profile or the horizon drop out).
    """
    horizon = scenario.horizon_years
    intake = np.asarray(scenario.intake, dtype=float)
    units = np.zeros((len(scenario.outcomes), horizon))
    for row, outcome in enumerate(scenario.outcomes):
        exposure = np.convolve(intake, np.asarray(outcome.effect_profile, dtype=float))[:horizon]
        units[row, : exposure.size] = exposure * outcome.baseline
    return units


def measured_units_per_effect(scenario: Scenario) -> np.ndarray:
    """M(t) of every outcome at ``effect = 1``, shape (outcomes, H): units avoided per year.

    ``M(t) = G(t) * (1 - deadweight)`` with G the convolution of intake and effect profile,
    scaled by the baseline. M is proportional to the effect, so callers that vary the effect
    (Monte Carlo, outcome payments under a contract) scale this once-computed stream instead of
    projecting the scenario again.

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 3, "contract_years": 2, "intake": [10, 20],
    ...     "outcomes": [{"name": "o", "baseline": 2, "effect": 0.3, "effect_profile": [1, 0.5],
    ...                   "deadweight": 0.5}]})
    >>> measured_units_per_effect(s).tolist()  # year 2: (10 * 0.5 + 20) * 2 * (1 - 0.5)
    [[10.0, 25.0, 10.0]]
    """
    keep = np.array([1.0 - outcome.deadweight for outcome in scenario.outcomes])
    return _gross_units_per_effect(scenario) * keep[:, None]


def value_matrix(scenario: Scenario, payers: tuple[str, ...], multiplier: float = 1.0) -> np.ndarray:
    """SEK per measured unit, shape (outcomes, payers), after optimism bias.

    ``multiplier`` scales every value as if it had been entered scaled (the tornado's value row);
    1.0 leaves every value as it is, bit for bit.
    """
    column = {payer: j for j, payer in enumerate(payers)}
    values = np.zeros((len(scenario.outcomes), len(payers)))
    for row, outcome in enumerate(scenario.outcomes):
        for payer, value in outcome.values.items():
            values[row, column[payer]] = value * multiplier
    return values * (1.0 - scenario.optimism_bias)


def cost_streams(scenario: Scenario, payers: tuple[str, ...], multiplier: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(delivery, other) costs, each shape (payers, H), SEK per year.

    ``multiplier`` scales every cost item's amount before it is spread over the years, exactly as
    if the scenario had been entered with the scaled amounts (the tornado's cost row uses it
    instead of copying the scenario); 1.0 leaves every amount as it is, bit for bit.
    """
    horizon = scenario.horizon_years
    row_of = {payer: i for i, payer in enumerate(payers)}
    delivery = np.zeros((len(payers), horizon))
    other = np.zeros((len(payers), horizon))
    intake = np.zeros(horizon)
    # Validation guarantees the intake fits the horizon; the slice keeps us safe if it ever did not.
    intake[: len(scenario.intake)] = scenario.intake[:horizon]
    for cost in scenario.costs:
        target = (delivery if cost.kind == "delivery" else other)[row_of[cost.payer]]
        if cost.per_participant is not None:
            target += cost.per_participant * multiplier * intake
        elif cost.per_year is not None:
            first = 1 if cost.first_year is None else cost.first_year
            last = scenario.contract_years if cost.last_year is None else cost.last_year
            target[first - 1 : min(last, horizon)] += cost.per_year * multiplier
    return delivery, other


def break_even_year(cumulative_discounted_net: np.ndarray, tolerance: float = 0.0) -> int | None:
    """The first year t (1-based) with CDN(s) >= 0 for every s >= t; ``None`` if CDN(H) < 0.

    Values down to ``-tolerance`` count as zero (see :data:`ZERO_TOLERANCE`).

    >>> break_even_year(np.array([-5.0, 2.0, -1.0, 3.0]))  # the dip in year 3 moves it to 4
    4
    >>> break_even_year(np.array([-5.0, -1.0])) is None
    True
    """
    non_negative = np.asarray(cumulative_discounted_net) >= -tolerance
    # holds_from_here[i] is True when every year from i to the end is non-negative.
    holds_from_here = np.logical_and.accumulate(non_negative[::-1])[::-1]
    if not holds_from_here.any():
        return None
    return int(np.argmax(holds_from_here)) + 1


@dataclass(frozen=True, eq=False)
class ModelParts:
    """The factors :func:`project_savings` multiplies together, each computed once per scenario.

    A one-at-a-time sensitivity changes one of them (one outcome's effect or deadweight, the value
    matrix, the cost streams or the discount factors) and calls :func:`npv_of` again, instead of
    copying and re-projecting the whole scenario for every bar of the tornado. Because
    :func:`project_savings` computes its NPV with the same :func:`npv_of`, a changed part gives
    exactly (bit for bit) the NPV of a scenario entered with that change.

    * ``units_per_effect`` (outcomes, H): G(t) at effect 1 (intake convolved with the profile,
      times the baseline); ``effects`` and ``keep`` = 1 - deadweight, (outcomes,).
    * ``values`` (outcomes, payers): SEK per measured unit after optimism bias.
    * ``delivery`` and ``other`` (payers, H): costs, SEK per year. ``factors`` (H,): DF(t).
    """

    payers: tuple[str, ...]
    units_per_effect: np.ndarray
    effects: np.ndarray
    keep: np.ndarray
    values: np.ndarray
    delivery: np.ndarray
    other: np.ndarray
    factors: np.ndarray


def model_parts(scenario: Scenario) -> ModelParts:
    """The scenario's :class:`ModelParts` (one pass over its outcomes and cost items)."""
    payers = scenario.payers
    delivery, other = cost_streams(scenario, payers)
    return ModelParts(
        payers=payers,
        units_per_effect=_gross_units_per_effect(scenario),
        effects=np.array([outcome.effect for outcome in scenario.outcomes], dtype=float),
        keep=np.array([1.0 - outcome.deadweight for outcome in scenario.outcomes]),
        values=value_matrix(scenario, payers),
        delivery=delivery,
        other=other,
        factors=discount_factors(scenario.discount_rate, scenario.horizon_years),
    )


@dataclass(frozen=True, eq=False)
class _Flows:
    """The intermediate arrays of one evaluation, shared by :func:`npv_of` and :func:`project_savings`."""

    gross: np.ndarray
    measured: np.ndarray
    benefits_by_payer: np.ndarray
    costs_by_payer: np.ndarray
    pv_benefits_by_payer: np.ndarray
    pv_costs_by_payer: np.ndarray
    pv_benefits: float
    pv_costs: float


def _flows(parts: ModelParts) -> _Flows:
    """Benefits, costs and their present values by payer; the one place the NPV's arithmetic is done."""
    gross = parts.units_per_effect * parts.effects[:, None]
    measured = gross * parts.keep[:, None]
    benefits_by_payer = parts.values.T @ measured
    costs_by_payer = parts.delivery + parts.other
    pv_benefits_by_payer = benefits_by_payer @ parts.factors
    pv_costs_by_payer = costs_by_payer @ parts.factors
    return _Flows(gross, measured, benefits_by_payer, costs_by_payer, pv_benefits_by_payer, pv_costs_by_payer,
                  float(pv_benefits_by_payer.sum()), float(pv_costs_by_payer.sum()))


def npv_of(parts: ModelParts) -> float:
    """NPV in SEK (present value at the start of year 1) of a scenario given by its parts: the
    same figure as ``project_savings(scenario).npv``, at a fraction of the cost (no copying, no
    convolutions, one small matrix product).

    >>> from engine.scenario import blank_scenario
    >>> npv_of(model_parts(blank_scenario("x")))
    0.0
    """
    flows = _flows(parts)
    return flows.pv_benefits - flows.pv_costs


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def project_savings(scenario: Scenario) -> SavingsProjection:
    """Project benefits, costs and their present values for every payer and year.

    Follows DESIGN.md exactly: ``B_p(t) = sum_outcomes M(t) * values[p] * (1 - optimism_bias)``,
    ``K_p(t)`` = the payer's cost items in year t, ``N(t) = sum_p B_p(t) - sum_p K_p(t)``, and
    ``npv = sum_t DF(t) * N(t)``. All amounts are real SEK in ``price_year`` prices; see
    :class:`SavingsProjection` for every field and the module docstring for a worked example.

    Two payers, two cohorts, no discounting (each participant avoids 1 unit a year, in the
    intake year and, at half strength, the year after):

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 3, "contract_years": 2, "intake": [10, 20],
    ...     "costs": [{"name": "Insats", "payer": "kommun", "per_participant": 100}],
    ...     "outcomes": [{"name": "o", "baseline": 1, "effect": 1, "effect_profile": [1, 0.5],
    ...                   "values": {"kommun": 100, "region": 50}}]})
    >>> p = project_savings(s)
    >>> p.payers, p.benefits_by_payer.tolist()
    (('kommun', 'region'), [[1000.0, 2500.0, 1000.0], [500.0, 1250.0, 500.0]])
    >>> p.npv_by_payer
    {'kommun': 1500.0, 'region': 2250.0}
    """
    parts = model_parts(scenario)
    payers = parts.payers
    outcome_names = tuple(outcome.name for outcome in scenario.outcomes)
    years = np.arange(1, scenario.horizon_years + 1)
    contract = scenario.contract_years

    flows = _flows(parts)
    gross, measured, values = flows.gross, flows.measured, parts.values
    benefits_by_payer, costs_by_payer = flows.benefits_by_payer, flows.costs_by_payer
    benefits_by_outcome = measured * values.sum(axis=1)[:, None]
    delivery, other = parts.delivery, parts.other

    benefits = benefits_by_payer.sum(axis=0)
    costs = costs_by_payer.sum(axis=0)
    net = benefits - costs
    factors = parts.factors
    discounted = net * factors
    cumulative = np.cumsum(discounted)

    pv_benefits_by_payer, pv_costs_by_payer = flows.pv_benefits_by_payer, flows.pv_costs_by_payer
    pv_benefits, pv_costs = flows.pv_benefits, flows.pv_costs
    discounted_benefits = benefits * factors

    return SavingsProjection(
        years=_read_only(years),
        contract_years=contract,
        discount_rate=scenario.discount_rate,
        price_year=scenario.price_year,
        payers=payers,
        outcomes=outcome_names,
        gross_units=_read_only(gross),
        measured_units=_read_only(measured),
        benefits_by_outcome=_read_only(benefits_by_outcome),
        benefits_by_payer=_read_only(benefits_by_payer),
        delivery_costs_by_payer=_read_only(delivery),
        other_costs_by_payer=_read_only(other),
        costs_by_payer=_read_only(costs_by_payer),
        benefits=_read_only(benefits),
        costs=_read_only(costs),
        net_by_year=_read_only(net),
        discount_factors=_read_only(factors),
        discounted_net=_read_only(discounted),
        cumulative_discounted_net=_read_only(cumulative),
        pv_benefits=pv_benefits,
        pv_costs=pv_costs,
        npv=pv_benefits - pv_costs,
        npv_within_contract=float(discounted[:contract].sum()),
        benefit_cost_ratio=pv_benefits / pv_costs if pv_costs > 0 else None,
        break_even_year=break_even_year(cumulative, ZERO_TOLERANCE * (pv_benefits + pv_costs)),
        benefit_share_after_contract=(
            float(discounted_benefits[contract:].sum()) / pv_benefits if pv_benefits > 0 else None
        ),
        pv_benefits_by_payer={p: float(v) for p, v in zip(payers, pv_benefits_by_payer, strict=True)},
        pv_costs_by_payer={p: float(v) for p, v in zip(payers, pv_costs_by_payer, strict=True)},
        npv_by_payer={
            p: float(b - k) for p, b, k in zip(payers, pv_benefits_by_payer, pv_costs_by_payer, strict=True)
        },
    )


def json_number(value: float | None) -> float | None:
    """A plain float for JSON; ``None`` (JSON null) for missing or non-finite values, since
    ``Infinity`` and ``NaN`` are not JSON and only arise from absurdly large inputs.

    >>> json_number(np.float64(1.5)), json_number(None), json_number(float("inf"))
    (1.5, None, None)
    """
    if value is None:
        return None
    number = float(value)
    return number if np.isfinite(number) else None


def json_series(values: np.ndarray) -> list[float | None]:
    """A per-year array as a list of plain floats (see :func:`json_number`)."""
    return [json_number(v) for v in np.asarray(values, dtype=float).tolist()]


def to_json_dict(projection: SavingsProjection) -> dict[str, Any]:
    """The projection as JSON-ready data: the CLI's ``evaluate`` output (without uncertainty).

    Keys are DESIGN's result names; per-year lists run over ``years``; amounts are SEK in
    ``price_year`` prices; ``None`` becomes JSON ``null``.

    >>> from engine.scenario import blank_scenario
    >>> result = to_json_dict(project_savings(blank_scenario("Tomt")))
    >>> result["npv"], result["benefit_cost_ratio"], result["break_even_year"], len(result["years"])
    (0.0, None, 1, 15)
    """
    p = projection

    def by_payer(rows: np.ndarray) -> dict[str, list[float | None]]:
        return {payer: json_series(row) for payer, row in zip(p.payers, rows, strict=True)}

    return {
        "currency": "SEK",
        "price_year": p.price_year,
        "discount_rate": p.discount_rate,
        "horizon_years": p.horizon_years,
        "contract_years": p.contract_years,
        "npv": json_number(p.npv),
        "npv_within_contract": json_number(p.npv_within_contract),
        "pv_benefits": json_number(p.pv_benefits),
        "pv_costs": json_number(p.pv_costs),
        "benefit_cost_ratio": json_number(p.benefit_cost_ratio),
        "break_even_year": p.break_even_year,
        "benefit_share_after_contract": json_number(p.benefit_share_after_contract),
        "payers": list(p.payers),
        "npv_by_payer": {k: json_number(v) for k, v in p.npv_by_payer.items()},
        "pv_benefits_by_payer": {k: json_number(v) for k, v in p.pv_benefits_by_payer.items()},
        "pv_costs_by_payer": {k: json_number(v) for k, v in p.pv_costs_by_payer.items()},
        "years": p.years.tolist(),
        "benefits_by_year": json_series(p.benefits),
        "costs_by_year": json_series(p.costs),
        "net_by_year": json_series(p.net_by_year),
        "discount_factors": json_series(p.discount_factors),
        "discounted_net_by_year": json_series(p.discounted_net),
        "cumulative_discounted_net": json_series(p.cumulative_discounted_net),
        "benefits_by_payer_by_year": by_payer(p.benefits_by_payer),
        "costs_by_payer_by_year": by_payer(p.costs_by_payer),
        "delivery_costs_by_payer_by_year": by_payer(p.delivery_costs_by_payer),
        "other_costs_by_payer_by_year": by_payer(p.other_costs_by_payer),
        "outcomes": [
            {
                "name": name,
                "gross_units_by_year": json_series(p.gross_units[i]),
                "measured_units_by_year": json_series(p.measured_units[i]),
                "benefits_by_year": json_series(p.benefits_by_outcome[i]),
            }
            for i, name in enumerate(p.outcomes)
        ],
    }
