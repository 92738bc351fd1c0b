"""Numbers in a file that are too large for the engine to hold at all (``1e400``, or an integer of
hundreds of digits).

Python reads ``1e400`` as infinity, which the scenario check then calls "not a finite number" (a
puzzle for someone who typed a number), and it refuses to read an integer of more than 4 300
digits at all. Every number field of a scenario has an upper limit far below the largest double,
so such a number is simply too large; :func:`clamped_json` reads the file with each of them
replaced by the largest double of the same sign, and checking that copy yields the ordinary
message of the field, which states its largest accepted value ("Must not be greater than
1 000 000 000 000").
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

_LARGEST_FLOAT = sys.float_info.max
_LARGEST_INTEGER = int(_LARGEST_FLOAT)
#: An integer literal with more digits than the largest double is too large, without converting it
#: (Python refuses to convert integers of more than 4 300 digits).
_MOST_DIGITS = len(str(_LARGEST_INTEGER))


class _Reader:
    """Number hooks for :func:`json.loads` that replace a too-large number and remember doing so."""

    def __init__(self) -> None:
        self.replaced = 0

    def real(self, text: str) -> float:
        value = float(text)
        if math.isfinite(value):
            return value
        self.replaced += 1
        return math.copysign(_LARGEST_FLOAT, value)

    def integer(self, text: str) -> int:
        digits = text.lstrip("-")
        if len(digits) <= _MOST_DIGITS and abs(value := int(text)) <= _LARGEST_INTEGER:
            return value
        self.replaced += 1
        return -_LARGEST_INTEGER if text.startswith("-") else _LARGEST_INTEGER


def clamped_json(raw: bytes) -> Any | None:
    """The JSON of ``raw`` with every too-large number replaced by the largest double of its sign,
    or None when there is no such number or the text is not JSON at all (the ordinary check then
    says what is wrong).

    >>> clamped_json(b'{"a": [1e400, -1e999, 5]}')
    {'a': [1.7976931348623157e+308, -1.7976931348623157e+308, 5]}
    >>> clamped_json(b'{"a": 1e308}') is None
    True
    """
    reader = _Reader()
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_float=reader.real, parse_int=reader.integer)
    except (ValueError, RecursionError):  # not UTF-8 or not JSON: not ours to explain
        return None
    return data if reader.replaced else None
