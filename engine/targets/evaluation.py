"""Did the target move? Evaluating follow-up data with an interrupted time series or a
difference-in-differences, reporting the effect with its confidence interval in plain words.

Sign convention: the effect is *intervention minus counterfactual* in the outcome's units, so a
reduction of sick days is negative ("between -3.1 and -0.4 sick days per person and year").

* **Interrupted time series** (:func:`interrupted_time_series`): segmented OLS
  ``y_t = b0 + b1 t + b2 D_t + b3 (t - k) D_t`` with ``t = 0..n-1``, ``k`` the index of the first period
  with the intervention and ``D_t = 1`` from ``k`` on. The reported effect is the average difference
  from the continued pre-trend over the follow-up periods, ``b2 + b3 * mean(t - k for t >= k)``;
  ``step`` (b2) and ``slope_change`` (b3, per period) are reported too. Neighbouring periods are
  rarely independent, yet Newey-West errors are far too narrow on series this short; the error model
  is chosen by what the residuals support (:mod:`engine.targets.inference`): OLS errors when the
  bias-corrected lag-1 autocorrelation is at most 0, else errors for AR(1) residuals with a
  deliberately generous autocorrelation. ``inference`` says which (``"ols"`` or ``"ar1"``); intervals
  use the t distribution with ``df`` degrees of freedom.
* **Difference-in-differences** (:func:`difference_in_differences`): the effect is the change in the
  intervention group minus the change in the comparison group, ``d`` in ``y = a + b T + c P + d T P``
  (``T = 1`` for the intervention group, ``P = 1`` from the start period); every one of the four cells
  (group x before/after) needs at least two rows. The errors follow the data (``inference``):
  ``"cluster_unit"`` when rows carry unit ids and some unit is measured in more than one period
  (errors clustered by unit, t with units - 1 degrees of freedom); otherwise ``"group_period"`` when at
  least three periods hold both groups (the per-period contrast of group means, t with periods - 2
  degrees of freedom, so shocks that hit one group in one period count; the estimate weights periods
  equally, which equals ``d`` when every period has the same rows); otherwise ``"rows_hc1"``
  (robust errors per row, which assume independent rows). With one comparison group the estimate is
  only as good as the assumption that both groups would have moved in parallel, and a shock that hit
  only one group cannot be told from the effect (``notes`` holds ``"one_comparison_group"``).

>>> from engine.targets.history import History
>>> values = (10, 10.5, 9.5, 10, 10, 9.5, 10.5, 10, 8, 8.5, 7.5, 8, 8, 7.5, 8.5, 8)  # flat at 10, then at 8
>>> its = interrupted_time_series(History(tuple(str(2010 + i) for i in range(16)), values, "year",
...                                       tuple(range(2010, 2026))), "2018")
>>> round(its.estimate, 2), its.low < its.estimate < its.high < 0, its.inference, its.df, its.notes
(-2.0, True, 'ols', 12.0, ())
>>> short = interrupted_time_series(History(tuple(str(2010 + i) for i in range(10)), values[3:13], "year",
...                                         tuple(range(2010, 2020))), "2015")
>>> short.notes  # 5 + 5 points: fewer than 8 on a side, where the intervals were not found reliable
('short_series',)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm

from engine.errors import InputError, Problem
from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, translate
from engine.targets.history import History, Panel, parse_period
from engine.targets.inference import (
    MIN_RELIABLE_SIDE,
    STRONG_AUTOCORRELATION,
    its_design,
    its_fit,
    period_contrast,
    t_interval,
)

#: Periods needed before and after the start for an interrupted time series.
MIN_SIDE_POINTS = 3
#: Fewer units than this earn a warning: clustered errors run narrow on few clusters.
MIN_RELIABLE_UNITS = 20


@dataclass(frozen=True)
class EffectEstimate:
    """An estimated effect (intervention minus counterfactual, in the outcome's units) with its
    two-sided confidence interval at ``level`` and p-value. ``details`` holds method-specific numbers
    (ITS: ``step``, ``slope_change``, ``pre_slope``, ``periods_before``, ``periods_after``; DiD: the four
    cell means). ``fitted`` and ``counterfactual`` are
    per-period series for a chart (ITS only; empty for DiD).

    Optional, added so that the page can say how the interval was made: ``inference`` names the
    standard errors (ITS ``"ols"``/``"ar1"``; DiD ``"cluster_unit"``/``"group_period"``/
    ``"rows_hc1"``; empty when unknown), ``df`` the degrees of freedom of the t critical value,
    ``notes`` warning codes (``"short_series"``, ``"strong_autocorrelation"``, ``"one_comparison_group"``,
    ``"few_units"``, ``"two_periods"``), ``autocorrelation`` the ITS residuals' lag-1 autocorrelation
    corrected for short-series bias and ``autocorrelation_used`` the value its errors used (0 for OLS),
    ``clusters`` the units (cluster_unit) or periods (group_period) the errors rest on."""

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
    inference: str = ""
    df: float = math.nan
    notes: tuple[str, ...] = ()
    autocorrelation: float = math.nan
    autocorrelation_used: float = math.nan
    clusters: int = 0


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
    fit = its_fit(y, before)
    design, weights = its_design(len(y), before)
    estimate = float(weights @ fit.params)
    low, high, p_value = t_interval(estimate, fit.se, fit.df, level)
    time = np.arange(len(y), dtype=float)
    notes = tuple(code for code, applies in (
        ("short_series", min(before, after) < MIN_RELIABLE_SIDE),
        ("strong_autocorrelation", fit.corrected > STRONG_AUTOCORRELATION)) if applies)
    return EffectEstimate(
        "its", estimate, low, high, level, p_value, len(y),
        (("step", float(fit.params[2])), ("slope_change", float(fit.params[3])), ("pre_slope", float(fit.params[1])),
         ("periods_before", float(before)), ("periods_after", float(after))),
        tuple(float(v) for v in design @ fit.params),
        tuple(float(v) for v in fit.params[0] + fit.params[1] * time),
        inference="ar1" if fit.rho > 0 else "ols", df=fit.df, notes=notes,
        autocorrelation=fit.corrected, autocorrelation_used=fit.rho,
    )


def difference_in_differences(panel: Panel, start: str, treated: str, *, level: float = 0.95,
                              lang: str = DEFAULT_LANGUAGE, units: Sequence[str] | None = None) -> EffectEstimate:
    """The 2x2 difference-in-differences on a panel; ``treated`` names the intervention group.

    ``units`` (optional, one id per row of ``panel``, e.g. a person or a school) says which rows are the
    same unit measured again; the errors are then clustered by unit (module docstring).
    """
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
    means = tuple((name, float(y[(group == g) & (post == p)].mean())) for name, g, p in (
        ("treated_before", 1.0, 0.0), ("treated_after", 1.0, 1.0), ("other_before", 0.0, 0.0),
        ("other_after", 0.0, 1.0)))
    ids = _unit_codes(units, len(y))
    if ids is not None and _measured_again(ids, np.asarray(panel.index)):
        estimate, se, df, inference, clusters = _clustered_by_unit(y, design, ids)
    else:
        estimate, se, df, inference, clusters = _by_period_or_rows(y, design, group, np.asarray(panel.index), first)
    notes = ["one_comparison_group"]
    if inference == "cluster_unit" and clusters < MIN_RELIABLE_UNITS:
        notes.append("few_units")
    if inference == "rows_hc1":
        notes.append("two_periods")
    low, high, p_value = t_interval(estimate, se, df, level)
    return EffectEstimate("did", estimate, low, high, level, p_value, len(y), means, inference=inference, df=df,
                          notes=tuple(notes), clusters=clusters)


def _unit_codes(units: Sequence[str] | None, rows: int) -> np.ndarray | None:
    """Unit ids as integer codes, or None when there are none (an empty or all-blank column).

    >>> _unit_codes(["a", "b", "a"], 3).tolist(), _unit_codes(["", " "], 2)
    ([0, 1, 0], None)
    """
    if units is None:
        return None
    if len(units) != rows:
        raise ValueError(f"{len(units)} unit ids for {rows} rows")
    cleaned = [str(u).strip() for u in units]
    if not any(cleaned):
        return None
    codes = {u: i for i, u in enumerate(dict.fromkeys(cleaned))}
    return np.array([codes[u] for u in cleaned])


def _measured_again(ids: np.ndarray, period: np.ndarray) -> bool:
    """Whether some unit has rows in more than one period (else the ids add nothing to cluster on)."""
    pairs = np.unique(np.column_stack([ids, period]), axis=0)
    return bool(len(np.unique(pairs[:, 0])) < len(pairs))


def _clustered_by_unit(y: np.ndarray, design: np.ndarray,
                       ids: np.ndarray) -> tuple[float, float, float, str, int]:
    """OLS with errors clustered by unit (CR1) and t on units - 1 degrees of freedom: rows of the same
    unit share its level, so they are not independent (treating them as such made intervals about
    twice too wide when the same people were followed)."""
    fit = sm.OLS(y, design).fit(cov_type="cluster", cov_kwds={"groups": ids}, use_t=True)
    clusters = len(np.unique(ids))
    # Read from the covariance, not ``bse``: when every unit's own level explains its rows exactly the
    # variance is zero and rounding may leave it a hair below zero, whose square root is NaN.
    se = math.sqrt(max(float(np.asarray(fit.cov_params())[3, 3]), 0.0))
    return float(fit.params[3]), se, float(clusters - 1), "cluster_unit", clusters


def _by_period_or_rows(y: np.ndarray, design: np.ndarray, group: np.ndarray, period: np.ndarray,
                       first: int) -> tuple[float, float, float, str, int]:
    """The period-level contrast when at least three periods hold both groups; otherwise robust
    errors per row (HC1), which cannot see group-period shocks."""
    contrast = period_contrast(y, group == 1.0, period, first)
    if math.isfinite(contrast.estimate):
        return (contrast.estimate, contrast.se, contrast.df, "group_period",
                contrast.periods_before + contrast.periods_after)
    fit = sm.OLS(y, design).fit(cov_type="HC1", use_t=True)
    return float(fit.params[3]), float(fit.bse[3]), float(fit.df_resid), "rows_hc1", 0


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


def inference_sentence(estimate: EffectEstimate, lang: str = DEFAULT_LANGUAGE) -> str:
    """How the interval was made, in words (empty for an estimate made before ``inference`` existed).

    >>> e = EffectEstimate("its", -2.0, -3.2, -0.8, 0.95, 0.003, 16, (), inference="ols", df=12.0,
    ...                    autocorrelation=-0.4, autocorrelation_used=0.0)
    >>> inference_sentence(e, "en")[:71]
    'The interval rests on ordinary regression errors (OLS): the residuals s'
    """
    if not estimate.inference:
        return ""
    return translate(f"evaluation.inference.{estimate.inference}", lang, df=format_number(estimate.df, lang, 0),
                     rho=format_number(estimate.autocorrelation, lang, 2),
                     used=format_number(estimate.autocorrelation_used, lang, 2),
                     clusters=format_number(estimate.clusters, lang, 0))


def evaluation_warnings(estimate: EffectEstimate, lang: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """One sentence per note: what the interval can and cannot carry.

    >>> e = EffectEstimate("did", -1.0, -2.0, 0.0, 0.95, 0.05, 40, (), notes=("one_comparison_group",))
    >>> evaluation_warnings(e, "en")[0][:60]
    'A single comparison group can show whether the intervention '
    """
    details = dict(estimate.details)
    params = {"rho": format_number(estimate.autocorrelation, lang, 2),
              "before": int(details.get("periods_before", 0)), "after": int(details.get("periods_after", 0)),
              "clusters": format_number(estimate.clusters, lang, 0)}
    return tuple(translate(f"evaluation.note.{code}", lang, **params,
                           minimum=MIN_RELIABLE_UNITS if code == "few_units" else MIN_RELIABLE_SIDE)
                 for code in estimate.notes)
