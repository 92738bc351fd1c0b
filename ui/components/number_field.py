"""Number fields that read Swedish and English the same way and never guess.

Streamlit's ``number_input`` is a browser number box: it shows ``3.800`` for 3,8, drops the
comma of ``3,9`` (giving 39) and cannot say why it refused a text. So every number in the app is
a text field read by the engine's parser (:mod:`engine.numbers`): ``3,9``, ``3.9``, ``1 234`` and
``12 %`` (in a per cent field) are read as written, and anything else gets a message right under
the field, in the user's language.

A field that cannot be read keeps the page's last valid value and is recorded for this run;
:func:`field_problems` tells the page that its inputs are not consistent yet, so it can show the
last valid result instead of computing from a value the user did not write.

Table cells work the same way: :func:`cell_text` shows a value in a text column and
:func:`read_cells` reads a column back, with one message per cell that cannot be read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from engine.i18n import translate
from engine.numbers import NumberProblem, format_for_input, read_number
from ui import state
from ui.text import escape_markdown

#: Where this run's unreadable fields are kept (field key -> message); emptied by the page frame.
_PROBLEMS = "_number_problems"


def start_run() -> None:
    """Forget the previous run's problems (the page frame calls this before anything is drawn)."""
    st.session_state[_PROBLEMS] = {}


def field_problems() -> dict[str, str]:
    """The fields of this run that could not be read, by widget key, with their messages."""
    return dict(st.session_state.get(_PROBLEMS, {}))


def _record(key: str, message: str) -> None:
    st.session_state.setdefault(_PROBLEMS, {})[key] = message


def problem_message(problem: NumberProblem, lang: str, *, percent: bool = False) -> str:
    """The message for ``problem`` in ``lang``, with bounds written the way the field shows them.
    The user's own text is escaped: it is shown, never rendered as Markdown."""
    params: dict[str, object] = {}
    for name, value in problem.params.items():
        if name in ("low", "high") and isinstance(value, int | float):
            shown = format_for_input(float(value), lang)
            params[name] = _with_percent(shown, lang) if percent else shown
        elif name == "text":
            params[name] = escape_markdown(str(value))
        else:
            params[name] = value
    return translate(f"number.{problem.code}", lang, **params)


def _reformat(key: str, lang: str, rules: dict[str, Any], decimals: int, group: bool, percent: bool,
              on_read: Callable[[float | None], None] | None = None) -> None:
    """``on_change``: show a value that was read the way the app writes it (``1234`` becomes
    ``1 234``, ``3.9`` becomes ``3,9`` in Swedish), so the user sees how it was understood; then
    hand it to ``on_read``, if given (before the run, so everything drawn above the field sees it)."""
    try:
        value = read_number(st.session_state[key], lang=lang, **rules)
    except NumberProblem:
        return
    if on_read is not None:
        on_read(value)
    if value is not None:
        # All the decimals the user wrote stay: the field never shows a value rounded from what is used.
        shown = format_for_input(value, lang, decimals=max(decimals, 10), group=group)
        st.session_state[key] = _with_percent(shown, lang) if percent else shown


def number_field(label: str, value: float | None, *, key: str, low: float | None = None,
                 high: float | None = None, whole: bool = False, percent: bool = False,
                 required: bool = True, decimals: int = 6, group: bool = True, help: str | None = None,
                 placeholder: str | None = None, container: Any = None, in_form: bool = False,
                 on_read: Callable[[float | None], None] | None = None) -> float | None:
    """Draw a text field for a number and return what the user wrote, read by the engine's rules.

    ``value`` is the starting value (None: empty). ``low``/``high`` bound it, ``whole`` asks for
    an integer, ``percent`` marks a field in per cent (the value shows with ``%`` and ``12 %`` is
    read as 12), ``required`` False lets the field be empty (then None is returned). ``group``
    False writes years without a thousands space. When the text cannot be read, a message stands
    under the field and ``value`` is returned. ``in_form`` marks a field inside ``st.form``, where
    Streamlit allows no callback, so the text is not rewritten after it is read. ``on_read`` is
    called with the new value when the user changes the text to one that can be read.
    """
    lang = state.language()
    where = container if container is not None else st
    rules: dict[str, Any] = {"low": low, "high": high, "whole": whole, "percent": percent, "required": required}
    start = format_for_input(value, lang, decimals=decimals, group=group)
    if percent and start:
        start = _with_percent(start, lang)
    # Once the field exists its text lives in session state (and _reformat may have rewritten it);
    # passing a start value then would only make Streamlit warn about two sources of one value.
    callback: dict[str, Any] = {} if in_form else {
        "on_change": _reformat, "args": (key, lang, rules, decimals, group, percent, on_read)}
    text = where.text_input(label, None if key in st.session_state else start, key=key, help=help,
                            placeholder=placeholder, max_chars=60, **callback)
    try:
        return read_number(text or "", lang=lang, **rules)
    except NumberProblem as problem:
        message = problem_message(problem, lang, percent=percent)
        where.error(message, icon=":material/error:")
        _record(key, message)
        return value


def _with_percent(number: str, lang: str) -> str:
    """``12 %`` in Swedish, ``12%`` in English, as the rest of the app writes per cent."""
    return f"{number} %" if lang == "sv" else f"{number}%"


def cell_text(value: Any, *, decimals: int = 6, group: bool = True) -> str:
    """A number as a text cell of a table shows it (an empty text for no value, never "None")."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return format_for_input(float(value), state.language(), decimals=decimals, group=group)


def read_cells(cells: Iterable[Any], *, key: str, column: str, low: float | None = None,
               high: float | None = None, whole: bool = False, percent: bool = False,
               container: Any = None) -> list[float | None]:
    """Read one text column of a table back as numbers (None for an empty cell). Each cell that
    cannot be read gets a message naming its row and column under the table, and counts as empty.
    """
    lang = state.language()
    where = container if container is not None else st
    values: list[float | None] = []
    for row, cell in enumerate(cells, start=1):
        text = "" if cell is None or (isinstance(cell, float) and cell != cell) else str(cell)
        try:
            values.append(read_number(text, low=low, high=high, whole=whole, percent=percent,
                                      required=False, lang=lang))
        except NumberProblem as problem:
            message = translate("number.cell", lang, row=row, column=column,
                                message=problem_message(problem, lang, percent=percent))
            where.error(message, icon=":material/error:")
            _record(f"{key}[{row}]", message)
            values.append(None)
    return values
