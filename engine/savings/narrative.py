"""Results in plain words, and the effect profile built the way people describe it.

The headline answers the question behind the whole product in one breath: what the effort is
worth within the contract, over the horizon, how much of the benefit comes after the contract
has ended, and which budget holder gets most of it.

>>> from engine.scenario import parse_scenario
>>> from engine.savings.model import project_savings
>>> scenario = parse_scenario({
...     "format": "utfallskompassen.scenario/1", "name": "Exempel", "price_year": 2025,
...     "discount_rate": 0.0, "horizon_years": 3, "contract_years": 1, "intake": [10],
...     "costs": [{"name": "Insats", "payer": "kommun", "per_participant": 1000}],
...     "outcomes": [{"name": "Dagar", "baseline": 10, "effect": 0.5, "effect_profile": [1, 1, 1],
...                   "values": {"stat": 100}}]})
>>> print(savings_headline(project_savings(scenario), "sv").replace("\\xa0", " "))  # no-break spaces shown as spaces
Inom avtalsperioden: −5 000 kr. Över 3 år: +5 000 kr. 67 % av nyttan kommer efter avtalets slut. 100 % av nyttan hamnar hos staten, som inte betalar något.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.i18n import DEFAULT_LANGUAGE, format_percent, format_probability, format_sek, translate
from engine.payers import payer_in_sentence
from engine.savings.model import SavingsProjection
from engine.savings.uncertainty import SavingsSimulation
from engine.scenario import Scenario

#: Below this, amounts read better in kronor than in millions.
_MILLION_THRESHOLD = 1_000_000


def signed_amount(value: float, lang: str = DEFAULT_LANGUAGE, *, beside: Iterable[float] = ()) -> str:
    """An amount with an explicit sign, in millions when it is large.

    >>> signed_amount(8_400_000, "sv"), signed_amount(-2_100_000, "en"), signed_amount(0, "sv")
    ('+8,4 mnkr', 'SEK −2.1 m', '0 kr')

    Amounts read together (``beside``: the others of a sentence or a row of figures) share one
    unit, millions when any of them is large, so that they compare at a glance:

    >>> signed_amount(-904_109, "sv"), signed_amount(-904_109, "sv", beside=[3_200_000])
    ('−904\xa0109 kr', '−0,9 mnkr')
    """
    if abs(value) < 0.5:  # rounds to zero kronor: no sign
        return format_sek(0, lang)
    unit = "mnkr" if max([abs(value), *(abs(v) for v in beside)]) >= _MILLION_THRESHOLD else "kr"
    sign = "+" if value > 0 else "\u2212"
    text = format_sek(abs(value), lang, unit=unit)
    # The sign goes on the number, as format_sek does: "SEK −2.1 m", "−2,1 mnkr".
    return text.replace("SEK ", "SEK " + sign, 1) if text.startswith("SEK ") else sign + text


def savings_headline(projection: SavingsProjection, lang: str = DEFAULT_LANGUAGE) -> str:
    """Two to four short sentences summarising a projection (amounts are present values)."""
    parts = [
        translate("narrative.within_contract", lang,
                  amount=signed_amount(projection.npv_within_contract, lang, beside=[projection.npv])),
        translate("narrative.over_horizon", lang, years=len(projection.years),
                  amount=signed_amount(projection.npv, lang, beside=[projection.npv_within_contract])),
    ]
    if projection.benefit_share_after_contract is not None and len(projection.years) > projection.contract_years:
        parts.append(translate("narrative.after_contract", lang,
                               share=format_percent(projection.benefit_share_after_contract, lang, 0)))
    if projection.pv_benefits > 0 and projection.pv_benefits_by_payer:
        top = max(projection.pv_benefits_by_payer, key=projection.pv_benefits_by_payer.__getitem__)
        share = projection.pv_benefits_by_payer[top] / projection.pv_benefits
        paid = projection.pv_costs_by_payer.get(top, 0.0)
        key = "narrative.top_beneficiary_pays_nothing" if paid <= 0 else "narrative.top_beneficiary_pays"
        cost_share = paid / projection.pv_costs if projection.pv_costs > 0 else 0.0
        parts.append(translate(key, lang, share=format_percent(share, lang, 0), payer=payer_in_sentence(top, lang),
                               cost_share=format_percent(cost_share, lang, 0)))
    return " ".join(parts)


def uncertainty_sentence(simulation: SavingsSimulation, lang: str = DEFAULT_LANGUAGE) -> str:
    """The Monte Carlo result in words: chance of paying off, and the 80 % range of the NPV."""
    return translate(
        "narrative.uncertainty", lang,
        p_contract=format_probability(simulation.p_break_even_within_contract, lang),
        p_horizon=format_probability(simulation.p_break_even_within_horizon, lang),
        years=len(simulation.years),
        p_positive=format_probability(simulation.p_npv_positive, lang),
        low=signed_amount(simulation.npv_p10, lang, beside=[simulation.npv_p90]),
        high=signed_amount(simulation.npv_p90, lang, beside=[simulation.npv_p10]),
    )


def missing_parts(scenario: Scenario) -> tuple[str, ...]:
    """What a scenario still lacks before its result means anything, as codes in the order to add them:
    ``outcomes`` (no outcome), ``values`` (outcomes, but none is worth anything to anyone), ``costs``
    (no cost). An empty tuple: the result can be read.

    >>> from engine.scenario import blank_scenario
    >>> missing_parts(blank_scenario("Tom"))
    ('outcomes', 'costs')
    """
    parts = []
    if not scenario.outcomes:
        parts.append("outcomes")
    elif not any(value for outcome in scenario.outcomes for value in outcome.values.values()):
        parts.append("values")
    if not scenario.costs:
        parts.append("costs")
    return tuple(parts)


def missing_sentence(parts: tuple[str, ...], lang: str = DEFAULT_LANGUAGE) -> str:
    """What to add, in words (see :func:`missing_parts`).

    >>> missing_sentence(("outcomes", "costs"), "sv")
    'Lägg till minst ett utfall och minst en kostnad, så räknar sidan ut vad insatsen ger och när den går jämnt ut.'
    """
    items = [translate(f"narrative.missing.{part}", lang) for part in parts]
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + translate("narrative.and", lang) + items[-1]
    return translate("narrative.missing", lang, items=joined)


def expected_vs_simulated(lang: str = DEFAULT_LANGUAGE) -> str:
    """The one sentence, the same on every page, on why the headline (the expected case) and the
    simulations' median and mean differ, and which to quote.

    >>> expected_vs_simulated("en").startswith("The headline amount is the expected case")
    True
    """
    return translate("narrative.expected_vs_simulated", lang)


def build_effect_profile(ramp_up_years: int, full_years: int, fade_out_years: int) -> list[float]:
    """The share of the full effect in each year after intake, from how people describe it.

    The effect rises in equal steps during ``ramp_up_years``, stays at 1 for ``full_years`` and
    falls in equal steps during ``fade_out_years``; after that it is gone. Values are rounded to
    two decimals so that they read well in a file.

    >>> build_effect_profile(1, 2, 4)
    [0.5, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2]
    >>> build_effect_profile(0, 3, 0)
    [1.0, 1.0, 1.0]
    >>> build_effect_profile(0, 0, 0)
    [0.0]
    """
    ramp = [round((i + 1) / (ramp_up_years + 1), 2) for i in range(ramp_up_years)]
    fade = [round((fade_out_years - i) / (fade_out_years + 1), 2) for i in range(fade_out_years)]
    profile = ramp + [1.0] * full_years + fade
    return profile or [0.0]


def describe_effect_profile(profile: list[float]) -> tuple[int, int, int] | None:
    """The (ramp-up, full, fade-out) years that rebuild ``profile`` exactly, or None if no such
    description exists (the profile was edited by hand).

    >>> describe_effect_profile([0.5, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2])
    (1, 2, 4)
    >>> describe_effect_profile([0.3, 0.9]) is None
    True
    """
    length = len(profile)
    for ramp in range(length + 1):
        for fade in range(length - ramp + 1):
            full = length - ramp - fade
            if build_effect_profile(ramp, full, fade) == [round(v, 2) for v in profile]:
                return ramp, full, fade
    return None
