"""Did the target move? Evaluating follow-up data with an interrupted time series or a
difference-in-differences, reporting the effect with its confidence interval in plain words.

Sign convention: the effect is *intervention minus counterfactual* in the outcome's units, so a
reduction of sick days is negative ("between -3.1 and -0.4 sick days per person and year").

* **Interrupted time series** (:func:`interrupted_time_series`): segmented OLS
  ``y_t = b0 + b1 t + b2 D_t + b3 (t - k) D_t`` with ``t = 0..n-1``, ``k`` the index of the first period
  with the intervention and ``D_t = 1`` from ``k`` on. The reported effect is the average difference
  from the continued pre-trend over the follow-up periods, ``b2 + b3 * mean(t - k for t >= k)``;
  ``step`` (b2) and ``slope_change`` (b3, per period) are reported too. Standard errors are
  Newey-West (HAC, ``maxlags = floor(4 (n/100)^(2/9))``, at least 1, small-sample corrected) because
  neighbouring periods are rarely independent; intervals use the t distribution.
* **Difference-in-differences** (:func:`difference_in_differences`): OLS
  ``y = a + b T + c P + d T P`` on rows of (period, group, value), ``T = 1`` for the intervention group,
  ``P = 1`` from the start period; the effect is ``d``. Standard errors are heteroskedasticity-robust
  (HC1); every one of the four cells (group x before/after) needs at least two rows. The estimate is
  only as good as the assumption that both groups would have moved in parallel.

>>> from engine.targets.history import History
>>> values = (10, 10.5, 9.5, 9.5, 10.5, 8, 7.5, 8.5, 8.5, 7.5)  # flat at 10 (slope 0), then flat at 8
>>> its = interrupted_time_series(History(tuple(str(2010 + i) for i in range(10)), values, "year",
...                                       tuple(range(2010, 2020))), "2015")
>>> round(its.estimate, 2), its.low < its.estimate < its.high < 0
(-2.0, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm

from engine.errors import InputError, Problem
from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, translate
from engine.targets.history import History, Panel, parse_period

#: Periods needed before and after the start for an interrupted time series.
MIN_SIDE_POINTS = 3


@dataclass(frozen=True)
class EffectEstimate:
    """An estimated effect (intervention minus counterfactual, in the outcome's units) with its
    two-sided confidence interval at ``level`` and p-value. ``details`` holds method-specific numbers
    (ITS: ``step``, ``slope_change``; DiD: the four cell means). ``fitted`` and ``counterfactual`` are
    per-period series for a chart (ITS only; empty for DiD)."""

    method: str
    estimate: float
    low: float
    high: float
    level: float
    p_value: float
    observations: int
    details: tuple[tuple[str, float], ...]
    fitted: tuple[float, ...] = ()
    counterfactual: tuple[float, ...] = ()


def _start_index(periods_index: tuple[int, ...], frequency: str, start: str, where: str, lang: str) -> int:
    parsed = parse_period(start)
    if parsed is None or parsed[0] != frequency:
        raise InputError([Problem(where, translate("targets.eval.start_unreadable", lang, text=str(start)[:30],
                                                   kind=translate(f"targets.frequency.{frequency}", lang)),
                                  "start_unreadable")])
    return parsed[1]


def interrupted_time_series(history: History, start: str, *, level: float = 0.95,
                            lang: str = DEFAULT_LANGUAGE) -> EffectEstimate:
    """Segmented regression on a history; ``start`` is the first period with the intervention."""
    first = _start_index(history.index, history.frequency, start, "start", lang)
    before = sum(1 for i in history.index if i < first)
    after = len(history.index) - before
    if before < MIN_SIDE_POINTS or after < MIN_SIDE_POINTS:
        raise InputError([Problem("start", translate("targets.eval.its_sides", lang, before=before, after=after,
                                                     minimum=MIN_SIDE_POINTS), "its_sides")])
    y = np.asarray(history.values, dtype=float)
    n = len(y)
    time = np.arange(n, dtype=float)
    post = (time >= before).astype(float)
    since = (time - before) * post
    design = np.column_stack([np.ones(n), time, post, since])
    lags = max(1, math.floor(4 * (n / 100) ** (2 / 9)))
    fit = sm.OLS(y, design).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True)
    weights = np.array([0.0, 0.0, 1.0, float(np.mean(since[before:]))])
    test = fit.t_test(weights)
    low, high = (float(x) for x in np.asarray(test.conf_int(alpha=1 - level)).ravel())
    counterfactual = fit.params[0] + fit.params[1] * time
    return EffectEstimate(
        "its", float(np.asarray(test.effect).item()), low, high, level, float(np.asarray(test.pvalue).item()), n,
        (("step", float(fit.params[2])), ("slope_change", float(fit.params[3])), ("pre_slope", float(fit.params[1]))),
        tuple(float(v) for v in fit.fittedvalues), tuple(float(v) for v in counterfactual),
    )


def difference_in_differences(panel: Panel, start: str, treated: str, *, level: float = 0.95,
                              lang: str = DEFAULT_LANGUAGE) -> EffectEstimate:
    """The 2x2 difference-in-differences on a panel; ``treated`` names the intervention group."""
    first = _start_index(panel.index, panel.frequency, start, "start", lang)
    if treated not in panel.group_names:
        raise InputError([Problem("treated", translate("targets.eval.group_unknown", lang, group=treated[:40],
                                                       groups=", ".join(panel.group_names)), "group_unknown")])
    y = np.asarray(panel.values, dtype=float)
    group = np.array([g == treated for g in panel.groups], dtype=float)
    post = np.array([i >= first for i in panel.index], dtype=float)
    cells = {}
    for g in (1.0, 0.0):
        for p in (0.0, 1.0):
            mask = (group == g) & (post == p)
            cells[(g, p)] = int(mask.sum())
    if min(cells.values()) < 2:
        counts = {f"{int(g)}{int(p)}": c for (g, p), c in cells.items()}
        raise InputError([Problem("start", translate(
            "targets.eval.did_cells", lang, treated_before=counts["10"], treated_after=counts["11"],
            other_before=counts["00"], other_after=counts["01"]), "did_cells")])
    design = np.column_stack([np.ones(len(y)), group, post, group * post])
    fit = sm.OLS(y, design).fit(cov_type="HC1", use_t=True)
    low, high = (float(x) for x in np.asarray(fit.conf_int(alpha=1 - level))[3])
    means = tuple((name, float(y[(group == g) & (post == p)].mean())) for name, g, p in (
        ("treated_before", 1.0, 0.0), ("treated_after", 1.0, 1.0), ("other_before", 0.0, 0.0),
        ("other_after", 0.0, 1.0)))
    return EffectEstimate("did", float(fit.params[3]), low, high, level, float(fit.pvalues[3]), len(y), means)


# --------------------------------------------------------------------------- words


def _decimals(*numbers: float) -> int:
    """Enough decimals to tell the numbers apart: two significant digits of the largest.

    >>> _decimals(-3.14, -0.4), _decimals(120.0, 80.0), _decimals(0.031, 0.002)
    (1, 0, 3)
    """
    largest = max((abs(x) for x in numbers if math.isfinite(x)), default=0.0)
    if largest == 0:
        return 1
    return int(min(3, max(0, 1 - math.floor(math.log10(largest)))))


def effect_sentence(estimate: EffectEstimate, unit: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The effect in plain words with its unit, and what the interval says.

    >>> e = EffectEstimate("did", -1.75, -3.1, -0.4, 0.95, 0.012, 400, ())
    >>> effect_sentence(e, "sjukdagar per person och år", "sv")
    'Effekten är mellan −3,1 och −0,4 sjukdagar per person och år (95\\xa0% konfidensintervall; bästa skattning −1,8). Hela intervallet ligger under noll: en minskning som knappast är slumpen.'
    """
    decimals = _decimals(estimate.low, estimate.high, estimate.estimate)
    params = {"low": format_number(estimate.low, lang, decimals), "high": format_number(estimate.high, lang, decimals),
              "estimate": format_number(estimate.estimate, lang, decimals), "unit": unit.strip(),
              "level": format_percent(estimate.level, lang, 0)}
    head = translate("targets.eval.sentence" if unit.strip() else "targets.eval.sentence_no_unit", lang, **params)
    if estimate.high < 0:
        tail = translate("targets.eval.below_zero", lang)
    elif estimate.low > 0:
        tail = translate("targets.eval.above_zero", lang)
    else:
        tail = translate("targets.eval.includes_zero", lang)
    return f"{head} {tail}"
