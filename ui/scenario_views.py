"""Rendering helpers for the Scenarier page: problems at their fields, history tables, file names."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from engine.errors import InputError
from engine.examples import example_ids, load_example
from engine.scenario import Scenario, check_file_size
from engine.storage import DocumentNotFound, VersionInfo, list_scenarios, load_scenario
from ui import state
from ui.db import transaction
from ui.frame import Translator
from ui.text import escape_markdown

_LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def read_upload(uploaded, lang: str) -> bytes:
    """The bytes of an uploaded scenario file, refusing oversized files before reading them."""
    check_file_size(uploaded.size, lang)
    return uploaded.getvalue()


def show_problems(t: Translator, error: InputError, heading: str | None = None) -> None:
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
        self._slots: dict[str, object] = {}

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
            show_problems(t, InputError(elsewhere))


def _belongs_to(path: str, owner: str) -> bool:
    return path == owner or path.startswith((owner + ".", owner + "["))


def format_time(moment: datetime, lang: str) -> str:
    """Local Swedish time; the same 24-hour form in both languages (it is what users expect)."""
    return moment.astimezone(_LOCAL_TIME).strftime("%Y-%m-%d %H:%M")


def version_table(t: Translator, history: list[VersionInfo], lang: str) -> pd.DataFrame:
    def what(info: VersionInfo) -> str:
        text = t(f"scenarios.event.{info.event}")
        if info.source_version is not None:
            text += " " + t("scenarios.event_from", version=info.source_version)
        return text

    return pd.DataFrame({
        t("scenarios.col_version"): [info.number for info in history],
        t("scenarios.col_saved"): [format_time(info.created_at, lang) for info in history],
        t("scenarios.col_event"): [what(info) for info in history],
        t("scenarios.col_name"): [info.name for info in history],
    })


def download_file_name(name: str, version: int | None = None) -> str:
    """A file name safe on every system, from a scenario name.

    >>> download_file_name("Kortare sjukfrånvaro, 2025!")
    'kortare-sjukfranvaro-2025.json'
    >>> download_file_name("<<>>", 3)
    'scenario-v3.json'
    """
    ascii_name = name.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].strip("-")
    slug = slug or "scenario"
    return f"{slug}-v{version}.json" if version is not None else f"{slug}.json"


def pick_scenario_source(t: Translator, state_key: str, label_key: str, help_key: str | None = None) -> str:
    """The "which scenario" select box that the calculation, comparison and targets pages share.

    The choices are every saved scenario (``saved:<id>``) and every example case
    (``example:<id>``). The choice lives in the plain session-state key ``state_key`` so that it
    survives a change of page (a widget's own key would not); without one, the scenario opened on
    the Scenarier page is preselected, else the first choice. Returns the chosen source.
    """
    with transaction() as session:
        saved = list_scenarios(session)
    choices = {f"saved:{s.id}": t("calc.source_saved", name=s.name, version=s.latest_version) for s in saved}
    choices |= {f"example:{e}": t("calc.source_example", title=t(f"examples.{e}.title")) for e in example_ids()}
    opened = state.open_scenario_id()
    wanted = st.session_state.get(state_key) or (f"saved:{opened}" if opened else None)
    if wanted not in choices:
        wanted = next(iter(choices))
    st.session_state[state_key] = wanted
    widget_key = f"{state_key}_widget"
    st.session_state[widget_key] = wanted
    st.selectbox(t(label_key), list(choices), format_func=choices.__getitem__, key=widget_key,
                 on_change=state.copy_widget_value, args=(widget_key, state_key),
                 help=t(help_key) if help_key else None)
    return wanted


def load_source(t: Translator, source: str, state_key: str, lang: str) -> Scenario:
    """Load the scenario a page's source picker chose: ``saved:<id>`` (which also becomes the open
    scenario) or ``example:<id>``. When it cannot be loaded (trashed meanwhile, or a stored version
    that no longer passes validation), say so, forget the choice kept under ``state_key`` so the
    next run falls back to another, and end this run."""
    kind, _, ident = source.partition(":")
    try:
        if kind == "saved":
            with transaction() as session:
                scenario = load_scenario(session, int(ident), lang=lang)
            state.set_open_scenario(int(ident))
            return scenario
        return load_example(ident)
    except (DocumentNotFound, InputError, KeyError):
        st.error(t("calc.load_failed"))
        st.session_state[state_key] = None
        st.stop()
