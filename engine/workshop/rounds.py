"""Estimate rounds: which input of the workshop's scenario a round asks about, in what unit and
within what bounds, and how the group's pooled range goes back into the scenario.

A round asks about one of three inputs of an outcome:

* ``effect``: the relative reduction (a share 0..1, typed in per cent); the pooled range becomes
  the outcome's ``effect`` (most likely) and ``effect_range`` (low, high), which the Monte Carlo
  draws from.
* ``value``: SEK per avoided unit to one budget holder; the most likely value becomes
  ``values[payer]``. The scenario has one range for all values together (a factor around 1 in
  ``uncertainty.value_range``), so the group's low and high widen that range as factors of the
  most likely value, never narrow it.
* ``duration``: the years the effect lasts (the length of ``effect_profile``). The most likely
  length becomes the profile's length with its ramp-up and fade-out kept where the profile has
  that shape; the model has no range for it, so low and high stay in the source's text.

Every adoption gives each field it changed the workshop as its source (replacing that field's
earlier sources), so the scenario never cites an old source for a figure the workshop set: an
effect's ``effect`` and ``effect_range``, a value and the common ``value_range`` when it widened,
a duration's ``effect_profile``.

>>> from engine.examples import load_example
>>> scenario = load_example("ips")
>>> quantity = round_quantity(scenario, RoundTarget("effect", 0))
>>> quantity.unit, quantity.minimum, quantity.maximum
('share', 0.0, 1.0)
>>> adopted = adopt_pooled(scenario, RoundTarget("effect", 0), 0.1, 0.2, 0.35, "Workshopskattning")
>>> adopted.outcomes[0].effect, adopted.outcomes[0].effect_range
(0.2, [0.1, 0.35])
>>> [s.field for s in adopted.sources if s.text == "Workshopskattning"]
['outcomes[0].effect', 'outcomes[0].effect_range']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.i18n import format_number, format_percent
from engine.numbers import decimals_of
from engine.savings.narrative import build_effect_profile, describe_effect_profile
from engine.scenario import LARGEST_AMOUNT, MAX_HORIZON_YEARS, Scenario, Source, Uncertainty

#: What a round may ask about.
ROUND_KINDS: tuple[str, ...] = ("effect", "value", "duration")


class TargetGone(ValueError):
    """The round's outcome or budget holder is no longer in the scenario (it was edited since)."""


@dataclass(frozen=True)
class RoundTarget:
    """What a round estimates: an outcome's ``effect`` (share 0..1), its ``value`` per unit to budget
    holder ``payer`` (SEK), or the ``duration`` of its effect (years). ``outcome`` is its index."""

    kind: str
    outcome: int
    payer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "outcome": self.outcome, "payer": self.payer}

    @staticmethod
    def from_dict(raw: Mapping[str, Any]) -> RoundTarget:
        return RoundTarget(str(raw["kind"]), int(raw["outcome"]), raw.get("payer"))

    def is_well_formed(self) -> bool:
        """Kind known, index not negative, and a budget holder exactly when the kind is ``value``.

        >>> RoundTarget("value", 0, "kommun").is_well_formed(), RoundTarget("effect", 0, "kommun").is_well_formed()
        (True, False)
        """
        return self.kind in ROUND_KINDS and self.outcome >= 0 and (self.kind == "value") == (self.payer is not None)

    def is_share(self) -> bool:
        """Whether the round asks for a share 0..1, typed and shown in per cent (an effect).

        >>> RoundTarget("effect", 0).is_share(), RoundTarget("duration", 0).is_share()
        (True, False)
        """
        return self.kind == "effect"

    def field_path(self) -> str:
        """The scenario field the round sets, as sources name it.

        >>> RoundTarget("value", 1, "region").field_path()
        'outcomes[1].values.region'
        """
        return {"effect": f"outcomes[{self.outcome}].effect",
                "value": f"outcomes[{self.outcome}].values.{self.payer}",
                "duration": f"outcomes[{self.outcome}].effect_profile"}[self.kind]


@dataclass(frozen=True)
class Quantity:
    """The input a round asks about, as the scenario has it now."""

    target: RoundTarget
    outcome_name: str
    outcome_unit: str
    current: float
    minimum: float
    maximum: float
    #: "share" (typed in per cent), "sek" (per unit of the outcome) or "years".
    unit: str


def figure_text(value: float, unit: str, lang: str) -> str:
    """A figure of a round as people read it, with every decimal it has and none it lacks, so what
    a participant typed is never shown rounded: a share (``unit`` "share") in per cent, kronor
    ("sek") as an amount, years as a bare number.

    >>> figure_text(0.0015, "share", "sv"), figure_text(0.4, "share", "en"), figure_text(0.355, "share", "sv")
    ('0,15\xa0%', '40%', '35,5\xa0%')
    >>> figure_text(1500.5, "sek", "sv"), figure_text(1200, "sek", "en"), figure_text(2.5, "years", "sv")
    ('1\xa0500,5 kr', 'SEK 1,200', '2,5')
    """
    if unit == "share":
        return format_percent(value, lang, decimals_of(value * 100))
    if unit == "sek":
        amount = format_number(value, lang, decimals_of(value))
        return f"{amount} kr" if lang == "sv" else f"SEK {amount}"
    return format_number(value, lang, decimals_of(value))


def looks_typed_as_a_fraction(quantity: Quantity, low: float, most_likely: float, high: float) -> bool:
    """Whether an estimate of a share in per cent looks typed as a fraction: all three figures at
    most 1 % (not all 0) while the scenario's own value is above 1 %. Someone who types 0,15 next to
    a scenario at 40 % most likely meant 15 %. Only a hint: the estimate is kept as typed.

    >>> from engine.examples import load_example
    >>> effect = round_quantity(load_example("ips"), RoundTarget("effect", 0))
    >>> effect.current
    0.4
    >>> looks_typed_as_a_fraction(effect, 0.0015, 0.0025, 0.0035), looks_typed_as_a_fraction(effect, 0.15, 0.25, 0.35)
    (True, False)
    >>> looks_typed_as_a_fraction(effect, 0.0, 0.0, 0.0), looks_typed_as_a_fraction(effect, 0.0, 0.005, 0.02)
    (False, False)
    """
    figures = (low, most_likely, high)
    return (quantity.unit == "share" and quantity.current > 0.01 and max(figures) > 0
            and all(0 <= f <= 0.01 for f in figures))


def round_targets(scenario: Scenario) -> list[RoundTarget]:
    """Everything a round can ask about in this scenario, outcome by outcome.

    >>> from engine.examples import load_example
    >>> [t.kind for t in round_targets(load_example("ips"))][:3]
    ['effect', 'value', 'value']
    """
    targets: list[RoundTarget] = []
    for index, outcome in enumerate(scenario.outcomes):
        targets.append(RoundTarget("effect", index))
        targets += [RoundTarget("value", index, payer) for payer in outcome.values]
        targets.append(RoundTarget("duration", index))
    return targets


def round_quantity(scenario: Scenario, target: RoundTarget) -> Quantity:
    """The input ``target`` names, with its current figure and bounds (TargetGone if it is not there)."""
    if not target.is_well_formed() or target.outcome >= len(scenario.outcomes):
        raise TargetGone(target.field_path() if target.is_well_formed() else "target")
    outcome = scenario.outcomes[target.outcome]
    if target.kind == "effect":
        return Quantity(target, outcome.name, outcome.unit, outcome.effect, 0.0, 1.0, "share")  # is_share()
    if target.kind == "value":
        if target.payer not in outcome.values:
            raise TargetGone(target.field_path())
        return Quantity(target, outcome.name, outcome.unit, outcome.values[str(target.payer)], 0.0, LARGEST_AMOUNT,
                        "sek")
    return Quantity(target, outcome.name, outcome.unit, float(len(outcome.effect_profile)), 1.0,
                    float(MAX_HORIZON_YEARS), "years")


def adopt_pooled(scenario: Scenario, target: RoundTarget, low: float, most_likely: float, high: float,
                 source_text: str) -> Scenario:
    """The scenario with the group's range in the input ``target`` names, and ``source_text`` as the
    source of every field that changed (replacing the earlier sources of those fields; see the
    module's docstring).

    >>> from engine.examples import load_example
    >>> scenario = load_example("ips")
    >>> payer = next(iter(scenario.outcomes[0].values))
    >>> adopted = adopt_pooled(scenario, RoundTarget("value", 0, payer), 800, 1000, 1500, "Workshop")
    >>> adopted.outcomes[0].values[payer], adopted.uncertainty.value_range[1] >= 1.5
    (1000.0, True)
    >>> adopt_pooled(scenario, RoundTarget("duration", 0), 2, 4, 6, "Workshop").outcomes[0].effect_profile
    [1.0, 1.0, 1.0, 1.0]
    """
    quantity = round_quantity(scenario, target)
    if not quantity.minimum <= low <= most_likely <= high <= quantity.maximum:
        raise ValueError("range")
    outcomes = list(scenario.outcomes)
    outcome = outcomes[target.outcome]
    update: dict[str, Any] = {}
    changed = [target.field_path()]
    if target.kind == "effect":
        outcomes[target.outcome] = outcome.model_copy(update={"effect": most_likely, "effect_range": [low, high]})
        changed.append(f"outcomes[{target.outcome}].effect_range")
    elif target.kind == "value":
        values = dict(outcome.values) | {str(target.payer): most_likely}
        outcomes[target.outcome] = outcome.model_copy(update={"values": values})
        update["uncertainty"] = _widened_value_range(scenario.uncertainty, low, most_likely, high)
        before = scenario.uncertainty.value_range if scenario.uncertainty else None
        if update["uncertainty"].value_range != before:
            changed.append("uncertainty.value_range")
    else:
        outcomes[target.outcome] = outcome.model_copy(
            update={"effect_profile": _profile_of_length(outcome.effect_profile, round(most_likely))})
    sources = [s for s in scenario.sources if s.field not in changed] + [Source(field=path, text=source_text)
                                                                         for path in changed]
    return Scenario.model_validate(scenario.model_copy(update={"outcomes": outcomes, "sources": sources, **update})
                                   .model_dump())


def _widened_value_range(current: Uncertainty | None, low: float, most_likely: float, high: float) -> Uncertainty:
    """The values' common range, widened to hold the group's low and high as factors of its most
    likely value (a most likely value of 0 leaves it as it was).

    >>> _widened_value_range(None, 50, 100, 120).value_range
    [0.5, 1.2]
    """
    spread = current or Uncertainty()
    old_low, old_high = spread.value_range or (1.0, 1.0)
    if most_likely <= 0:
        return spread
    new = [round(min(old_low, low / most_likely), 4), round(max(old_high, high / most_likely), 4)]
    return spread.model_copy(update={"value_range": new})


def _profile_of_length(profile: list[float], years: int) -> list[float]:
    """``profile`` made ``years`` long, keeping its ramp-up and fade-out when it has that shape and
    they fit; otherwise the full effect for ``years`` years.

    >>> _profile_of_length([0.5, 1.0, 1.0, 0.5], 6)
    [0.5, 1.0, 1.0, 1.0, 1.0, 0.5]
    >>> _profile_of_length([0.3, 0.9], 3)
    [1.0, 1.0, 1.0]
    """
    years = max(1, min(years, MAX_HORIZON_YEARS))
    shape = describe_effect_profile(profile)
    if shape is not None:
        ramp, _, fade = shape
        if ramp + fade < years:
            return build_effect_profile(ramp, years - ramp - fade, fade)
    return [1.0] * years
