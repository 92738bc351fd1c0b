"""Saving Effektmål's target designs, and what happens when someone else saved them first.

A save names the version the cards started from (ui/target_state.py keeps it). If another version
was saved in between, nothing is written and :func:`targets_conflict` shows when, what changed and
the choice: keep mine as the next version, or take theirs. (No "save as new": a scenario has one
set of target designs.)
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import streamlit as st

from engine.storage import VersionConflict, get_version, save_targets
from engine.targets.design import TargetsDocument, targets_to_dict
from ui import target_state
from ui.components import save_conflict
from ui.components.scenario_source_picker import Source
from ui.db import reading, transaction
from ui.frame import Translator

#: Where a refused save of the target designs waits for the user's choice.
TARGETS_CONFLICT = "targets"


def save_designs(t: Translator, document: TargetsDocument, cards: list[dict[str, Any]],
                 based_on: int | None) -> None:
    """Save the cards as the next version of the scenario's target designs (or the first one), if
    ``based_on`` is still the newest; otherwise keep a conflict for the user. Reruns either way."""
    document_id = target_state.document_id()
    try:
        with transaction() as session:
            info = save_targets(session, document, document_id,
                                based_on=based_on if document_id is not None else None)
    except VersionConflict as refused:
        assert document_id is not None
        save_conflict.remember(TARGETS_CONFLICT,
                               save_conflict.Conflict.of(document_id, targets_to_dict(document), refused))
        st.rerun()
    target_state.set_document_id(info.document_id)
    target_state.set_version(info.number)
    target_state.cards_saved(cards)
    # The cards now hold the newest version (widgets and uploads stay); a rerun shows it in the history.
    target_state.set_open_version(None)
    st.session_state["targets_toast"] = t("targets.saved", version=info.number)
    st.rerun()


def design_label(t: Translator, path: str) -> str:
    """``designs[1].baseline`` as "Utfall 2: baseline" (the field names are the format's own).

    >>> design_label(lambda key, **p: f"Utfall {p['number']}: {p['field']}", "designs[1].baseline")
    'Utfall 2: baseline'
    """
    match = re.match(r"designs\[(\d+)\]\.?(.*)", path)
    if match is None:
        return path
    return t("conflict.design_field", number=int(match.group(1)) + 1, field=match.group(2) or "–")


def targets_conflict(t: Translator, document: TargetsDocument, cards: list[dict[str, Any]], source: Source,
                     lang: str) -> bool:
    """The choice after a refused save, where the save button is; returns whether one is waiting."""
    conflict = save_conflict.pending(TARGETS_CONFLICT, target_state.document_id())
    if conflict is None:
        return False
    with reading() as session:
        base = get_version(session, conflict.document_id, conflict.based_on).payload
        theirs = get_version(session, conflict.document_id, conflict.latest_number).payload
    conflict = replace(conflict, mine=targets_to_dict(document))  # what the cards say now
    choice = save_conflict.conflict_choice(t, TARGETS_CONFLICT, conflict, base, theirs,
                                           lambda path: design_label(t, path), can_copy=False)
    if choice is None:
        return True
    save_conflict.forget(TARGETS_CONFLICT)
    if choice == "keep":
        save_designs(t, document, cards, conflict.latest_number)
    target_state.discard(source, lang)
    st.toast(t("conflict.taken", number=conflict.latest_number))
    st.rerun()
    return True  # not reached: st.rerun() ends the run
