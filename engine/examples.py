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

from engine.scenario import Scenario, Source, parse_scenario

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
