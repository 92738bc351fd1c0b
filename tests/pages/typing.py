"""Typing numbers into the app's number fields (text fields read by engine/numbers.py) in AppTests."""

from engine.numbers import format_for_input, read_number


def typed(value: float) -> str:
    """What a Swedish user types for ``value``: ``3,9``, ``1 234``."""
    return format_for_input(value, "sv")


def value_of(field) -> float | None:
    """The number a field shows (``12,5 %`` in a per cent field is 12.5)."""
    text = field.value or ""
    return read_number(text, percent=text.strip().endswith("%"), required=False)


def open_group(at, group: str):
    """Show the group of Långsiktig kalkyl's inputs called ``group`` (ui/input_groups.py), as a click
    on the selector does; returns the test app after the switch."""
    return at.button_group(key="calc_group").set_value(group).run()
