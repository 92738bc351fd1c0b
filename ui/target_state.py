"""Session state of the Effektmål page: which scenario it shows and the designs it started from.

The page's working copy (:mod:`ui.components.working_copy`, namespace ``targets``) holds the scenario,
the target designs the cards start from, the saved targets document they belong to and, when the
cards show an older saved version, its number. Loading another scenario or opening a version
starts a new round, so the cards start again from the new base.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine.storage.targets import find_targets
from ui.components import working_copy
from ui.components.scenario_source_picker import Source

SOURCE = "targets_source"
WORKING_COPY = "targets"


def set_source(source: Source | None) -> None:
    st.session_state[SOURCE] = None if source is None else source.token


def start_round(source: Source, scenario: dict[str, Any], designs: list[dict[str, Any]], document_id: int | None) -> None:
    working_copy.restart(WORKING_COPY, source, {"scenario": scenario, "designs": designs, "document": document_id,
                                                "open_version": None})
    set_source(source)


def forget() -> None:
    """Load the chosen scenario again on the next run (after it was saved as a new version)."""
    st.session_state.pop(f"{WORKING_COPY}_loaded", None)


def _base() -> dict[str, Any]:
    return working_copy.current(WORKING_COPY).base


def open_designs(designs: list[dict[str, Any]], version: int | None) -> None:
    """Fill the cards with other designs of the same scenario (an older version, or the latest after a
    restore): a new round, so every widget starts again from them. ``version`` None means the latest."""
    copy = working_copy.current(WORKING_COPY)
    working_copy.restart(WORKING_COPY, copy.source, copy.base | {"designs": designs, "open_version": version})


def set_open_version(version: int | None) -> None:
    _base()["open_version"] = version


def open_version() -> int | None:
    """The saved version shown in the cards when it is not the latest one."""
    return _base().get("open_version")


def loaded() -> Source | None:
    return working_copy.loaded_source(WORKING_COPY)


def base_scenario() -> dict[str, Any]:
    return _base()["scenario"]


def base_designs() -> list[dict[str, Any]]:
    return _base().get("designs", [])


def document_id() -> int | None:
    return _base().get("document")


def set_document_id(value: int) -> None:
    _base()["document"] = value


def round_key() -> str:
    """The prefix of this round's widget keys."""
    return working_copy.current(WORKING_COPY).key


def saved_designs(session, scenario_ref: str, lang: str) -> tuple[int | None, list[dict[str, Any]]]:
    """The latest saved target designs for a scenario (document id and designs as dicts), if any."""
    found = find_targets(session, scenario_ref, lang)
    if found is None:
        return None, []
    return found[0], [d.model_dump(mode="json") for d in found[1].designs]
