"""Uncertainty around the savings model: Monte Carlo fan chart and a one-at-a-time tornado.

Same conventions as :mod:`engine.savings.model`: years 1..H with year 1 undiscounted, real SEK in
``price_year`` prices, net = benefits - costs (positive = the public side gains), shares 0..1.

Monte Carlo (DESIGN.md "Uncertainty"): in every draw each outcome's effect follows
Triangular(low, mode=effect, high) from its ``effect_range``; all values are multiplied by one
draw from Triangular(``value_range``, mode 1.0) and all costs by one draw from
Triangular(``cost_range``, mode 1.0). A missing range means that parameter does not vary.

The model is linear in these parameters: benefits are ``value_multiplier * sum_i effect_i *
U_i(t)`` where ``U_i`` is outcome i's benefit stream at effect 1, and costs are
``cost_multiplier * K(t)``. The streams are computed once; the draws are combined with matrix
products, so there is no Python loop over draws.

>>> from engine.scenario import parse_scenario
>>> scenario = parse_scenario({
...     "format": "utfallskompassen.scenario/1", "name": "Exempel", "price_year": 2025,
...     "discount_rate": 0, "horizon_years": 2, "contract_years": 1, "intake": [10],
...     "costs": [{"name": "Insats", "payer": "kommun", "per_participant": 1000}],
...     "outcomes": [{"name": "Sjukdagar", "baseline": 10, "effect": 0.5, "effect_range": [0.2, 0.8],
...                   "effect_profile": [1.0, 1.0], "values": {"kommun": 100}}],
... })
>>> simulation = simulate_savings(scenario, draws=2_000, seed=1)
>>> 0.45 < simulation.p_npv_positive < 0.55  # NPV = 10 000 * (2 * effect - 1): positive iff effect > 0.5
True
>>> bool(simulation.cdn_p10[-1] < simulation.cdn_p50[-1] < simulation.cdn_p90[-1])
True
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from engine.i18n import DEFAULT_LANGUAGE, translate
from engine.savings.model import (
    ZERO_TOLERANCE,
    ModelParts,
    cost_streams,
    discount_factors,
    json_number,
    json_series,
    measured_units_per_effect,
    model_parts,
    npv_of,
    project_savings,
    value_matrix,
)
from engine.scenario import Scenario

#: The seed used when the caller gives none, so that repeated runs show the same figures.
DEFAULT_SEED = 20251
DEFAULT_DRAWS = 10_000
MAX_DRAWS = 1_000_000

#: Percentiles reported for NPV and the fan chart, as shares.
_QUANTILES = (0.10, 0.50, 0.90)

#: Draws are made and combined this many at a time, so no temporary array grows with the number of
#: draws times the scenario's size (outcomes, budget holders, years); the results do not depend on it.
DRAW_BLOCK = 1_000

#: At most this many draw-years are held in memory at once (8 bytes each: 16 MB). With 10 000
#: draws all years fit in one block; a million draws are processed a few years at a time.
_BLOCK_ELEMENTS = 2_000_000

#: Tornado: the discount rate is shown at 0 % (no discounting, as in many Swedish
#: socioeconomic models) and 7 % (twice the 3.5 % real rate of the Green Book and of the app's
#: default), whatever the scenario's own rate.
TORNADO_DISCOUNT_RATES = (0.0, 0.07)

#: Tornado: deadweight is moved this many percentage points down and up (kept within 0..1).
#: Deadweight is rarely measured, and a share of outcomes that would have happened anyway is
#: exactly what outcome contracts have been criticised for overpaying.
TORNADO_DEADWEIGHT_STEP = 0.10


@dataclass(frozen=True, eq=False)
class ParameterDraws:
    """The random parameters of every draw; draw d is row d.

    ``effects``: shape (draws, outcomes), relative reduction 0..1 per outcome (columns in the
    order of ``outcomes``). ``value_multiplier`` and ``cost_multiplier``: shape (draws,), factors
    on all values and all costs (1.0 = as entered). Instruments reuse these so that every
    instrument is compared on the same draws.
    """

    outcomes: tuple[str, ...]
    effects: np.ndarray
    value_multiplier: np.ndarray
    cost_multiplier: np.ndarray


@dataclass(frozen=True, eq=False)
class SavingsSimulation:
    """Monte Carlo result for one scenario.

    * ``draws``, ``seed``: what was run; the same pair always gives the same figures.
    * ``years`` 1..H and ``contract_years`` C.
    * ``cdn_p10``, ``cdn_p50``, ``cdn_p90``: per year, the 10th/50th/90th percentile over draws
      of the cumulative discounted net CDN(t), SEK (the fan chart). Each year's percentile is
      taken separately, so a percentile line is not the path of any single draw.
    * ``npv_p10``, ``npv_p50``, ``npv_p90``, ``npv_mean``: NPV over draws, SEK.
    * ``p_npv_positive``: share 0..1 of draws with NPV > 0.
    * ``p_break_even_within_contract`` / ``_within_horizon``: share of draws whose break-even year
      (as in :func:`engine.savings.model.break_even_year`) is at most C / exists at all.
    * ``npv_draws``: NPV of every draw, SEK, shape (draws,). ``break_even_year_draws``: break-even
      year of every draw, 0 where it never breaks even. ``parameters``: the draws themselves.

    Amounts within :data:`engine.savings.model.ZERO_TOLERANCE` of the gross flows count as zero.
    Percentiles use numpy's default (linear interpolation between order statistics).
    """

    draws: int
    seed: int
    years: np.ndarray
    contract_years: int
    cdn_p10: np.ndarray
    cdn_p50: np.ndarray
    cdn_p90: np.ndarray
    npv_p10: float
    npv_p50: float
    npv_p90: float
    npv_mean: float
    p_npv_positive: float
    p_break_even_within_contract: float
    p_break_even_within_horizon: float
    npv_draws: np.ndarray
    break_even_year_draws: np.ndarray
    parameters: ParameterDraws


@dataclass(frozen=True)
class TornadoRow:
    """One bar of the tornado: NPV with one parameter at its low and high end, the rest at base.

    ``parameter`` is ``effect`` or ``deadweight`` (of ``outcome``), ``value_multiplier``,
    ``cost_multiplier`` or ``discount_rate``; ``outcome`` is ``None`` for the last three.
    ``low``, ``base``, ``high``: the parameter's values (shares or multipliers). ``npv_low``,
    ``npv_base``, ``npv_high``: NPV in SEK at those values. ``low`` is the smaller parameter
    value, which for deadweight, costs and discounting is the *better* end for the NPV.
    """

    parameter: str
    outcome: str | None
    low: float
    base: float
    high: float
    npv_low: float
    npv_base: float
    npv_high: float

    @property
    def swing(self) -> float:
        """|npv_high - npv_low|, SEK: the length of the bar, which orders the tornado."""
        return abs(self.npv_high - self.npv_low)


def triangular(uniforms: np.ndarray, low: Any, mode: Any, high: Any) -> np.ndarray:
    """Triangular(low, mode, high) values from uniform(0, 1) numbers by the inverse CDF.

    Broadcasts like numpy. Unlike ``Generator.triangular`` it accepts ``low == high`` (a range of
    zero width) and then returns ``low``: a collapsed range simply means no uncertainty.

    >>> triangular(np.array([0.0, 0.5, 1.0]), 0.0, 0.5, 1.0).tolist()
    [0.0, 0.5, 1.0]
    >>> triangular(np.array([0.3]), 0.2, 0.2, 0.2).tolist()
    [0.2]
    """
    u = np.asarray(uniforms, dtype=float)
    low, mode, high = (np.asarray(x, dtype=float) for x in (low, mode, high))
    width = high - low
    mode_share = np.divide(mode - low, width, out=np.zeros(np.broadcast(mode, width).shape), where=width > 0)
    rising = low + np.sqrt(u * width * (mode - low))
    falling = high - np.sqrt((1.0 - u) * width * (high - mode))
    return np.where(u < mode_share, rising, falling)


def _check_draws(draws: int) -> None:
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 1 <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be a whole number from 1 to {MAX_DRAWS}, got {draws!r}")


def draw_parameters(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> ParameterDraws:
    """Draw every outcome's effect and the value and cost multipliers, ``draws`` times.

    One uniform number is drawn per parameter and draw even for parameters without a range, so
    that giving one parameter a range does not change the draws of the others.

    >>> from engine.scenario import blank_scenario
    >>> d = draw_parameters(blank_scenario("x"), draws=3, seed=7)
    >>> d.effects.shape, d.value_multiplier.tolist(), d.cost_multiplier.tolist()
    ((3, 0), [1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    """
    _check_draws(draws)
    rng = np.random.default_rng(seed)
    outcomes = scenario.outcomes
    count = len(outcomes)
    base = np.array([o.effect for o in outcomes], dtype=float)
    ranges = np.array([o.effect_range or (o.effect, o.effect) for o in outcomes], dtype=float).reshape(-1, 2)
    spread = scenario.uncertainty
    value_range = (spread.value_range if spread else None) or (1.0, 1.0)
    cost_range = (spread.cost_range if spread else None) or (1.0, 1.0)
    effects = np.empty((draws, count))
    value_multiplier, cost_multiplier = np.empty(draws), np.empty(draws)
    # Drawn DRAW_BLOCK rows at a time: the generator yields the same numbers in the same order
    # whatever the block size, so the draws are those of one big call, while the temporaries of
    # the inverse CDF never exceed one block.
    for start in range(0, draws, DRAW_BLOCK):
        stop = min(draws, start + DRAW_BLOCK)
        uniforms = rng.random((stop - start, count + 2))
        effects[start:stop] = triangular(uniforms[:, :count], ranges[:, 0], base, ranges[:, 1])
        value_multiplier[start:stop] = triangular(uniforms[:, -2], value_range[0], 1.0, value_range[1])
        cost_multiplier[start:stop] = triangular(uniforms[:, -1], cost_range[0], 1.0, cost_range[1])
    return ParameterDraws(
        outcomes=tuple(o.name for o in outcomes),
        effects=effects,
        value_multiplier=value_multiplier,
        cost_multiplier=cost_multiplier,
    )


def simulate_savings(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> SavingsSimulation:
    """Monte Carlo over effects, values and costs; see :class:`SavingsSimulation` for the fields.

    ``draws`` is 1..1 000 000; ``seed`` a non-negative integer for ``numpy.random.default_rng``
    (same seed, same result). Raises ``ValueError`` for other draw counts. Memory stays bounded
    for large draw counts because years are processed in blocks.

    With every range missing, every draw equals the deterministic projection:

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 2, "contract_years": 1, "intake": [1],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 150}],
    ...     "outcomes": [{"name": "o", "baseline": 1, "effect": 1, "effect_profile": [1, 1],
    ...                   "values": {"kommun": 100}}]})
    >>> sim = simulate_savings(s, draws=100)
    >>> sim.npv_p10, sim.npv_p90, sim.p_break_even_within_contract, sim.p_break_even_within_horizon
    (50.0, 50.0, 0.0, 1.0)
    """
    parameters = draw_parameters(scenario, draws, seed)
    base = project_savings(scenario)
    factors = base.discount_factors
    horizon = base.horizon_years

    # U_i(t): outcome i's benefit to all payers at effect 1, discounted and accumulated over years.
    value_per_unit = np.array([sum(o.values.values()) for o in scenario.outcomes], dtype=float)
    unit_benefits = measured_units_per_effect(scenario) * (value_per_unit * (1.0 - scenario.optimism_bias))[:, None]
    cumulative_unit_benefits = np.cumsum(unit_benefits * factors, axis=1)
    cumulative_costs = np.cumsum(base.costs * factors)

    effects, v, c = parameters.effects, parameters.value_multiplier, parameters.cost_multiplier
    pv_benefits = v * (effects @ cumulative_unit_benefits[:, -1])
    pv_costs = c * cumulative_costs[-1]
    npv = pv_benefits - pv_costs
    tolerance = ZERO_TOLERANCE * (pv_benefits + pv_costs)

    quantiles = np.empty((len(_QUANTILES), horizon))
    holds_from_here = np.ones(draws, dtype=bool)
    break_even = np.zeros(draws, dtype=np.int64)
    block = max(1, _BLOCK_ELEMENTS // draws)
    # Walk backwards through the years so break-even ("non-negative from t to the end") is one pass.
    for end in range(horizon, 0, -block):
        start = max(0, end - block)
        cdn = v[:, None] * (effects @ cumulative_unit_benefits[:, start:end]) - c[:, None] * cumulative_costs[start:end]
        quantiles[:, start:end] = np.quantile(cdn, _QUANTILES, axis=0)
        for column in range(end - start - 1, -1, -1):
            holds_from_here &= cdn[:, column] >= -tolerance
            break_even[holds_from_here] = start + column + 1

    npv_quantiles = np.quantile(npv, _QUANTILES)
    return SavingsSimulation(
        draws=draws,
        seed=seed,
        years=base.years,
        contract_years=base.contract_years,
        cdn_p10=quantiles[0],
        cdn_p50=quantiles[1],
        cdn_p90=quantiles[2],
        npv_p10=float(npv_quantiles[0]),
        npv_p50=float(npv_quantiles[1]),
        npv_p90=float(npv_quantiles[2]),
        npv_mean=float(npv.mean()),
        p_npv_positive=float(np.mean(npv > tolerance)),
        p_break_even_within_contract=float(np.mean((break_even > 0) & (break_even <= base.contract_years))),
        p_break_even_within_horizon=float(np.mean(break_even > 0)),
        npv_draws=npv,
        break_even_year_draws=break_even,
        parameters=parameters,
    )


def _with_outcome_share(parts: ModelParts, field: str, index: int, share: float) -> ModelParts:
    """``parts`` with one outcome's effect (``field="effects"``) or deadweight (``"keep"``) changed.

    Only the changed (outcomes,) array is copied; everything else is shared with ``parts``. The
    stored keep is ``1.0 - deadweight``, computed as :func:`engine.savings.model.model_parts` does.
    """
    changed = getattr(parts, field).copy()
    changed[index] = share if field == "effects" else 1.0 - share
    return replace(parts, **{field: changed})


def sensitivity(scenario: Scenario) -> tuple[TornadoRow, ...]:
    """One-at-a-time sensitivity of the NPV: the tornado, rows sorted by swing (largest first).

    Each row evaluates the NPV with one parameter at its low and its high end and everything else
    at base. Parameters and their ends:

    * each outcome's ``effect``: its ``effect_range`` (outcomes without a range get no row);
    * each outcome's ``deadweight``: base -/+ :data:`TORNADO_DEADWEIGHT_STEP`, kept within 0..1;
    * ``value_multiplier`` / ``cost_multiplier``: ``uncertainty.value_range`` / ``cost_range``
      (no row when missing);
    * ``discount_rate``: :data:`TORNADO_DISCOUNT_RATES` (0 % and 7 %).

    The work is linear in the number of rows: the scenario's parts (:class:`ModelParts`) are built
    once, and each end is one call of :func:`engine.savings.model.npv_of` on the parts with one of
    them changed, so a tornado with R rows makes 2 R + 1 evaluations and never copies the scenario.
    Each NPV is bit for bit the one :func:`project_savings` gives the changed scenario.

    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [10],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 100}],
    ...     "outcomes": [{"name": "o", "baseline": 1, "effect": 0.5, "effect_range": [0.2, 0.8],
    ...                   "values": {"kommun": 1000}}]})
    >>> [(r.parameter, r.npv_low, r.npv_high) for r in sensitivity(s)][:2]
    [('effect', 1000.0, 7000.0), ('deadweight', 4000.0, 3500.0)]
    """
    parts = model_parts(scenario)
    npv_base = npv_of(parts)
    rows: list[TornadoRow] = []

    def add(parameter: str, outcome: str | None, low: float, base_value: float, high: float,
            low_parts: ModelParts, high_parts: ModelParts) -> None:
        rows.append(TornadoRow(parameter=parameter, outcome=outcome, low=low, base=base_value, high=high,
                               npv_low=npv_of(low_parts), npv_base=npv_base, npv_high=npv_of(high_parts)))

    for i, outcome in enumerate(scenario.outcomes):
        if outcome.effect_range is not None:
            low, high = outcome.effect_range
            add("effect", outcome.name, low, outcome.effect, high,
                _with_outcome_share(parts, "effects", i, low), _with_outcome_share(parts, "effects", i, high))
    for i, outcome in enumerate(scenario.outcomes):
        # Rounded so that 0.15 - 0.1 shows as 0.05 and not 0.04999999999999999 in tables and JSON.
        low = round(max(0.0, outcome.deadweight - TORNADO_DEADWEIGHT_STEP), 12)
        high = round(min(1.0, outcome.deadweight + TORNADO_DEADWEIGHT_STEP), 12)
        add("deadweight", outcome.name, low, outcome.deadweight, high,
            _with_outcome_share(parts, "keep", i, low), _with_outcome_share(parts, "keep", i, high))
    spread = scenario.uncertainty
    if spread is not None and spread.value_range is not None:
        low, high = spread.value_range
        add("value_multiplier", None, low, 1.0, high,
            replace(parts, values=value_matrix(scenario, parts.payers, low)),
            replace(parts, values=value_matrix(scenario, parts.payers, high)))
    if spread is not None and spread.cost_range is not None:
        low, high = spread.cost_range
        low_costs, high_costs = cost_streams(scenario, parts.payers, low), cost_streams(scenario, parts.payers, high)
        add("cost_multiplier", None, low, 1.0, high,
            replace(parts, delivery=low_costs[0], other=low_costs[1]),
            replace(parts, delivery=high_costs[0], other=high_costs[1]))
    low, high = TORNADO_DISCOUNT_RATES
    horizon = scenario.horizon_years
    add("discount_rate", None, low, scenario.discount_rate, high,
        replace(parts, factors=discount_factors(low, horizon)), replace(parts, factors=discount_factors(high, horizon)))
    # sorted() is stable, so rows with equal swings keep the order above.
    return tuple(sorted(rows, key=lambda row: row.swing, reverse=True))


def tornado_label(row: TornadoRow, lang: str = DEFAULT_LANGUAGE) -> str:
    """The row's name for charts and tables, in ``lang``.

    >>> tornado_label(TornadoRow("effect", "Sjukdagar", 0.1, 0.2, 0.3, 0, 0, 0), "en")
    'Effect: Sjukdagar'
    """
    return translate(f"savings.tornado.{row.parameter}", lang, outcome=row.outcome or "")


def simulation_to_json_dict(simulation: SavingsSimulation) -> dict[str, Any]:
    """The simulation as JSON-ready data (the CLI's ``uncertainty`` object). Amounts in SEK,
    probabilities as shares 0..1, per-year lists over ``years``."""
    s = simulation
    return {
        "draws": s.draws,
        "seed": s.seed,
        "p_npv_positive": s.p_npv_positive,
        "p_break_even_within_contract": s.p_break_even_within_contract,
        "p_break_even_within_horizon": s.p_break_even_within_horizon,
        "npv_p10": json_number(s.npv_p10),
        "npv_p50": json_number(s.npv_p50),
        "npv_p90": json_number(s.npv_p90),
        "npv_mean": json_number(s.npv_mean),
        "years": s.years.tolist(),
        "cumulative_discounted_net_p10": json_series(s.cdn_p10),
        "cumulative_discounted_net_p50": json_series(s.cdn_p50),
        "cumulative_discounted_net_p90": json_series(s.cdn_p90),
    }


def tornado_to_json(rows: tuple[TornadoRow, ...], lang: str = DEFAULT_LANGUAGE) -> list[dict[str, Any]]:
    """Tornado rows as JSON-ready data, each with its translated ``label``, in tornado order."""
    return [
        {
            "parameter": row.parameter,
            "outcome": row.outcome,
            "label": tornado_label(row, lang),
            "low": row.low,
            "base": row.base,
            "high": row.high,
            "npv_low": json_number(row.npv_low),
            "npv_base": json_number(row.npv_base),
            "npv_high": json_number(row.npv_high),
            "swing": json_number(row.swing),
        }
        for row in rows
    ]
