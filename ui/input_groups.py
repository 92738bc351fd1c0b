"""Which group of Långsiktig kalkyl's inputs is drawn: one at a time, chosen above it.

A change of one field then redraws that group and the results instead of every field of the
scenario, which is most of what a rerun costs the browser (benchmarks/bench_calc.py). The groups
not drawn keep their values in the working copy's base (ui/components/working_copy.py).

Switching groups takes two runs: the run in which the choice arrives still draws the group the
user was in, so an edit sent together with the click is read and kept; then a new round of the
working copy starts from the kept draft and the chosen group is drawn.

Group ids: ``target``, ``costs``, ``outcome0`` … ``outcomeN``, ``time``, ``uncertainty``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import streamlit as st

from ui.frame import Translator
from ui.text import escape_markdown

#: The scenario fields drawn in the ``time`` group.
TIME_FIELDS = ("horizon_years", "contract_years", "discount_rate", "optimism_bias", "price_year")
#: Session keys: the selector's widget, and the group drawn in the last run.
CHOICE = "calc_group"
DRAWN = "calc_group_drawn"
#: An outcome's name is cut to this many characters in the selector.
NAME_CHARACTERS = 28


def outcome_group(index: int) -> str:
    """The id of the group holding outcome ``index`` (0 = the first).

    >>> outcome_group(0)
    'outcome0'
    """
    return f"outcome{index}"


def input_groups(outcome_count: int) -> list[str]:
    """The groups of a scenario with ``outcome_count`` outcomes, in the order shown.

    >>> input_groups(2)
    ['target', 'costs', 'outcome0', 'outcome1', 'time', 'uncertainty']
    """
    return ["target", "costs", *(outcome_group(i) for i in range(outcome_count)), "time", "uncertainty"]


def group_of(path: str) -> str | None:
    """The group holding the field at a problem's ``path`` (None for the scenario as a whole).

    >>> group_of("outcomes[1].values.kommun"), group_of("costs[0].amount"), group_of("discount_rate")
    ('outcome1', 'costs', 'time')
    >>> group_of("uncertainty.value_range"), group_of("intake"), group_of("name") is None
    ('uncertainty', 'target', True)
    """
    if match := re.match(r"outcomes\[(\d+)\]", path):
        return outcome_group(int(match.group(1)))
    head = re.split(r"[.\[]", path, maxsplit=1)[0]
    if head in TIME_FIELDS:
        return "time"
    return {"intake": "target", "costs": "costs", "uncertainty": "uncertainty"}.get(head)


def _default(groups: list[str]) -> str:
    """The first outcome when there is one: the effect is what people change first."""
    return outcome_group(0) if outcome_group(0) in groups else groups[0]


def drawn_group(groups: list[str]) -> str:
    """The group to draw in this run: the one drawn last time while it exists, else the chosen one."""
    drawn = st.session_state.get(DRAWN)
    if drawn not in groups:
        chosen = st.session_state.get(CHOICE)
        drawn = chosen if chosen in groups else _default(groups)
        st.session_state[DRAWN] = drawn
    return drawn


def show_group(group: str) -> None:
    """Draw ``group`` from the next run on (an outcome was added: show it). Call before the selector."""
    st.session_state[DRAWN] = group
    st.session_state[CHOICE] = group


def group_label(t: Translator, group: str, outcomes: list[dict[str, Any]]) -> str:
    """The selector's label of ``group``; an outcome is named by its (escaped, shortened) name."""
    if group.startswith("outcome"):
        index = int(group.removeprefix("outcome"))
        name = str(outcomes[index].get("name", "")) if index < len(outcomes) else ""
        if len(name) > NAME_CHARACTERS:
            name = name[:NAME_CHARACTERS - 1].rstrip() + "…"
        return t("calc.group_outcome", number=index + 1, name=escape_markdown(name))
    return t(f"calc.group_{group}")


def group_selector(t: Translator, container: Any, groups: list[str], outcomes: list[dict[str, Any]],
                   with_problems: Iterable[str], can_leave: bool) -> bool:
    """Draw the selector in ``container`` (after the drawn group has been read, so groups with a
    problem are marked). Returns whether another group was chosen, so the caller starts a new
    round from the kept draft and reruns. While a field of the drawn group cannot be read
    (``can_leave`` False), the choice is held: leaving would drop what was typed there."""
    drawn = st.session_state[DRAWN]
    chosen = st.session_state.get(CHOICE)
    if chosen not in groups or (chosen != drawn and not can_leave):
        st.session_state[CHOICE] = drawn
        if chosen in groups and chosen != drawn:
            container.caption(t("calc.group_fix_first"))
    marked = set(with_problems)
    # A dict's get, not a lambda: the session state (where AppTest keeps it) must pickle.
    labels = {g: (":material/error: " if g in marked else "") + group_label(t, g, outcomes) for g in groups}
    container.segmented_control(t("calc.group_choice"), groups, required=True, key=CHOICE, width="stretch",
                                format_func=labels.get)
    chosen = st.session_state[CHOICE]
    if chosen == drawn:
        return False
    st.session_state[DRAWN] = chosen
    return True
