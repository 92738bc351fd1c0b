"""Session state that outlives a page: language, presenter mode, workspace, the open scenario.

These are plain (non-widget) keys, because Streamlit forgets a widget's value when the user
leaves the page that drew it. They are mirrored into the URL (``?lang=en&present=1&ws=…&scenario=saved:12``)
so that a reload or a shared link opens the way the sender saw it:

- ``ws``, the *workspace*: a random token naming this line of work; unsaved edits are kept as
  drafts under it in the database (engine/storage/drafts.py), so a reload finds them again;
- ``scenario``, the scenario open on Långsiktig kalkyl, Jämför instrument and Effektmål (one
  for all three, so the pages always speak of the same scenario).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

import streamlit as st

from engine.i18n import DEFAULT_LANGUAGE, normalise_language
from engine.storage.drafts import is_workspace

if TYPE_CHECKING:
    from ui.components.scenario_source_picker import Source

LANG = "lang"
PRESENTER = "presenter"
OPEN_SCENARIO = "open_scenario_id"
#: The scenario open on the calculation, comparison and targets pages (a Source's text form).
OPEN_SOURCE = "open_source"
WORKSPACE = "workspace"
#: The page of this run and of the run before (to tell a page being entered from one being used).
_PAGE, _PREVIOUS_PAGE = "frame_page", "frame_previous_page"


def sync_from_url(presenter_default: bool = False) -> None:
    """Adopt ``lang`` and ``present`` from the URL when present, then write the current values back.

    Called once per run by the page frame, before anything is drawn. ``presenter_default`` turns
    presenter mode on when neither the URL nor the session has chosen (a facilitator's screen).
    """
    params = st.query_params
    if "lang" in params:
        st.session_state[LANG] = normalise_language(params.get("lang"))
    else:
        st.session_state.setdefault(LANG, DEFAULT_LANGUAGE)
    if "present" in params:
        st.session_state[PRESENTER] = params.get("present") == "1"
    else:
        st.session_state.setdefault(PRESENTER, presenter_default)
    if is_workspace(params.get("ws")):
        st.session_state[WORKSPACE] = params.get("ws")
    elif not is_workspace(st.session_state.get(WORKSPACE)):
        st.session_state[WORKSPACE] = secrets.token_urlsafe(12)
    if "scenario" in params:
        # Checked where it is used: the scenario picker says so when the link names nothing that exists.
        st.session_state[OPEN_SOURCE] = str(params.get("scenario"))[:80]
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
    if params.get("ws") != st.session_state[WORKSPACE]:
        params["ws"] = st.session_state[WORKSPACE]
    source = st.session_state.get(OPEN_SOURCE)
    if source and params.get("scenario") != source:
        params["scenario"] = source
    elif not source and "scenario" in params:
        del params["scenario"]


def language() -> str:
    return st.session_state.get(LANG, DEFAULT_LANGUAGE)


def presenter_mode() -> bool:
    return bool(st.session_state.get(PRESENTER, False))


def print_view() -> bool:
    """Whether the URL asks for the page's print view (``?print=1``; ui/print_view.py). Only read
    from the URL, never kept: the page's own link back, without it, is the normal page."""
    return st.query_params.get("print") == "1"


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


def workspace() -> str:
    """This line of work's token (see the module's docstring); set by :func:`sync_from_url`."""
    return str(st.session_state[WORKSPACE])


def open_source_token() -> str | None:
    """The text form of the scenario open on the analysis pages (unchecked), or None."""
    return st.session_state.get(OPEN_SOURCE)


def set_open_source(source: Source | None) -> None:
    """Open ``source`` on the calculation, comparison and targets pages (and in the URL)."""
    st.session_state[OPEN_SOURCE] = None if source is None else source.token
    write_url()


def enter_page(page: str) -> None:
    """Record the page of this run (the page frame calls this once per run)."""
    st.session_state[_PREVIOUS_PAGE] = st.session_state.get(_PAGE)
    st.session_state[_PAGE] = page


def came_from(page: str) -> bool:
    """Whether the run before this one was on ``page`` (as :func:`enter_page` recorded it)."""
    return st.session_state.get(_PREVIOUS_PAGE) == page


def just_entered() -> bool:
    """Whether this run is the first on this page since another page (or since the session began).
    Widgets of the page were forgotten then, so working copies start a new round."""
    return st.session_state.get(_PREVIOUS_PAGE) != st.session_state.get(_PAGE)
