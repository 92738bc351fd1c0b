"""Numbers as people type them, in Swedish or English, read without guessing.

One rule for the whole app: a comma or a point standing alone is the decimal mark (``3,9`` and
``3.9`` are both three point nine); spaces group thousands (``1 234 567``); when both marks occur
the later one is the decimal mark (``1 234,5``, ``1,234.5``). Anything else is refused with a
reason, never reread as something the user did not write: ``3,9,1`` is not 391, ``1e400`` is not
infinity, ``−0`` in a field that cannot be negative is not quietly 0.

:func:`read_number` applies a field's rules (range, whole numbers, per cent) and raises
:class:`NumberProblem`, whose ``code`` and ``params`` name a message in the catalogs
(``number.<code>``), so the UI can say what is wrong in the user's language at the field.

>>> read_number("1 234,5"), read_number("12 %", percent=True), read_number("0,30")
(1234.5, 12.0, 0.3)
>>> try:
...     read_number("3,9,1")
... except NumberProblem as problem:
...     problem.code
'not_a_number'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

#: Longer texts are refused before any parsing: no real figure needs more characters.
MAX_CHARACTERS = 40

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?")
#: A lone thousands separator of the language (English comma, Swedish point) before three digits.
_AMBIGUOUS = {False: re.compile(r"[+\-\u2212\u2013]?\d{1,3},\d{3}"), True: re.compile(r"[+\-\u2212\u2013]?\d{1,3}\.\d{3}")}
_MINUS_SIGNS = ("\u2212", "\u2013")  # typographic minus and en dash, as word processors write them


def _normalised(text: str) -> str:
    """The text with spaces removed, typographic minus signs as ``-`` and one decimal point."""
    cleaned = _SPACES.sub("", str(text))
    for sign in _MINUS_SIGNS:
        cleaned = cleaned.replace(sign, "-")
    if "," in cleaned and "." in cleaned:
        # Both marks: the later one is the decimal mark, the other groups thousands.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    return cleaned


def parse_number(text: str) -> float | None:
    """A number as people type it in Swedish or English; None when it is not one.

    >>> parse_number("1 234,5"), parse_number("1,234.5"), parse_number("−3,1"), parse_number("0.17")
    (1234.5, 1234.5, -3.1, 0.17)
    >>> parse_number("abc"), parse_number(""), parse_number("nan"), parse_number("1,2,3"), parse_number("1e400")
    (None, None, None, None, None)
    """
    if len(str(text)) > MAX_CHARACTERS:
        return None
    cleaned = _normalised(text)
    if not _NUMBER.fullmatch(cleaned):
        return None
    number = float(cleaned)
    return number if math.isfinite(number) else None


@dataclass
class NumberProblem(ValueError):
    """Why a typed text is not an acceptable value: ``code`` names the message ``number.<code>``
    in the catalogs, ``params`` fills it in (``text`` is what the user typed)."""

    code: str
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code} {self.params}"


def read_number(text: str | None, *, low: float | None = None, high: float | None = None,
                whole: bool = False, percent: bool = False, required: bool = True,
                lang: str | None = None) -> float | None:
    """The value of a number field, or :class:`NumberProblem` saying why there is none.

    ``percent`` marks a field asked in per cent: ``12``, ``12 %`` and ``12%`` all give 12 (a per
    cent sign anywhere else is refused, so a value is never divided by 100 behind the user's back).
    ``low``/``high`` bound the value (in the field's own unit), ``whole`` asks for an integer, and
    an empty field gives None when not ``required``. With ``lang``, a lone mark that is that
    language's thousands separator followed by exactly three digits is refused as ambiguous: a Swede
    may mean ``3.800`` as 3 800, an English speaker ``1,234`` as 1 234.

    >>> read_number("", required=False) is None
    True
    >>> [read_number(t, percent=True) for t in ("12 %", "12,5%", "7")]
    [12.0, 12.5, 7.0]
    >>> def code(text, **rules):
    ...     try:
    ...         read_number(text, **rules)
    ...     except NumberProblem as problem:
    ...         return problem.code
    >>> code(""), code("12 %%", percent=True), code("120 %", percent=True, high=100), code("−0", low=0)
    ('empty', 'not_a_number', 'above', 'negative')
    >>> code("1e400"), code("9" * 300), code("2,5", whole=True), code("12 %"), code("0", low=1)
    ('too_large', 'too_long', 'not_whole', 'no_percent', 'below')
    >>> code("3.800", lang="sv"), code("1,234", lang="en"), read_number("3,800", lang="sv"), read_number("3.9", lang="sv")
    ('ambiguous', 'ambiguous', 3.8, 3.9)
    """
    raw = "" if text is None else str(text)
    stripped = raw.strip()
    if not stripped:
        if required:
            raise NumberProblem("empty")
        return None
    if len(stripped) > MAX_CHARACTERS:
        raise NumberProblem("too_long", {"limit": MAX_CHARACTERS})
    shown: dict[str, object] = {"text": stripped}
    if stripped.endswith("%"):
        if not percent:
            raise NumberProblem("no_percent", shown)
        stripped = stripped[:-1].rstrip()
    cleaned = _normalised(stripped)
    if not _NUMBER.fullmatch(cleaned):
        raise NumberProblem("not_a_number", shown)
    if lang is not None and _AMBIGUOUS[lang == "sv"].fullmatch(_SPACES.sub("", stripped)):
        raise NumberProblem("ambiguous", shown)
    number = float(cleaned)
    if not math.isfinite(number):
        raise NumberProblem("too_large", shown)
    if cleaned.startswith("-") and low is not None and low >= 0:
        # Also "−0": a minus sign where none belongs is a typing slip the user should see.
        raise NumberProblem("negative", shown)
    if whole and number != int(number):
        raise NumberProblem("not_whole", shown)
    if low is not None and number < low:
        raise NumberProblem("below", {**shown, "low": low})
    if high is not None and number > high:
        raise NumberProblem("above", {**shown, "high": high})
    return int(number) if whole else number


def format_for_input(value: float | None, lang: str, *, decimals: int = 6, group: bool = True) -> str:
    """A value as a number field shows it: the language's decimal mark, no trailing zeros, and
    thousands grouped with a plain space (easy to edit and read back by :func:`parse_number`).

    >>> format_for_input(3.8, "sv"), format_for_input(100000.0, "sv"), format_for_input(0.1 + 0.2, "en")
    ('3,8', '100 000', '0.3')
    >>> format_for_input(2024, "sv", group=False), format_for_input(None, "sv"), format_for_input(-1234.5, "en")
    ('2024', '', '-1 234.5')
    """
    if value is None or not math.isfinite(value):
        return ""
    text = f"{abs(value):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", " " if group else "")
    if lang == "sv":
        text = text.replace(".", ",")
    sign = "-" if value < 0 and text.strip("0, .") else ""
    return sign + text



def decimals_of(value: float) -> int:
    """How many decimals ``value`` has, as :func:`format_for_input` writes it: up to six, the noise
    of binary arithmetic left out, so a figure can be shown with every decimal typed and none added.

    >>> decimals_of(2.0), decimals_of(1.5), decimals_of(0.0015 * 100), decimals_of(1 / 3)
    (0, 1, 2, 6)
    """
    return len(format_for_input(value, "en", group=False).partition(".")[2])

#: The largest amount or count a field accepts (a thousand billion): far above any municipal
#: figure, and far enough below a float's limits that sums over decades and draws stay finite.
LARGEST_AMOUNT = 1e12
