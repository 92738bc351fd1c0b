"""Text for spreadsheet cells that a spreadsheet program shows and never runs.

Excel, LibreOffice and Google Sheets read a cell whose text starts with ``=``, ``+``, ``-`` or ``@``
as a formula, and a leading tab or carriage return can hide such a start from a reader's eye. An
outcome called ``=HYPERLINK("http://…")`` would then become a live link in the contract annex. Such
text gets a single quote in front, which the programs show as part of the text, so it reads as
typed and is never evaluated. Numbers stay numbers; only text is guarded.

>>> [safe_cell(v) for v in ("=1+1", "+46 70", "-kort", "@SUM(A1)", "\\t=x", "Korta sjukdagar", -3.5, None)]
["'=1+1", "'+46 70", "'-kort", "'@SUM(A1)", "'\\t=x", 'Korta sjukdagar', -3.5, None]
"""

from __future__ import annotations

from typing import TypeVar

#: First characters that make a spreadsheet program read a cell as a formula (or hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    """``value`` as it may be written to a spreadsheet cell: text that would start a formula is
    prefixed with ``'`` so that it shows as typed; anything that is not text is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
