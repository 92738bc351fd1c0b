"""A share (0..1, as the engine and the scenario file store it) entered and shown in percent."""

from __future__ import annotations

from typing import Any

import streamlit as st


def to_percent(share: float | None) -> float | None:
    """0.125 -> 12.5 (None stays None); rounded so that 0.07 shows as 7, not 7.000000000000001.

    >>> to_percent(0.07), to_percent(None)
    (7.0, None)
    """
    return None if share is None else round(share * 100, 4)


def to_share(percent: float | None) -> float | None:
    """12.5 -> 0.125 (None stays None), rounded to six decimals of a share.

    >>> to_share(7.0), to_share(None)
    (0.07, None)
    """
    return None if percent is None else round(percent / 100, 6)


def percent_input(label: str, share: float | None, *, key: str, low: float = 0.0, high: float = 100.0,
                  step: float = 1.0, decimals: int | None = None, help: str | None = None,
                  placeholder: str | None = None, container: Any = None) -> float | None:
    """Draw a number input in percent for ``share`` and return the share the user entered.

    ``low`` and ``high`` are in percent; ``decimals`` fixes how many decimals the field shows
    (Streamlit's default when None); ``share`` None gives an empty field (with ``placeholder``) and
    returns None until the user types a number. ``container`` is where to draw (a column), else
    the page.
    """
    where = container if container is not None else st
    options: dict[str, Any] = {"step": step, "key": key, "help": help}
    if decimals is not None:
        options["format"] = f"%.{decimals}f"
    if placeholder is not None:
        options["placeholder"] = placeholder
    value = where.number_input(label, low, high, to_percent(share), **options)
    return to_share(value)
