"""Helpers for saved scenarios: upload size, local times, file names, the footnote of exported charts."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from engine.i18n import translate
from engine.scenario import check_file_size

_LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def read_upload(uploaded, lang: str) -> bytes:
    """The bytes of an uploaded scenario file, refusing oversized files before reading them."""
    check_file_size(uploaded.size, lang)
    return uploaded.getvalue()


def format_time(moment: datetime, lang: str) -> str:
    """Local Swedish time; the same 24-hour form in both languages (it is what users expect)."""
    return moment.astimezone(_LOCAL_TIME).strftime("%Y-%m-%d %H:%M")


def download_file_name(name: str, version: int | None = None) -> str:
    """A file name safe on every system, from a scenario name.

    >>> download_file_name("Kortare sjukfrånvaro, 2025!")
    'kortare-sjukfranvaro-2025.json'
    >>> download_file_name("<<>>", 3)
    'scenario-v3.json'
    """
    ascii_name = name.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].strip("-")
    slug = slug or "scenario"
    return f"{slug}-v{version}.json" if version is not None else f"{slug}.json"


def chart_footnote(name: str, price_year: int, lang: str, *, version: int | None = None, unsaved: bool = False) -> str:
    """The line under an exported chart that says what it shows: the scenario's name, its saved
    version (``exempel`` for an example, which has none) and the price year. The name is plain
    text here; the export shows any markup in it as typed.

    >>> chart_footnote("Kortare sjukfrånvaro", 2024, "sv", version=3)
    'Scenario: Kortare sjukfrånvaro · version 3 · fasta priser 2024'
    >>> chart_footnote("IPS", 2023, "sv", unsaved=True)
    'Scenario: IPS · exempel med osparade ändringar · fasta priser 2023'
    >>> chart_footnote("IPS", 2023, "en", version=2, unsaved=True)
    'Scenario: IPS · version 2 with unsaved changes · constant 2023 prices'
    """
    key = "exports.footnote" if version is not None else "exports.footnote_example"
    return translate(key + ("_unsaved" if unsaved else ""), lang, name=" ".join(name.split()), version=version,
                     year=price_year)
