"""The built-in example cases in ``data/examples``: Swedish cases whose every figure has a source.

>>> "sjukfranvaro" in example_ids()
True
>>> scenario = load_example("placeringar")
>>> scenario.contract_years
2
>>> all(source.field for source in assumptions(scenario))
True
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from engine.i18n import DEFAULT_LANGUAGE, translate
from engine.payers import payer_in_sentence
from engine.scenario import Scenario, Source, field_label, parse_scenario

_EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"

#: A source whose text starts with one of these is the example's own assumption, to be replaced.
ASSUMPTION_PREFIXES = ("Antagande:", "Assumption:")


#: The order the cases are offered in (the reference data's order A-E); any new file comes after.
_ORDER = ("sjukfranvaro", "diabetes", "placeringar", "ips", "aterfall")


@lru_cache(maxsize=1)
def example_ids() -> tuple[str, ...]:
    """File stems of the example cases, in a stable order."""
    found = {path.stem for path in _EXAMPLES.glob("*.json")}
    return tuple(e for e in _ORDER if e in found) + tuple(sorted(found - set(_ORDER)))


@cache
def load_example(example_id: str) -> Scenario:
    """One example case, validated. Raises KeyError for an unknown id."""
    if example_id not in example_ids():
        raise KeyError(example_id)
    return parse_scenario((_EXAMPLES / f"{example_id}.json").read_bytes())


def is_assumption(source: Source) -> bool:
    return source.text.lstrip().startswith(ASSUMPTION_PREFIXES)


def assumptions(scenario: Scenario) -> list[Source]:
    """The sources that are labelled as assumptions (figures to replace with local ones)."""
    return [source for source in scenario.sources if is_assumption(source)]


def source_label(path: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The figure a source is for, as a person names it (the field's name, a budget holder's value
    naming the budget holder); a path the app cannot name is shown as written, never as "a field".

    >>> source_label("outcomes[1].values.kommun", "sv"), source_label("outcomes[0].values.region", "en")
    ('Utfall 2 – Värde för kommunen', 'Outcome 1 – Value to the region')
    >>> source_label("discount_rate", "en")
    'Discount rate'
    """
    unknown = translate("fieldname.unknown", lang)
    label = field_label(path, lang)
    if label and label != unknown:
        return label
    owner, found, payer = path.rpartition(".values.")
    if found:
        named = field_label(owner, lang)
        if named and named != unknown:
            return named + translate("fieldname.join", lang) + translate("fieldname.value_for", lang,
                                                                         payer=payer_in_sentence(payer, lang))
    return path or "–"
