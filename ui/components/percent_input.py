"""A share (0..1, as the engine and the scenario file store it) entered and shown in percent."""

from __future__ import annotations

from typing import Any

from ui.components.number_field import number_field


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
                  step: float | None = None, decimals: int | None = None, help: str | None = None,
                  placeholder: str | None = None, container: Any = None, required: bool = True,
                  in_form: bool = False) -> float | None:
    """Draw a number field in per cent for ``share`` and return the share the user entered.

    ``low`` and ``high`` are in per cent; ``decimals`` caps how many decimals the field shows
    (four when None); ``share`` None gives an empty field (with ``placeholder``), and with
    ``required`` False an empty field returns None. ``container`` is where to draw (a column),
    else the page. ``step`` is accepted for the callers' sake; a text field has no stepper.
    """
    del step
    value = number_field(label, to_percent(share), key=key, low=low, high=high, percent=True, required=required,
                         decimals=4 if decimals is None else decimals, help=help, placeholder=placeholder,
                         container=container, in_form=in_form)
    return to_share(value)
