"""Session state that outlives a page: language, presenter mode, the open scenario.

These are plain (non-widget) keys, because Streamlit forgets a widget's value when the user
leaves the page that drew it. Language and presenter mode are mirrored into the URL
(``?lang=en&present=1``) so that a shared link opens the way the sender saw it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from engine.i18n import DEFAULT_LANGUAGE, normalise_language

if TYPE_CHECKING:
    from ui.components.scenario_source_picker import Source

LANG = "lang"
PRESENTER = "presenter"
OPEN_SCENARIO = "open_scenario_id"
CALC_SOURCE = "calc_source"


def sync_from_url() -> None:
    """Adopt ``lang`` and ``present`` from the URL when present, then write the current values back.

    Called once per run by the page frame, before anything is drawn.
    """
    params = st.query_params
    if "lang" in params:
        st.session_state[LANG] = normalise_language(params.get("lang"))
    else:
        st.session_state.setdefault(LANG, DEFAULT_LANGUAGE)
    if "present" in params:
        st.session_state[PRESENTER] = params.get("present") == "1"
    else:
        st.session_state.setdefault(PRESENTER, False)
    write_url()


def write_url() -> None:
    params = st.query_params
    if params.get("lang") != st.session_state[LANG]:
        params["lang"] = st.session_state[LANG]
    wanted = "1" if st.session_state[PRESENTER] else None
    if wanted and params.get("present") != wanted:
        params["present"] = wanted
    elif not wanted and "present" in params:
        del params["present"]


def language() -> str:
    return st.session_state.get(LANG, DEFAULT_LANGUAGE)


def presenter_mode() -> bool:
    return bool(st.session_state.get(PRESENTER, False))


def open_scenario_id() -> int | None:
    return st.session_state.get(OPEN_SCENARIO)


def set_open_scenario(document_id: int | None) -> None:
    st.session_state[OPEN_SCENARIO] = document_id


def copy_widget_value(widget_key: str, state_key: str) -> None:
    """``on_change`` callback: remember a widget's new value under a plain key.

    Widgets forget their value on another page and cannot be set once drawn; the plain key
    survives both, and the widget is set from it before it is drawn on the next run.
    """
    st.session_state[state_key] = st.session_state[widget_key]
    write_url()


def set_calc_source(source: Source | None) -> None:
    """Choose what the calculation page shows next (the questionnaire's example links use this)."""
    st.session_state[CALC_SOURCE] = None if source is None else source.token
