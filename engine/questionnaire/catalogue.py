"""The instrument catalogue: what each instrument is, roles, fit, legal frame, set-up, examples.

Structure in ``data/catalogue/instruments.json``; every text in ``data/i18n/<lang>/catalogue.json``
under ``catalogue.<instrument>.*`` and ``catalogue.example.<id>.*``. Every example carries its
sources (title and address); an example may name an example case in ``data/examples`` that shows
it in the long-term calculation. A legal text may quote thresholds and direct-award limits; they
come from ``data/legal/thresholds.json`` (:mod:`engine.questionnaire.legal`), and the instrument
lists them under ``legal_figures`` so that their source and period can be shown.

>>> entry = instrument_entry("social_bond", "en")
>>> entry.name, entry.examples[0].example_case
('Social bond', 'diabetes')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from engine.i18n import DEFAULT_LANGUAGE, translate
from engine.questionnaire.legal import LegalFigure, figure, legal_params
from engine.scenario import INSTRUMENTS

_FILE = Path(__file__).resolve().parents[2] / "data" / "catalogue" / "instruments.json"
ROLES: tuple[str, ...] = ("outcome_payer", "financier", "provider", "intermediary", "evaluator")


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Example:
    id: str
    country: str
    years: str
    title: str
    text: str
    sources: tuple[Source, ...]
    example_case: str | None


@dataclass(frozen=True)
class CatalogueEntry:
    instrument: str
    name: str
    short: str
    what: str
    roles: tuple[tuple[str, str, str], ...]  # (role id, role name, who takes it here)
    fits: tuple[str, ...]
    not_fits: tuple[str, ...]
    legal: str
    setup_time: str
    setup_cost: str
    examples: tuple[Example, ...]
    #: The legal figures (data/legal/thresholds.json) the legal text quotes, so the page can show their
    #: source and period, and warn when today is outside it.
    legal_figures: tuple[LegalFigure, ...] = ()


@cache
def _structure() -> dict[str, Any]:
    data = json.loads(_FILE.read_text(encoding="utf-8"))
    ids = [i["id"] for i in data["instruments"]]
    if sorted(ids) != sorted(INSTRUMENTS):
        raise ValueError("catalogue: the instruments do not match the design's ids")
    known = {e["id"] for e in data["examples"]}
    for item in data["instruments"]:
        if not set(item["examples"]) <= known:
            raise ValueError(f"catalogue: {item['id']} names an unknown example")
        for figure_id in item.get("legal_figures", []):
            figure(figure_id)  # KeyError for a figure that is not in data/legal/thresholds.json
    return data


def catalogue_ids() -> tuple[str, ...]:
    """The instruments in the catalogue's reading order."""
    return tuple(i["id"] for i in _structure()["instruments"])


def instrument_entry(instrument: str, lang: str = DEFAULT_LANGUAGE) -> CatalogueEntry:
    """One instrument's catalogue page in ``lang`` (KeyError for an unknown id)."""
    item = next((i for i in _structure()["instruments"] if i["id"] == instrument), None)
    if item is None:
        raise KeyError(instrument)
    examples = {e["id"]: e for e in _structure()["examples"]}

    def text(part: str) -> str:
        return translate(f"catalogue.{instrument}.{part}", lang)

    return CatalogueEntry(
        instrument=instrument, name=text("name"), short=text("short"), what=text("what"),
        roles=tuple((r, translate(f"catalogue.role.{r}", lang), text(f"role.{r}")) for r in ROLES),
        fits=tuple(text(f"fits.{n}") for n in range(item["fits"])),
        not_fits=tuple(text(f"not_fits.{n}") for n in range(item["not_fits"])),
        legal=translate(f"catalogue.{instrument}.legal", lang, **legal_params(lang)),
        setup_time=text("setup_time"), setup_cost=text("setup_cost"),
        examples=tuple(_example(examples[e], lang) for e in item["examples"]),
        legal_figures=tuple(figure(f) for f in item.get("legal_figures", [])),
    )


def _example(raw: dict[str, Any], lang: str) -> Example:
    return Example(raw["id"], raw["country"], raw["years"],
                   translate(f"catalogue.example.{raw['id']}.title", lang),
                   translate(f"catalogue.example.{raw['id']}.text", lang),
                   tuple(Source(s["title"], s["url"]) for s in raw["sources"]), raw.get("example_case"))
