"""The baseline forecast: what would the outcome have been without the intervention, year by year?

A constant baseline pays for a trend that would have happened anyway (sick leave falling everywhere)
or hides one that works against the target. The forecast continues the measured history over the
contract years with a prediction interval, using statsmodels:

* ``trend``: ordinary least squares on a straight line, ``value = a + b * period``; the interval is the
  OLS prediction interval for a new observation (``get_prediction(...).summary_frame``: ``obs_ci_*``).
* ``holt``: Holt's linear exponential smoothing as a state-space ETS model (additive error, additive
  trend, not damped; ``ETSModel``), whose level and slope follow recent periods more than old ones;
  the interval is its analytic prediction interval.
* ``auto`` picks by a simple, documented rule: with fewer than :data:`HOLDOUT_MINIMUM` points the
  straight line (Holt needs more data to beat it reliably); otherwise both methods are fitted without
  the last ``max(periods per year, n // 5)`` points and the one with the smaller mean absolute error
  on those points wins (a tie goes to the straight line).

The contract years are taken to start right after the last observed period: ``years`` years of
``periods_per_year`` periods each. Seasonality is not modelled; monthly data with a strong season
is better summed to years first.

>>> from engine.targets.history import History
>>> history = History(tuple(str(y) for y in range(2015, 2025)),
...                   (10.0, 9.4, 9.1, 8.4, 8.1, 7.4, 7.1, 6.4, 6.1, 5.4), "year", tuple(range(2015, 2025)))
>>> forecast = forecast_baseline(history, years=2, method="trend")  # about half a unit less per year
>>> forecast.periods, [round(m, 2) for m in forecast.mean], round(forecast.slope_per_year, 3)
(('2025', '2026'), [4.99, 4.49], -0.501)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from engine.targets.history import History, period_label

METHODS: tuple[str, ...] = ("auto", "trend", "holt")
#: Fewest points for which ``auto`` compares Holt with the straight line on a hold-out.
HOLDOUT_MINIMUM = 16
#: Longest forecast, in years.
MAX_YEARS = 15


@dataclass(frozen=True)
class Forecast:
    """The forecast periods with mean and prediction interval (``level``, e.g. 0.95), in the history's
    units; ``fitted`` are the model's values over the history; ``slope_per_year`` the trend per year at
    the end of the history (negative: falling). ``method`` is ``trend`` or ``holt``; ``chosen_by`` is
    ``user`` or ``holdout`` (with the mean absolute errors in ``holdout_errors``)."""

    method: str
    chosen_by: str
    periods: tuple[str, ...]
    index: tuple[int, ...]
    mean: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    level: float
    fitted: tuple[float, ...]
    slope_per_year: float
    holdout_errors: tuple[tuple[str, float], ...] = ()


def forecast_baseline(history: History, years: int, *, method: str = "auto", level: float = 0.95) -> Forecast:
    """Forecast ``years`` years after the history (``method`` one of :data:`METHODS`)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"years must be 1..{MAX_YEARS}")
    values = np.asarray(history.values, dtype=float)
    steps = years * history.periods_per_year
    chosen_by = "user"
    errors: tuple[tuple[str, float], ...] = ()
    if method == "auto":
        method, errors = _choose(values, history.periods_per_year)
        chosen_by = "holdout" if errors else "rule"
    if method == "trend":
        mean, lower, upper, fitted, slope = _trend(values, steps, level)
    else:
        mean, lower, upper, fitted, slope = _holt(values, steps, level)
    last = history.index[-1]
    index = tuple(range(last + 1, last + 1 + steps))
    return Forecast(method, chosen_by, tuple(period_label(history.frequency, i) for i in index), index,
                    _floats(mean), _floats(lower), _floats(upper), level, _floats(fitted),
                    float(slope) * history.periods_per_year, errors)


def target_line(forecast: Forecast, *, reduction: float | None = None, level: float | None = None) -> tuple[float, ...]:
    """The target over the forecast periods: the forecast times ``1 - reduction`` (a relative target
    follows the trend), or the constant ``level`` (an absolute target).

    >>> f = Forecast("trend", "user", ("2025", "2026"), (2025, 2026), (10.0, 8.0), (9.0, 7.0), (11.0, 9.0),
    ...              0.95, (), -2.0)
    >>> target_line(f, reduction=0.25), target_line(f, level=6.0)
    ((7.5, 6.0), (6.0, 6.0))
    """
    if reduction is not None:
        return tuple(m * (1.0 - reduction) for m in forecast.mean)
    if level is None:
        raise ValueError("give reduction or level")
    return tuple(float(level) for _ in forecast.mean)


def _floats(values) -> tuple[float, ...]:
    return tuple(float(v) for v in np.asarray(values, dtype=float))


def _trend(values: np.ndarray, steps: int, level: float):
    time = np.arange(len(values), dtype=float)
    model = sm.OLS(values, sm.add_constant(time)).fit()
    future = sm.add_constant(np.arange(len(values), len(values) + steps, dtype=float), has_constant="add")
    frame = model.get_prediction(future).summary_frame(alpha=1.0 - level)
    return (frame["mean"].to_numpy(), frame["obs_ci_lower"].to_numpy(), frame["obs_ci_upper"].to_numpy(),
            model.fittedvalues, model.params[1])


def _holt_fit(values: np.ndarray):
    with warnings.catch_warnings():
        # Convergence chatter from the optimiser is not the user's business; the fit is still usable.
        warnings.simplefilter("ignore")
        return ETSModel(pd.Series(values), error="add", trend="add", damped_trend=False).fit(disp=False)


def _holt(values: np.ndarray, steps: int, level: float):
    fit = _holt_fit(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = fit.get_prediction(start=len(values), end=len(values) + steps - 1).summary_frame(alpha=1.0 - level)
    slope = float(np.asarray(fit.states)[-1, 1])
    return (frame["mean"].to_numpy(), frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy(),
            np.asarray(fit.fittedvalues), slope)


def _choose(values: np.ndarray, periods_per_year: int) -> tuple[str, tuple[tuple[str, float], ...]]:
    if len(values) < HOLDOUT_MINIMUM:
        return "trend", ()
    held = max(periods_per_year, len(values) // 5)
    train, test = values[:-held], values[-held:]
    trend = _trend(train, held, 0.95)[0]
    holt = _holt_fit(train).forecast(held)
    errors = (("trend", float(np.mean(np.abs(trend - test)))), ("holt", float(np.mean(np.abs(np.asarray(holt) - test)))))
    return ("holt" if errors[1][1] < errors[0][1] else "trend"), errors
