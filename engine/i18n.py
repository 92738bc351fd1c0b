"""Translation catalogs and Swedish/English number formatting.

Every user-visible string lives in ``data/i18n/<lang>/*.json``: one file per area of the app
(``core.json``, ``scenarios.json`` ...), each a flat mapping from a dotted key to a template with
``{named}`` placeholders. The files of a language are merged; a key defined twice is an error. Swedish is the reference language: a key missing
from English falls back to Swedish, and a key missing everywhere is shown as itself so that a
gap is visible instead of crashing a page.

>>> translate("app.title", "sv")
'Utfallskompassen'
>>> format_sek(1234567, "sv")
'1\\xa0234\\xa0567 kr'
>>> format_sek(-2_100_000, "sv", unit="mnkr")
'−2,1 mnkr'
>>> format_percent(0.125, "sv")
'12,5\\xa0%'
>>> format_percent(0.125, "en")
'12.5%'
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

LANGUAGES: tuple[str, ...] = ("sv", "en")
DEFAULT_LANGUAGE = "sv"

_CATALOG_DIR = Path(__file__).resolve().parent.parent / "data" / "i18n"
_NBSP = "\u00a0"
_MINUS = "\u2212"  # typographic minus: reads better than a hyphen on a projector


def normalise_language(lang: str | None) -> str:
    """Return a supported language code, defaulting to Swedish for anything unknown.

    >>> normalise_language("EN"), normalise_language("de"), normalise_language(None)
    ('en', 'sv', 'sv')
    """
    code = (lang or "").strip().lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """The read-only catalog for one language (loaded once per process)."""
    merged: dict[str, str] = {}
    for path in sorted((_CATALOG_DIR / normalise_language(lang)).glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            part = json.load(handle)
        clash = merged.keys() & part.keys()
        if clash:
            raise ValueError(f"{path}: keys already defined in another file: {sorted(clash)}")
        merged.update(part)
    return MappingProxyType(merged)


def translate(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """Look ``key`` up in the catalog of ``lang`` and fill in ``params``."""
    template = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        # A catalog typo must never take a page down; show the raw template instead.
        return template


def _group_digits(value: float, decimals: int, lang: str) -> str:
    text = f"{abs(value):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", _NBSP).replace(".", ",")
    return (_MINUS if value < 0 and float(text.replace(_NBSP, "").replace(",", ".")) != 0 else "") + text


def format_number(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """A number in the language's convention: ``1 234,5`` in Swedish, ``1,234.5`` in English.

    >>> format_number(1234.5, "sv", 1), format_number(1234.5, "en", 1)
    ('1\\xa0234,5', '1,234.5')
    """
    if not math.isfinite(value):
        return "–"
    return _group_digits(value, decimals, normalise_language(lang))


def format_sek(value: float, lang: str = DEFAULT_LANGUAGE, unit: str = "kr") -> str:
    """An amount in SEK. ``unit`` is ``kr`` (whole kronor) or ``mnkr`` (millions, one decimal).

    >>> format_sek(8_400_000, "en", unit="mnkr")
    'SEK 8.4 m'
    """
    lang = normalise_language(lang)
    if unit == "mnkr":
        number = format_number(value / 1e6, lang, 1)
        return f"{number} mnkr" if lang == "sv" else f"SEK {number} m"
    number = format_number(value, lang, 0)
    return f"{number} kr" if lang == "sv" else f"SEK {number}"


def decimals_for(*values: float) -> int:
    """Decimals that suit the largest of the values, so numbers read side by side share them.

    >>> decimals_for(10.0, 9.9), decimals_for(3.8, 3.34), decimals_for(250.0), decimals_for(0.05, 0.04)
    (1, 2, 0, 3)
    """
    largest = max((abs(v) for v in values), default=0.0)
    return 0 if largest >= 100 else 1 if largest >= 10 else 2 if largest >= 0.1 else 3


def format_measure(value: float | None, lang: str = DEFAULT_LANGUAGE, *like: float) -> str:
    """A measured value with decimals chosen from it and the values ``like`` it is shown next to;
    "–" when there is none.

    >>> format_measure(9.93, "sv", 10.0), format_measure(None, "en")
    ('9,9', '–')
    """
    if value is None or not math.isfinite(value):
        return "–"
    return format_number(value, lang, decimals_for(value, *like))


def format_percent(share: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """A share 0..1 as a percentage; trailing ``,0`` is dropped.

    >>> format_percent(0.63, "sv"), format_percent(0.035, "sv")
    ('63\\xa0%', '3,5\\xa0%')
    """
    lang = normalise_language(lang)
    number = format_number(share * 100, lang, decimals)
    for zero in (",0", ".0"):
        if decimals == 1 and number.endswith(zero):
            number = number[: -len(zero)]
    return f"{number}{_NBSP}%" if lang == "sv" else f"{number}%"


def format_probability(share: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A probability 0..1 in whole percent that never rounds a possibility away or makes a
    near-certainty certain: 0.3 % reads "<1 %" and 99.7 % reads ">99 %", not 0 % and 100 %.

    The test is on the rounded text itself, so it holds wherever the rounding falls (0.5 % rounds
    to even, 0 %).

    >>> format_probability(0.005, "sv"), format_probability(0.997, "en"), format_probability(1.0, "sv")
    ('<1\\xa0%', '>99%', '100\\xa0%')
    """
    text = format_percent(share, lang, 0)
    if 0 < share < 1 and text == format_percent(0.0, lang, 0):
        return "<" + format_percent(0.01, lang, 0)
    if 0 < share < 1 and text == format_percent(1.0, lang, 0):
        return ">" + format_percent(0.99, lang, 0)
    return text
