"""Validation problems shown to the user: all in one list, or each under the field it belongs to.

Problems carry a field path (``outcomes[0].effect``) and a message in the user's language; both are
user-facing text built from user input, so they are escaped before they enter Markdown.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from engine.errors import InputError
from ui.frame import Translator
from ui.text import escape_markdown


def problem_list(t: Translator, error: InputError, heading: str | None = None) -> None:
    """Every problem in one red box, each with its field path, shown as plain text."""
    lines = [f"- **{escape_markdown(p.path)}**: {escape_markdown(p.message)}" if p.path
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

    def show(self, t: Translator, error: InputError, summary_key: str = "scenarios.not_saved") -> None:
        elsewhere = []
        for problem in error.problems:
            owner = max((p for p in self._slots if _belongs_to(problem.path, p)), key=len, default=None)
            if owner is None:
                elsewhere.append(problem)
                continue
            where = "" if problem.path == owner else f"{problem.path}: "
            self._slots[owner].error(where + problem.message)
        st.error(t(summary_key))
        if elsewhere:
            problem_list(t, InputError(elsewhere))


def _belongs_to(path: str, owner: str) -> bool:
    return path == owner or path.startswith((owner + ".", owner + "["))
