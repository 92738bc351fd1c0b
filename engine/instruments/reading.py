"""The instrument results in plain words and as table rows, in the user's language."""

from __future__ import annotations

from typing import Any

from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, format_probability, format_sek, translate
from engine.instruments.results import ContractWarning, InstrumentComparison, InstrumentOutcome


def risk_reading(comparison: InstrumentComparison, instrument: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """One sentence on how much of the public sector's risk remains under ``instrument``: the
    spread (std) of the public NPV as a share of its spread under traditional procurement.

    >>> from engine.instruments.comparison import compare_instruments
    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [10],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "effect_range": [0.2, 0.8],
    ...                   "values": {"kommun": 200}}],
    ...     "contract": {"instrument": "social_outcomes_contract", "prices": {"o": 100}}})
    >>> risk_reading(compare_instruments(s, draws=500), "social_outcomes_contract", "sv")
    'Med socialt utfallskontrakt (SIB) bär offentlig sektor 50\xa0% av risken jämfört med traditionell upphandling.'
    """
    outcome = comparison.instruments[instrument]
    name = translate(f"instruments.name.{instrument}", lang)
    name = name[0].lower() + name[1:]  # mid-sentence; the acronyms (SIB, IOP) keep their capitals
    if outcome.risk_share is None:
        return translate("instruments.reading.no_spread", lang, instrument=name)
    if instrument == "traditional_procurement":
        return translate("instruments.reading.traditional", lang)
    return translate("instruments.reading.risk_share", lang, instrument=name,
                     share=format_percent(outcome.risk_share, lang, 0))


#: Parties that are public money themselves: under these instruments the public sector's result
#: already includes them, so the reading says how the public result is split, not who bears "the rest".
_PUBLIC_PARTIES = frozenset({"ordering_budget", "providing_unit", "fund"})


def parties_reading(comparison: InstrumentComparison, instrument: str, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """One sentence on who carries what the public sector does not under ``instrument``: each
    other party's expected result (PV mean, + = gains) and probability of a loss. For the fund
    and the internal outcomes contract those parties are public money, so the sentence says how
    the public result is split instead; when the public sector bears more risk than under
    traditional procurement, it says who else has money at stake. None when no other party has anything at stake (the
    provider under traditional or reserved procurement is paid its costs as they arise).

    >>> from engine.instruments.comparison import compare_instruments
    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [10],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "values": {"kommun": 200}}],
    ...     "contract": {"instrument": "social_outcomes_contract", "prices": {"o": 100}}})
    >>> c = compare_instruments(s, draws=10)
    >>> parties_reading(c, "social_outcomes_contract", "sv")  # 50 units * 100 kr - 10 000 kr
    'Resten bär investeraren (förväntat −5\xa0000 kr, 100\xa0% risk för förlust).'
    >>> parties_reading(c, "traditional_procurement", "sv") is None
    True
    """
    outcome = comparison.instruments[instrument]
    at_stake = {party: summary for party, summary in outcome.parties.items()
                if summary.std > 0 or abs(summary.mean) >= 0.5}
    if not at_stake:
        return None
    within_public = set(at_stake) <= _PUBLIC_PARTIES
    item_key = "instruments.reading.party_share" if within_public else "instruments.reading.party_rest"
    items = [translate(item_key, lang, party=translate(f"instruments.party_subject.{party}", lang),
                       mean=_signed(summary.mean, lang), p_loss=format_probability(summary.p_loss, lang))
             for party, summary in at_stake.items()]
    joined = items[0] if len(items) == 1 else (
        ", ".join(items[:-1]) + translate("instruments.reading.and", lang) + items[-1])
    if within_public:
        sentence = "instruments.reading.within_public"
    elif outcome.risk_share is not None and outcome.risk_share > 1.0 + 1e-9:
        sentence = "instruments.reading.also"  # the public bears more than all of it: there is no "rest"
    else:
        sentence = "instruments.reading.rest"
    return translate(sentence, lang, parties=joined)


def amount_unit(amount: float) -> str:
    return "mnkr" if abs(amount) >= 1_000_000 else "kr"


def _signed(amount: float, lang: str) -> str:
    """An amount with an explicit + for gains (a minus sign comes from the formatter)."""
    text = format_sek(amount, lang, unit=amount_unit(amount))
    return ("+" + text) if amount > 0 and not text.startswith("0") else text


def describe_warning(warning: ContractWarning, lang: str = DEFAULT_LANGUAGE) -> str:
    """The warning in plain words in ``lang`` (amounts in kronor, shares in percent).

    >>> describe_warning(ContractWarning("cap_reached", {"cap": 5000000, "year": 3}), "en")
    'The cap of SEK 5,000,000 is reached already in year 3 in the expected case: better outcomes after that earn the provider nothing more.'
    """
    params: dict[str, Any] = {}
    for name, value in warning.params.items():
        if name in ("price", "value", "cap"):
            params[name] = format_sek(value, lang)
        elif name in ("payments", "value_total"):
            params[name] = format_sek(value, lang, unit=amount_unit(value))
        elif name in ("threshold", "expected", "deadweight", "required"):
            params[name] = format_percent(value, lang)
        elif name == "share":
            params[name] = format_percent(value, lang, 0)
        elif name == "multiple":
            params[name] = format_number(value, lang, 2)
        elif name == "irr":
            params[name] = translate("instruments.irr_undefined", lang) if value is None else format_percent(value, lang)
        else:
            params[name] = value
    return translate(f"instruments.warning.{warning.code}", lang, **params)



def investor_over_draws(outcome: InstrumentOutcome, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The social outcomes contract's investor over every simulated draw, in one sentence: the
    median IRR with total losses counted, and how often the investor gets nothing back. None
    when the comparison has no investor figures.

    >>> from engine.instruments.results import Summary
    >>> import numpy as np
    >>> summary = Summary(0, 0, 0, 0, 0, 0)
    >>> outcome = InstrumentOutcome("social_outcomes_contract", summary, None, {}, 0.0, np.zeros(1),
    ...                             investor_irr_p50=-0.247, p_investor_irr_defined=1.0, p_investor_total_loss=0.42)
    >>> investor_over_draws(outcome, "sv")
    'Över alla simulerade utfall är investerarens medianavkastning −24,7\\xa0% per år (total förlust räknad som −100 %); i 42\\xa0% av dem får investeraren ingenting tillbaka.'
    """
    if outcome.p_investor_total_loss is None or outcome.investor_irr_p50 is None:
        return None
    return translate("instruments.investor_over_draws", lang, irr=format_percent(outcome.investor_irr_p50, lang),
                     loss=format_percent(outcome.p_investor_total_loss, lang, 0))
