"""Can the effect target be detected at all? Sample size, achieved power and minimum detectable effect.

Three designs, all two-sided at significance level ``alpha``:

* ``proportion``: a share of participants (0..1, e.g. the share back in work) in the intervention
  group against a comparison group. Effect size is Cohen's h,
  ``h = |2 asin(sqrt(target)) - 2 asin(sqrt(baseline))|`` (statsmodels ``proportion_effectsize``),
  power from ``NormalIndPower``.
* ``mean``: a mean per participant (sick days per year ...) in two independent groups. Effect size
  is Cohen's d, ``d = |target - baseline| / sd`` with ``sd`` the outcome's standard deviation per
  participant; power from ``TTestIndPower``.
* ``paired``: the same participants measured before and after (no comparison group). Effect size is
  ``d_z = |target - baseline| / sd_diff`` where ``sd_diff = sd * sqrt(2 * (1 - correlation))`` is the
  standard deviation of the before-after differences. **Assumption** (documented, changeable): the
  correlation between a participant's before and after values is 0.5, which makes ``sd_diff = sd``.
  Power from ``TTestPower`` (one-sample t test on the differences).

``n`` is the number of participants in the intervention group (for ``paired``: the participants,
each measured twice); the comparison group has ``ratio * n``. Sample sizes are rounded *up* to
whole participants. The minimum detectable effect (MDE) is the smallest difference from the
baseline that the planned ``n`` detects with the wanted power, given in the metric's own units
(``mde``, a positive number; ``mde_target`` is the level it corresponds to, on the target's side
of the baseline) and as an effect size.

statsmodels (about a second to import) is loaded on the first calculation, not on import, so that
modules which only need the dataclasses (storage, the design) stay quick to load.

Hand check (Cohen 1988, table 6.4.1): h = 0.2, alpha 0.05, power 0.8 needs
``(1 + 1/ratio) * ((z_0.975 + z_0.8) / h) ** 2 = 2 * ((1.95996 + 0.84162) / 0.2) ** 2 = 392.4``,
so 393 per group. For 50 % -> 40 %, h = 2 asin(sqrt(0.5)) - 2 asin(sqrt(0.4)) = 0.2014 and
2 * (2.80158 / 0.2014) ** 2 = 387.02, so 388 per group:

>>> answer = analyse_power(PowerQuestion("proportion", baseline=0.5, target=0.4))
>>> round(answer.effect_size, 4), answer.n_per_group
(0.2014, 388)
>>> analyse_power(PowerQuestion("mean", baseline=10, target=5, sd=10)).n_per_group  # d = 0.5 -> 63.77
64
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.errors import InputError, Problem
from engine.i18n import DEFAULT_LANGUAGE, format_measure, format_number, translate

Metric = Literal["proportion", "mean", "paired"]
METRICS: tuple[str, ...] = ("proportion", "mean", "paired")

DEFAULT_ALPHA = 0.05
DEFAULT_POWER = 0.8
DEFAULT_RATIO = 1.0
#: Assumption: correlation between a participant's before and after values in a paired design.
DEFAULT_CORRELATION = 0.5
#: Above this many participants per group a target is treated as undetectable in practice.
MAX_N = 10_000_000
#: Points on a power curve.
_CURVE_POINTS = 80


@dataclass(frozen=True)
class PowerQuestion:
    """What to plan for. ``baseline`` and ``target`` are levels in the metric's units (shares 0..1 for
    ``proportion``); ``n`` the planned participants in the intervention group (None: not planned yet)."""

    metric: str
    baseline: float
    target: float
    sd: float | None = None
    alpha: float = DEFAULT_ALPHA
    power: float = DEFAULT_POWER
    n: int | None = None
    ratio: float = DEFAULT_RATIO
    correlation: float = DEFAULT_CORRELATION


@dataclass(frozen=True)
class PowerAnswer:
    """``n_per_group``: participants needed in the intervention group (rounded up); ``n_comparison``:
    in the comparison group (``ceil(ratio * n_per_group)``; 0 for ``paired``). The rest is None when
    no ``n`` was planned (or, for ``mde``/``mde_target``, when no level on that side can be detected)."""

    question: PowerQuestion
    effect_size: float
    n_per_group: int
    n_comparison: int
    achieved_power: float | None
    mde: float | None
    mde_effect_size: float | None
    mde_target: float | None

    @property
    def detectable(self) -> bool | None:
        """Whether the planned group reaches the wanted power (None when no group is planned)."""
        if self.achieved_power is None:
            return None
        return self.achieved_power >= self.question.power - 1e-9


@dataclass(frozen=True)
class PowerCurve:
    """Achieved power for a range of group sizes ``n`` (intervention group), for a chart."""

    n: tuple[int, ...]
    power: tuple[float, ...]
    wanted_power: float
    required_n: int
    planned_n: int | None


# --------------------------------------------------------------------------- validation


def check_question(question: PowerQuestion, lang: str = DEFAULT_LANGUAGE) -> None:
    """Refuse a question that has no answer, naming each field (``baseline``, ``sd`` ...).

    >>> check_question(PowerQuestion("proportion", baseline=1.7, target=0.5), "sv")
    Traceback (most recent call last):
    ...
    engine.errors.InputError: baseline: en andel måste ligga mellan 0 och 1 (angivet: 1,7)
    """
    problems: list[Problem] = []

    def add(field: str, code: str, value: float | str | None = None, **params: object) -> None:
        shown = _shown(value, lang) if isinstance(value, (int, float)) else (value or "")
        problems.append(Problem(field, translate(f"targets.power.{code}", lang, value=shown, **params), code))

    q = question
    if q.metric not in METRICS:
        add("metric", "metric_unknown", q.metric, choices=", ".join(METRICS))
        raise InputError(problems)
    for field in ("baseline", "target"):
        value = getattr(q, field)
        if not math.isfinite(value):
            add(field, "not_finite", str(value))
        elif q.metric == "proportion" and not 0.0 < value < 1.0:
            add(field, "proportion_range", value)
    if not problems and q.baseline == q.target:
        add("target", "same_as_baseline", q.target)
    if q.metric in ("mean", "paired"):
        if q.sd is None:
            add("sd", "sd_missing")
        elif not math.isfinite(q.sd) or q.sd <= 0:
            add("sd", "sd_positive", q.sd)
    if not 0.0 < q.alpha < 1.0:
        add("alpha", "share_range", q.alpha)
    if not 0.0 < q.power < 1.0:
        add("power", "share_range", q.power)
    elif 0.0 < q.alpha < 1.0 and q.power <= q.alpha:
        add("power", "power_not_above_alpha", q.power, alpha=_shown(q.alpha, lang))
    if q.n is not None and not 2 <= q.n <= MAX_N:
        add("n", "n_range", q.n, limit=format_number(MAX_N, lang))
    if not math.isfinite(q.ratio) or q.ratio <= 0:
        add("ratio", "ratio_positive", q.ratio)
    if q.metric == "paired" and not -1.0 < q.correlation < 1.0:
        add("correlation", "correlation_range", q.correlation)
    if problems:
        raise InputError(problems)


def _shown(value: float, lang: str) -> str:
    """A number as the user typed it, in the language's format (up to 6 significant decimals).

    >>> _shown(1.7, "sv"), _shown(0.05, "en"), _shown(120, "sv")
    ('1,7', '0.05', '120')
    """
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.partition(".")[2])
    return format_number(value, lang, decimals)


# --------------------------------------------------------------------------- answers


def effect_size(question: PowerQuestion) -> float:
    """The standardised effect (a magnitude >= 0): Cohen's h, d or d_z (see the module docstring).

    >>> round(effect_size(PowerQuestion("paired", baseline=20, target=17, sd=6, correlation=0.5)), 3)
    0.5
    >>> round(effect_size(PowerQuestion("paired", baseline=20, target=17, sd=6, correlation=0.875)), 3)
    1.0
    """
    q = question
    if q.metric == "proportion":
        from statsmodels.stats.proportion import proportion_effectsize

        return abs(float(proportion_effectsize(q.target, q.baseline)))
    return abs(q.target - q.baseline) / _spread(q)


def _spread(q: PowerQuestion) -> float:
    """The standard deviation that turns a difference into an effect size (mean, paired)."""
    assert q.sd is not None
    if q.metric == "paired":
        return q.sd * math.sqrt(2.0 * (1.0 - q.correlation))
    return q.sd


def _power_of(q: PowerQuestion, size: float, n: float | np.ndarray) -> float | np.ndarray:
    from scipy.stats import norm
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower

    if q.metric == "proportion":
        return NormalIndPower().power(effect_size=size, nobs1=n, alpha=q.alpha, ratio=q.ratio)
    if q.metric == "mean":
        power = TTestIndPower().power(effect_size=size, nobs1=n, alpha=q.alpha, ratio=q.ratio)
        effective = 1.0 / (1.0 / np.asarray(n, dtype=float) + 1.0 / (q.ratio * np.asarray(n, dtype=float)))
    else:
        power = TTestPower().power(effect_size=size, nobs=n, alpha=q.alpha)
        effective = np.asarray(n, dtype=float)
    # scipy's noncentral t gives NaN for large noncentrality (d_z = 0.12 with 6 164 participants);
    # there the t and normal distributions agree, so the normal power stands in.
    z = norm.ppf(1 - q.alpha / 2)
    shift = size * np.sqrt(effective)
    normal = norm.cdf(shift - z) + norm.cdf(-shift - z)
    power = np.where(np.isnan(power), normal, power)
    return float(power) if power.ndim == 0 else power


def _normal_approximation(q: PowerQuestion, size: float) -> float:
    """n from the normal approximation: ``(1 + 1/ratio) * ((z_{1-a/2} + z_{power}) / size) ** 2`` for two
    groups, without the ``(1 + 1/ratio)`` factor for the paired design."""
    from scipy.stats import norm

    z = norm.ppf(1 - q.alpha / 2) + norm.ppf(q.power)
    factor = 1.0 if q.metric == "paired" else 1.0 + 1.0 / q.ratio
    return factor * (z / size) ** 2


def required_sample_size(question: PowerQuestion, lang: str = DEFAULT_LANGUAGE) -> int:
    """Participants needed in the intervention group for the wanted power (rounded up, at least 2)."""
    check_question(question, lang)
    return _required(question, effect_size(question), lang)


def _required(q: PowerQuestion, size: float, lang: str) -> int:
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower

    rough = _normal_approximation(q, size)
    if rough > MAX_N:
        raise InputError([Problem("target", translate(
            "targets.power.too_close", lang, n=format_number(rough, lang), limit=format_number(MAX_N, lang)),
            "too_close")])
    if q.metric == "proportion":
        solver = NormalIndPower()
        exact = solver.solve_power(effect_size=size, alpha=q.alpha, power=q.power, ratio=q.ratio)
    elif q.metric == "mean":
        exact = TTestIndPower().solve_power(effect_size=size, alpha=q.alpha, power=q.power, ratio=q.ratio)
    else:
        exact = TTestPower().solve_power(effect_size=size, alpha=q.alpha, power=q.power)
    value = float(np.asarray(exact).item())
    if not math.isfinite(value):  # the root finder gave up; the normal approximation is close enough
        value = rough
    # 1e-9: 63.000000000001 from the root finder is 63 participants, not 64.
    return max(2, math.ceil(value - 1e-9))


def _minimum_detectable(q: PowerQuestion, n: int) -> tuple[float | None, float, float | None]:
    """(mde in units, mde as effect size, level of the mde) for ``n`` participants."""
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower

    if q.metric == "proportion":
        size = float(NormalIndPower().solve_power(effect_size=None, nobs1=n, alpha=q.alpha, power=q.power,
                                                  ratio=q.ratio))
    elif q.metric == "mean":
        size = float(TTestIndPower().solve_power(effect_size=None, nobs1=n, alpha=q.alpha, power=q.power,
                                                 ratio=q.ratio))
    else:
        size = float(TTestPower().solve_power(effect_size=None, nobs=n, alpha=q.alpha, power=q.power))
    size = abs(size)
    direction = 1.0 if q.target > q.baseline else -1.0
    if q.metric == "proportion":
        angle = 2.0 * math.asin(math.sqrt(q.baseline)) + direction * size
        if not 0.0 <= angle <= math.pi:
            return None, size, None  # no share on that side is far enough from the baseline
        level = math.sin(angle / 2.0) ** 2
        return abs(level - q.baseline), size, level
    difference = size * _spread(q)
    return difference, size, q.baseline + direction * difference


def analyse_power(question: PowerQuestion, lang: str = DEFAULT_LANGUAGE) -> PowerAnswer:
    """Sample size for the target, and for a planned ``n`` its achieved power and MDE.

    >>> answer = analyse_power(PowerQuestion("mean", baseline=3.8, target=3.344, sd=3.8, n=500))
    >>> answer.n_per_group, round(answer.achieved_power, 3), round(answer.mde, 3), round(answer.mde_target, 3)
    (1092, 0.474, 0.674, 3.126)
    """
    check_question(question, lang)
    size = effect_size(question)
    needed = _required(question, size, lang)
    comparison = 0 if question.metric == "paired" else math.ceil(question.ratio * needed - 1e-9)
    achieved = mde = mde_size = mde_level = None
    if question.n is not None:
        achieved = float(np.clip(_power_of(question, size, question.n), 0.0, 1.0))
        mde, mde_size, mde_level = _minimum_detectable(question, question.n)
    return PowerAnswer(question, size, needed, comparison, achieved, mde, mde_size, mde_level)


def power_curve(question: PowerQuestion, lang: str = DEFAULT_LANGUAGE) -> PowerCurve:
    """Achieved power from 2 participants to well past the required (and the planned) group size.

    >>> curve = power_curve(PowerQuestion("mean", baseline=10, target=5, sd=10, n=40))
    >>> curve.required_n, curve.n[0], curve.power[curve.n.index(64)] >= 0.8 > curve.power[curve.n.index(63)]
    (64, 2, True)
    """
    answer = analyse_power(question, lang)
    top = max(int(answer.n_per_group * 2), int((question.n or 0) * 1.3), 10)
    points = np.unique(np.concatenate([
        np.linspace(2, top, _CURVE_POINTS).round().astype(int),
        [answer.n_per_group, answer.n_per_group - 1] + ([question.n] if question.n else []),
    ]))
    points = points[points >= 2]
    values = np.clip(np.asarray(_power_of(question, answer.effect_size, points.astype(float)), dtype=float), 0, 1)
    return PowerCurve(tuple(int(n) for n in points), tuple(float(p) for p in values), question.power,
                      answer.n_per_group, question.n)


def mde_text(answer: PowerAnswer, unit: str = "", lang: str = DEFAULT_LANGUAGE) -> str:
    """The minimum detectable effect as a person reads it: for a share in percentage points (a
    difference of two shares is not "0,059 personer"), else in the outcome's unit; "–" without one.

    >>> q = PowerQuestion(metric="proportion", baseline=0.30, target=0.40, n=150)
    >>> mde_text(analyse_power(q), "personer", "sv")  # h = 2,80 / sqrt(75) = 0,323 above 30 %: 45,6 %
    '15,6 procentenheter'
    >>> mde_text(analyse_power(PowerQuestion(metric="mean", baseline=12, target=10, sd=6, n=100)), "dagar", "en")
    '2.39 dagar'
    """
    if answer.mde is None:
        return "–"
    if answer.question.metric == "proportion":
        return translate("targets.stats.points", lang, value=format_number(answer.mde * 100, lang, 1))
    text = format_measure(answer.mde, lang)
    return f"{text} {unit}" if unit else text


def answer_to_json(answer: PowerAnswer) -> dict[str, object]:
    """The answer as the CLI prints it (shares 0..1, levels in the metric's units)."""
    q = answer.question
    result: dict[str, object] = {
        "metric": q.metric, "baseline": q.baseline, "target": q.target, "alpha": q.alpha, "power": q.power,
        "ratio": q.ratio, "effect_size": round(answer.effect_size, 6), "n_per_group": answer.n_per_group,
        "n_comparison": answer.n_comparison,
    }
    if q.sd is not None:
        result["sd"] = q.sd
    if q.metric == "paired":
        result["correlation"] = q.correlation
        result["sd_difference"] = round(_spread(q), 6)
    if q.n is not None:
        result["n"] = q.n
        result["achieved_power"] = None if answer.achieved_power is None else round(answer.achieved_power, 6)
        result["mde"] = None if answer.mde is None else round(answer.mde, 6)
        result["mde_effect_size"] = None if answer.mde_effect_size is None else round(answer.mde_effect_size, 6)
        result["mde_target"] = None if answer.mde_target is None else round(answer.mde_target, 6)
    return result
