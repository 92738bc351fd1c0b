"""The target design per outcome, the checks that speak plainly, and writing a design back into its scenario.

A :class:`TargetDesign` says, for one outcome of a scenario, what is counted and how (definition),
what the level is without the intervention (baseline with year and source), how "what would have
happened anyway" is measured (counterfactual method), the target, when the effect is expected and
for how long it is measured, what the outcome payer pays per outcome, and the statistical design
used to check that the target can be detected at all.

Units and conventions:

* ``baseline`` is the level without the intervention in the outcome's unit per participant and year
  (the scenario's convention), or a share 0..1 for ``metric == "proportion"``.
* ``target`` is a relative reduction 0..1 (``target_kind == "relative"``: 0.12 means 12 % fewer) or the
  level aimed for (``"absolute"``). Outcomes are things to reduce, as in the scenario.
* Times are in months: ``time_to_effect_months`` (from a participant's start until the full effect),
  ``measurement_window_months`` (how long outcomes are measured and paid after the start).
* ``price`` is SEK per measured outcome unit, as the scenario's ``contract.prices``.

A set of designs is saved as a versioned document of kind ``targets``
(format ``utfallskompassen.targets/1``, see :class:`TargetsDocument`).

>>> from engine.examples import load_example
>>> scenario = load_example("sjukfranvaro")
>>> design = default_design(scenario, 0)
>>> design.metric, design.counterfactual, round(design.target_level, 3), design.time_to_effect_months
('paired', 'before_after', 3.344, 12)
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from engine.errors import InputError, Problem
from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, format_probability, format_sek, translate
from engine.payers import payer_label
from engine.scenario import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    Scenario,
    parse_scenario,
    problem_from_pydantic,
    scenario_to_dict,
)
from engine.targets.power import DEFAULT_CORRELATION, MAX_N, PowerAnswer, PowerQuestion

FORMAT_ID = "utfallskompassen.targets/1"

COUNTERFACTUALS: tuple[str, ...] = ("randomised", "matched", "historical_trend", "before_after", "none")
DATA_SOURCES: tuple[str, ...] = ("register", "hr_system", "case_system", "survey", "other")
FREQUENCIES: tuple[str, ...] = ("month", "quarter", "half_year", "year")
#: From this deadweight a before-after comparison is flagged: much of the change would come anyway.
HIGH_DEADWEIGHT = 0.2
MAX_MONTHS = 240

_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_LENGTH)]
_Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NAME_LENGTH)]
_Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_LENGTH)]
_Open = Annotated[float, Field(gt=0.0, lt=1.0)]


class TargetDesign(BaseModel):
    """One outcome's effect target (see the module docstring for units). Build with
    :func:`parse_target_design` so the cross-field rules are checked."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)

    outcome: _Name
    counted: _Text = ""
    unit: _Short = ""
    data_source: Literal["register", "hr_system", "case_system", "survey", "other"] = "register"
    data_source_note: _Short = ""
    validated_by: _Short = ""
    frequency: Literal["month", "quarter", "half_year", "year"] = "year"
    baseline: Annotated[float, Field(ge=0.0)]
    baseline_year: Annotated[int, Field(ge=1990, le=2100)]
    baseline_source: _Text = ""
    counterfactual: Literal["randomised", "matched", "historical_trend", "before_after", "none"] = "before_after"
    target_kind: Literal["relative", "absolute"] = "relative"
    target: Annotated[float, Field(ge=0.0)]
    time_to_effect_months: Annotated[int, Field(ge=0, le=MAX_MONTHS)] = 0
    measurement_window_months: Annotated[int, Field(ge=1, le=MAX_MONTHS)] = 12
    price: Annotated[float, Field(ge=0.0)] | None = None
    metric: Literal["proportion", "mean", "paired"] = "mean"
    sd: Annotated[float, Field(gt=0.0)] | None = None
    correlation: Annotated[float, Field(gt=-1.0, lt=1.0)] = DEFAULT_CORRELATION
    alpha: _Open = 0.05
    power: _Open = 0.8
    planned_n: Annotated[int, Field(ge=2, le=MAX_N)] | None = None
    ratio: Annotated[float, Field(gt=0.0, le=100.0)] = 1.0

    @property
    def target_level(self) -> float:
        """The level aimed for, in the baseline's units."""
        if self.target_kind == "relative":
            return self.baseline * (1.0 - self.target)
        return self.target

    @property
    def relative_reduction(self) -> float:
        """The target as a relative reduction of the baseline (the scenario's ``effect``)."""
        if self.target_kind == "relative":
            return self.target
        return (self.baseline - self.target) / self.baseline if self.baseline > 0 else 0.0


class TargetsDocument(BaseModel):
    """The saved target designs of one scenario. ``scenario_ref`` is ``saved:<id>`` or ``example:<id>``."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)

    format: Literal["utfallskompassen.targets/1"]
    name: _Name
    scenario_ref: _Short = ""
    designs: Annotated[list[TargetDesign], Field(min_length=1)]


# --------------------------------------------------------------------------- parsing


def parse_target_design(data: dict[str, Any], lang: str = DEFAULT_LANGUAGE, path: str = "") -> TargetDesign:
    """Validate one design; problems carry paths such as ``target`` (or ``designs[0].target`` with ``path``)."""
    try:
        design = TargetDesign.model_validate(data)
    except ValidationError as exc:
        raise InputError([_prefixed(problem_from_pydantic(e, lang), path) for e in exc.errors()]) from None
    problems = [_prefixed(p, path) for p in _design_problems(design, lang)]
    if problems:
        raise InputError(problems)
    return design


def parse_targets_document(source: str | bytes | dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> TargetsDocument:
    """Validate a saved targets document (JSON text or decoded)."""
    data = json.loads(source) if isinstance(source, (str, bytes)) else source
    if not isinstance(data, dict) or data.get("format") != FORMAT_ID:
        raise InputError([Problem("format", translate("targets.design.format", lang, expected=FORMAT_ID), "format")])
    try:
        document = TargetsDocument.model_validate(data)
    except ValidationError as exc:
        raise InputError([problem_from_pydantic(e, lang) for e in exc.errors()]) from None
    problems = [_prefixed(p, f"designs[{i}]") for i, d in enumerate(document.designs) for p in _design_problems(d, lang)]
    if problems:
        raise InputError(problems)
    return document


def targets_to_dict(document: TargetsDocument) -> dict[str, Any]:
    return document.model_dump(mode="json", exclude_none=True)


def design_to_dict(design: TargetDesign) -> dict[str, Any]:
    return design.model_dump(mode="json", exclude_none=True)


def _prefixed(problem: Problem, path: str) -> Problem:
    if not path:
        return problem
    return Problem(f"{path}.{problem.path}" if problem.path else path, problem.message, problem.code)


def _design_problems(d: TargetDesign, lang: str) -> list[Problem]:
    problems: list[Problem] = []

    def add(field: str, code: str, **params: object) -> None:
        problems.append(Problem(field, translate(f"targets.design.{code}", lang, **params), code))

    if d.target_kind == "relative" and d.target > 1.0:
        add("target", "relative_above_one", value=format_percent(d.target, lang))
    if d.metric == "proportion":
        if not 0.0 < d.baseline < 1.0:
            add("baseline", "proportion_range", value=format_number(d.baseline, lang, 3))
        elif d.target_kind == "absolute" and not 0.0 < d.target < 1.0:
            add("target", "proportion_range", value=format_number(d.target, lang, 3))
    elif d.sd is None:
        add("sd", "sd_missing")
    if d.baseline == 0.0 and d.target_kind == "relative":
        add("baseline", "baseline_zero")
    elif not problems and math.isclose(d.target_level, d.baseline, rel_tol=1e-12, abs_tol=1e-12):
        add("target", "no_change")
    if d.power <= d.alpha:
        add("power", "power_not_above_alpha")
    return problems


# --------------------------------------------------------------------------- from a scenario


def with_defaults(data: Mapping[str, Any]) -> dict[str, Any]:
    """A design as data with every field it leaves out at the model's default, so a form can start
    from it (a saved design of an older version may lack fields added since).

    >>> with_defaults({"outcome": "x"})["counterfactual"], with_defaults({"metric": "paired"})["metric"]
    ('before_after', 'paired')
    """
    defaults = {name: info.default for name, info in TargetDesign.model_fields.items() if not info.is_required()}
    return defaults | dict(data)


def default_design(scenario: Scenario, index: int) -> TargetDesign:
    """A starting design for ``scenario.outcomes[index]`` from what the scenario already says.

    Baseline and target from ``baseline`` and ``effect`` (10 % when the effect is 0), price from
    ``contract.prices``; time to effect = the year the effect profile first peaks (12 months per year);
    measurement window = the payment window or the contract years. Counterfactual ``before_after``
    (the common Swedish practice, and the checks say what it costs). Statistics: a share (0 < baseline
    < 1) is a ``proportion``; otherwise a ``paired`` before-after mean with the assumption sd = baseline
    (a coefficient of variation of 1, typical of days per person and year). Planned n = all participants.
    """
    outcome = scenario.outcomes[index]
    effect = outcome.effect if outcome.effect > 0 else 0.1
    proportion = 0.0 < outcome.baseline < 1.0
    profile = outcome.effect_profile
    peak = profile.index(max(profile))
    contract = scenario.contract
    if contract is not None and contract.payment_window is not None:
        window_years = contract.payment_window[1] - contract.payment_window[0] + 1
    else:
        window_years = scenario.contract_years
    participants = max(2, min(MAX_N, round(sum(scenario.intake))))
    return parse_target_design({
        "outcome": outcome.name, "counted": outcome.name, "unit": outcome.unit,
        "baseline": float(outcome.baseline) if outcome.baseline > 0 else 1.0, "baseline_year": scenario.price_year,
        "target": float(effect), "time_to_effect_months": 12 * peak,
        "measurement_window_months": min(MAX_MONTHS, 12 * window_years),
        **({"price": float(contract.prices[outcome.name])}
           if contract is not None and outcome.name in contract.prices else {}),
        "metric": "proportion" if proportion else "paired",
        **({} if proportion else {"sd": float(outcome.baseline) if outcome.baseline > 0 else 1.0}),
        "planned_n": participants,
    })


def power_question(design: TargetDesign) -> PowerQuestion:
    """The statistical question a design asks (planned n in the intervention group)."""
    return PowerQuestion(design.metric, design.baseline, design.target_level, design.sd, design.alpha, design.power,
                         design.planned_n, design.ratio, design.correlation)


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    """A warning about a design: ``code`` names it, ``params`` are already formatted for the message."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return translate(f"targets.check.{self.code}", lang, **dict(self.params))


def outcome_payer(scenario: Scenario) -> str | None:
    """Who pays for outcomes: ``contract.outcome_payer``, else the payer of the first delivery cost."""
    if scenario.contract is not None and scenario.contract.outcome_payer:
        return scenario.contract.outcome_payer
    return next((c.payer for c in scenario.costs if c.kind == "delivery"), None)


def target_checks(design: TargetDesign, scenario: Scenario, answer: PowerAnswer | None,
                  lang: str = DEFAULT_LANGUAGE) -> tuple[Check, ...]:
    """Every check that fails, in the order a procurer should read them:

    * ``not_detectable``: the planned group does not reach the wanted power;
    * ``no_counterfactual``: nothing measures what would have happened anyway;
    * ``before_after_deadweight``: a before-after comparison where the scenario expects
      ``HIGH_DEADWEIGHT`` or more of the change to come anyway;
    * ``window_too_short``: the measurement window ends before the full effect is expected
      (Norrköping's 2-year window showed no savings; 3 years did);
    * ``price_above_value``: the price per outcome is above what an outcome is worth to the payer,
      ``values[payer] * (1 - optimism_bias)``.
    """
    checks: list[Check] = []
    if answer is not None and answer.detectable is False:
        checks.append(Check("not_detectable", (
            ("n", format_number(answer.question.n or 0, lang)),
            ("power", format_probability(answer.achieved_power or 0.0, lang)),
            ("wanted", format_percent(answer.question.power, lang, 0)),
            ("needed", format_number(answer.n_per_group, lang)),
            ("mde", "–" if answer.mde is None else format_number(answer.mde, lang, _decimals(answer.mde))),
            ("unit", design.unit))))
    outcome = next((o for o in scenario.outcomes if o.name == design.outcome), None)
    if design.counterfactual == "none":
        checks.append(Check("no_counterfactual"))
    elif design.counterfactual == "before_after" and outcome is not None and outcome.deadweight >= HIGH_DEADWEIGHT:
        checks.append(Check("before_after_deadweight", (("deadweight", format_percent(outcome.deadweight, lang)),)))
    if design.measurement_window_months < design.time_to_effect_months:
        checks.append(Check("window_too_short", (("window", str(design.measurement_window_months)),
                                                 ("effect", str(design.time_to_effect_months)))))
    payer = outcome_payer(scenario)
    if design.price is not None and outcome is not None and payer is not None and payer in outcome.values:
        value = outcome.values[payer] * (1.0 - scenario.optimism_bias)
        if design.price > value:
            checks.append(Check("price_above_value", (
                ("price", format_sek(design.price, lang)), ("value", format_sek(value, lang)),
                ("payer", payer_label(payer, lang)))))
    return tuple(checks)


def _decimals(value: float) -> int:
    return 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 3


# --------------------------------------------------------------------------- writing back


@dataclass(frozen=True)
class WriteBack:
    """The scenario with the targets written in, and the outcomes whose price had nowhere to go
    (the scenario has no contract block)."""

    scenario: Scenario
    unpriced: tuple[str, ...]


def effect_profile_for(old: list[float], time_to_effect_months: int, window_months: int, horizon: int) -> list[float]:
    """A new effect profile: a linear ramp-up over the time to effect, then the old profile's shape from
    its peak on (so a fade-out is kept), long enough for the old duration and the measurement window.

    Ramp-up: with ``y = ceil(months / 12)`` years to full effect, year ``j < y`` gets ``(j + 1) / (y + 1)``.

    >>> effect_profile_for([0.67, 1.0, 1.0], 12, 36, 15)
    [0.5, 1.0, 1.0]
    >>> effect_profile_for([1.0, 0.8, 0.4], 24, 60, 15)  # 2 years to full effect, 5-year window
    [0.333333, 0.666667, 1.0, 0.8, 0.4]
    >>> effect_profile_for([1.0], 0, 36, 2)  # never past the horizon
    [1.0, 1.0]
    """
    years_to_full = math.ceil(time_to_effect_months / 12)
    peak_value = max(old) if old and max(old) > 0 else 1.0
    peak = old.index(max(old)) if old else 0
    tail = [round(v / peak_value, 6) for v in old[peak:]] or [1.0]
    ramp = [round((j + 1) / (years_to_full + 1), 6) for j in range(years_to_full)]
    profile = ramp + tail
    while len(profile) < len(old):
        profile.insert(len(ramp), 1.0)
    while len(profile) < math.ceil(window_months / 12):
        profile.append(profile[-1])
    return profile[:horizon]


def write_back(scenario: Scenario, designs: list[TargetDesign] | tuple[TargetDesign, ...],
               lang: str = DEFAULT_LANGUAGE) -> WriteBack:
    """A new, validated scenario with each design's effect, effect range, effect profile and price.

    * ``effect`` = the design's relative reduction;
    * ``effect_range`` is kept when it still contains the new effect, otherwise widened just enough to
      contain it (no range stays no range: the design says nothing about the spread);
    * ``effect_profile`` from :func:`effect_profile_for`;
    * ``contract.prices[outcome]`` = the price (outcomes without a price keep theirs; without a contract
      block the price is reported in ``unpriced`` instead).

    Raises :class:`~engine.errors.InputError` (paths such as ``outcomes[0].effect``) when the result is
    not a valid scenario, e.g. a target above the baseline (an increase, where the scenario expects a
    reduction).
    """
    data = scenario_to_dict(scenario)
    names = [o["name"] for o in data.get("outcomes", [])]
    unpriced: list[str] = []
    problems: list[Problem] = []
    for i, design in enumerate(designs):
        if design.outcome not in names:
            problems.append(Problem(f"designs[{i}].outcome", translate(
                "targets.design.unknown_outcome", lang, name=design.outcome), "unknown_outcome"))
            continue
        outcome = data["outcomes"][names.index(design.outcome)]
        effect = round(design.relative_reduction, 6)
        outcome["effect"] = effect
        if "effect_range" in outcome:
            low, high = outcome["effect_range"]
            outcome["effect_range"] = [min(low, effect), max(high, effect)]
        outcome["effect_profile"] = effect_profile_for(list(outcome.get("effect_profile", [1.0])),
                                                       design.time_to_effect_months,
                                                       design.measurement_window_months, scenario.horizon_years)
        if design.price is not None:
            if "contract" in data:
                data["contract"].setdefault("prices", {})[design.outcome] = design.price
            else:
                unpriced.append(design.outcome)
    if problems:
        raise InputError(problems)
    return WriteBack(parse_scenario(data, lang), tuple(unpriced))
