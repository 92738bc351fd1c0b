"""Validation problems shown to the user: all in one list, or each under the field it belongs to.

Problems carry a field path (``outcomes[0].effect``) and a message in the user's language. The user
sees the field's name (engine.scenario.field_label), never the path; names and messages hold user
input, so they are escaped before they enter Markdown.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from engine.errors import InputError
from engine.scenario import field_label
from ui import state
from ui.frame import Translator
from ui.text import escape_markdown


def problem_list(t: Translator, error: InputError, heading: str | None = None) -> None:
    """Every problem in one red box, each with its field path, shown as plain text."""
    lang = state.language()
    lines = [f"- **{escape_markdown(field_label(p.path, lang))}**: {escape_markdown(p.message)}" if p.path
             else f"- {escape_markdown(p.message)}" for p in error.problems]
    st.error((heading or t("scenarios.problems_heading", count=len(error.problems))) + "\n\n" + "\n".join(lines))


class ProblemSlots:
    """Places on a page where problems with a field (or a group of fields) are shown.

    Call :meth:`add` right after drawing the widgets of a field path; later, :meth:`show` puts
    each problem under the most specific registered path it belongs to (``outcomes[0]`` takes
    ``outcomes[0].values``), and everything else in one box at the point where it is called.
    """

    def __init__(self) -> None:
        self._slots: dict[str, DeltaGenerator] = {}

    def add(self, path: str) -> None:
        self._slots[path] = st.container()

    def slot(self, path: str) -> DeltaGenerator | None:
        """The place registered for ``path`` (or the most specific one it belongs to), if any."""
        owner = max((p for p in self._slots if _belongs_to(path, p)), key=len, default=None)
        return None if owner is None else self._slots[owner]

    def show(self, t: Translator, error: InputError, summary_key: str = "scenarios.not_saved") -> None:
        elsewhere = []
        for problem in error.problems:
            owner = max((p for p in self._slots if _belongs_to(problem.path, p)), key=len, default=None)
            if owner is None:
                elsewhere.append(problem)
                continue
            # The field as the user knows it, never the internal path (outcomes[0].effect_range).
            # Both can hold user text (an outcome's name), and st.error renders Markdown.
            where = "" if problem.path == owner else f"{field_label(problem.path, state.language())}: "
            self._slots[owner].error(escape_markdown(where + problem.message))
        st.error(t(summary_key))
        if elsewhere:
            problem_list(t, InputError(elsewhere))


def _belongs_to(path: str, owner: str) -> bool:
    return path == owner or path.startswith((owner + ".", owner + "["))
