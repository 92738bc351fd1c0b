"""Session state of the Effektmål page: the target designs its cards start from, and their draft.

The page's working copy (:mod:`ui.components.working_copy`, namespace ``targets``) holds the
target designs the cards start from, the saved targets document they belong to and, when the
cards show an older saved version, its number. Loading another scenario, opening a version or
coming back to the page starts a new round, so the cards start again from the new base.

What the cards hold as the user types (valid or not) is kept with :func:`keep_cards`: in the
session, and in the database as a draft of the workspace (engine/storage/drafts.py), so a reload
or a visit to another page loses nothing. The scenario itself is the shared open scenario
(:func:`ui.components.working_copy.open_scenario_copy`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine.storage import discard_draft, get_document, keep_draft, load_draft
from engine.storage.targets import find_targets
from ui import state
from ui.components import working_copy
from ui.components.scenario_source_picker import Source
from ui.db import reading, transaction

WORKING_COPY = "targets"
_KIND = "targets"
#: The cards as the user left them (list of dicts), what the database holds as their draft (None:
#: no unsaved edits), and what the first run of a round from saved designs made (no change).
_CARDS, _STORED, _PRISTINE = "targets_cards", "targets_stored", "targets_pristine"


def start_round(source: Source, designs: list[dict[str, Any]], document_id: int | None,
                drafted: bool = False, version: int | None = None) -> None:
    """Cards from ``designs`` (saved ones, or a draft when ``drafted``) of the scenario ``source``;
    ``version`` is the saved version they start from (a save names it, see ui/components/save_conflict.py)."""
    working_copy.restart(WORKING_COPY, source, {"designs": designs, "document": document_id, "open_version": None,
                                                "version": version})
    st.session_state[_STORED] = designs if drafted else None
    st.session_state[_PRISTINE] = None if drafted else "unset"
    st.session_state[_CARDS] = designs


def load(source: Source, lang: str) -> None:
    """Start from the scenario's latest saved target designs, or from this workspace's draft of them."""
    with reading() as session:
        found_id, found_designs = saved_designs(session, source.token, lang)
        newest = get_document(session, found_id).latest_version if found_id is not None else None
        draft = load_draft(session, state.workspace(), _KIND, source.token)
    # Edits kept before a reload started from the version they remember, which may be older.
    version = newest if draft is None or draft.based_on is None else draft.based_on
    start_round(source, found_designs if draft is None else draft.payload, found_id, drafted=draft is not None,
                version=version)


def reenter() -> None:
    """A new round from the cards as the user left them (their widgets were forgotten meanwhile)."""
    copy = working_copy.current(WORKING_COPY)
    working_copy.restart(WORKING_COPY, copy.source, copy.base | {"designs": st.session_state.get(_CARDS, [])})


def keep_cards(cards: list[dict[str, Any]]) -> bool:
    """Keep what the cards hold now; returns whether it differs from what is saved."""
    if st.session_state.get(_PRISTINE) == "unset":
        st.session_state[_PRISTINE] = cards
    st.session_state[_CARDS] = cards
    source = working_copy.current(WORKING_COPY).source.token
    unchanged = cards == st.session_state.get(_PRISTINE)
    stored = st.session_state.get(_STORED)
    if unchanged and stored is not None:
        with transaction() as session:
            discard_draft(session, state.workspace(), _KIND, source)
    elif not unchanged and cards != stored:
        with transaction() as session:
            keep_draft(session, state.workspace(), _KIND, source, cards, based_on=version())
    st.session_state[_STORED] = None if unchanged else cards
    return not unchanged


def cards_saved(cards: list[dict[str, Any]]) -> None:
    """The cards were saved: they are the new 'no change', and the draft is gone."""
    source = working_copy.current(WORKING_COPY).source.token
    with transaction() as session:
        discard_draft(session, state.workspace(), _KIND, source)
    st.session_state[_STORED], st.session_state[_PRISTINE] = None, cards


def discard(source: Source, lang: str) -> None:
    """Forget the unsaved edits of the cards and start again from the saved designs."""
    with transaction() as session:
        discard_draft(session, state.workspace(), _KIND, source.token)
    load(source, lang)


def _base() -> dict[str, Any]:
    return working_copy.current(WORKING_COPY).base


def open_designs(designs: list[dict[str, Any]], version: int | None) -> None:
    """Fill the cards with other designs of the same scenario (an older version, or the latest after a
    restore): a new round, so every widget starts again from them. ``version`` None means the latest."""
    copy = working_copy.current(WORKING_COPY)
    working_copy.restart(WORKING_COPY, copy.source, copy.base | {"designs": designs, "open_version": version})
    # The latest saved designs are no change; an older version in the cards is kept as a draft.
    st.session_state[_PRISTINE] = "unset" if version is None else None


def set_open_version(version: int | None) -> None:
    _base()["open_version"] = version


def open_version() -> int | None:
    """The saved version shown in the cards when it is not the latest one."""
    return _base().get("open_version")


def loaded() -> Source | None:
    return working_copy.loaded_source(WORKING_COPY)


def base_designs() -> list[dict[str, Any]]:
    return _base().get("designs", [])


def version() -> int | None:
    """The saved version of the target designs that the cards' edits started from."""
    return _base().get("version")


def set_version(value: int) -> None:
    _base()["version"] = value


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
