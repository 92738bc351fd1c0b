"""Session state of the Effektmål page: which scenario it shows and the designs it started from.

Plain (non-widget) keys, so the choice survives leaving the page. Loading another scenario starts a new
round: widget keys carry the round number, so the cards start again from the new base.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine.storage.targets import find_targets

SOURCE = "targets_source"


def set_source(value: str | None) -> None:
    st.session_state[SOURCE] = value


def start_round(loaded: str, scenario: dict[str, Any], designs: list[dict[str, Any]], document_id: int | None) -> None:
    st.session_state["targets_loaded"] = loaded
    st.session_state["targets_scenario"] = scenario
    st.session_state["targets_designs"] = designs
    st.session_state["targets_document"] = document_id
    st.session_state["targets_round"] = st.session_state.get("targets_round", 0) + 1
    st.session_state["targets_open_version"] = None
    st.session_state[SOURCE] = loaded


def open_designs(designs: list[dict[str, Any]], version: int | None) -> None:
    """Fill the cards with other designs of the same scenario (an older version, or the latest after a
    restore): a new round, so every widget starts again from them. ``version`` None means the latest."""
    st.session_state["targets_designs"] = designs
    st.session_state["targets_round"] = st.session_state.get("targets_round", 0) + 1
    st.session_state["targets_open_version"] = version


def set_open_version(version: int | None) -> None:
    st.session_state["targets_open_version"] = version


def open_version() -> int | None:
    """The saved version shown in the cards when it is not the latest one."""
    return st.session_state.get("targets_open_version")


def loaded() -> str | None:
    return st.session_state.get("targets_loaded")


def base_scenario() -> dict[str, Any]:
    return st.session_state["targets_scenario"]


def base_designs() -> list[dict[str, Any]]:
    return st.session_state.get("targets_designs", [])


def document_id() -> int | None:
    return st.session_state.get("targets_document")


def set_document_id(value: int) -> None:
    st.session_state["targets_document"] = value


def round_number() -> int:
    return st.session_state.get("targets_round", 0)


def saved_designs(session, scenario_ref: str, lang: str) -> tuple[int | None, list[dict[str, Any]]]:
    """The latest saved target designs for a scenario (document id and designs as dicts), if any."""
    found = find_targets(session, scenario_ref, lang)
    if found is None:
        return None, []
    return found[0], [d.model_dump(mode="json") for d in found[1].designs]
