"""When someone else saved first: say who and when, show what changed, and let the user choose.

Every save names the version it was based on (engine/storage: ``based_on``). If another version
was saved in between, storage refuses with :class:`~engine.storage.VersionConflict` and writes
nothing. The page then keeps the user's content here (session state, so a rerun loses nothing)
and draws :func:`conflict_choice` where the save button is, with three ways on:

* keep mine: save it as the next version (theirs stays in the history, one step back);
* take theirs: drop my edits and continue from their version;
* copy mine: save it as a new document, leaving theirs as it is.

Nothing is dropped or reverted without the user choosing it. Until sign-in exists the app cannot
name the other person, so the message says "someone else" and gives the time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import streamlit as st

from engine.scenario import changed_fields
from engine.storage import VersionConflict
from ui.frame import Translator
from ui.text import escape_markdown

Choice = Literal["keep", "take", "copy"]
_PENDING = "save_conflicts"
#: At most this many changed fields are named; the rest are counted.
SHOWN_FIELDS = 8


@dataclass(frozen=True)
class Conflict:
    """A refused save: the user's content (``mine``), the version it was based on, and the newer
    version someone else saved (number, name, when)."""

    document_id: int
    mine: Any
    based_on: int
    latest_number: int
    latest_name: str
    latest_at: str  # ISO time, UTC

    @classmethod
    def of(cls, document_id: int, mine: Any, refused: VersionConflict) -> Conflict:
        latest = refused.latest
        return cls(document_id, mine, refused.based_on, latest.number, latest.name, latest.created_at.isoformat())


def remember(where: str, conflict: Conflict) -> None:
    """Keep ``conflict`` for the save button called ``where`` until the user has chosen."""
    st.session_state.setdefault(_PENDING, {})[where] = conflict


def pending(where: str, document_id: int | None) -> Conflict | None:
    """The conflict waiting at ``where`` for this document, if any (one for another document is dropped)."""
    conflict = st.session_state.get(_PENDING, {}).get(where)
    if conflict is not None and conflict.document_id != document_id:
        forget(where)
        return None
    return conflict


def forget(where: str) -> None:
    st.session_state.get(_PENDING, {}).pop(where, None)


def _when(t: Translator, iso: str) -> str:
    """'2026-12-02 kl. 14:02 (UTC)' in the user's words; storage keeps UTC."""
    moment = datetime.fromisoformat(iso)
    return t("conflict.when", date=moment.strftime("%Y-%m-%d"), time=moment.strftime("%H:%M"))


def _field_list(t: Translator, paths: list[str], label: Callable[[str], str]) -> str:
    names = list(dict.fromkeys(label(p) for p in paths))
    shown = ", ".join(escape_markdown(n) for n in names[:SHOWN_FIELDS])
    if len(names) > SHOWN_FIELDS:
        shown += " " + t("conflict.more", count=len(names) - SHOWN_FIELDS)
    return shown or t("conflict.nothing")


def conflict_choice(t: Translator, where: str, conflict: Conflict, base: Any, theirs: Any,
                    label: Callable[[str], str], can_copy: bool = True) -> Choice | None:
    """Draw the conflict at ``where``: when and which version someone else saved, what they
    changed (``base`` → ``theirs``), how the user's content differs from theirs, and the choices.
    Returns the choice made in this run, if any; the caller carries it out and reruns."""
    with st.container(border=True):
        st.warning(t("conflict.message", number=conflict.latest_number, based_on=conflict.based_on,
                     when=_when(t, conflict.latest_at), name=escape_markdown(conflict.latest_name)),
                   icon=":material/group:")
        if base is not None:
            st.markdown(t("conflict.their_changes", number=conflict.latest_number,
                          fields=_field_list(t, changed_fields(base, theirs), label)))
        st.markdown(t("conflict.your_changes", number=conflict.latest_number,
                      fields=_field_list(t, changed_fields(theirs, conflict.mine), label)))
        # A row that wraps (each button as wide as its words), never a label cut with "…".
        row = st.container(horizontal=True)
        columns = [row, row, row]
        if columns[0].button(t("conflict.keep", next=conflict.latest_number + 1), key=f"{where}_conflict_keep",
                             type="primary", icon=":material/save:",
                             help=t("conflict.keep_help", number=conflict.latest_number)):
            return "keep"
        if columns[1].button(t("conflict.take", number=conflict.latest_number), key=f"{where}_conflict_take",
                             icon=":material/download_done:"):
            return "take"
        if can_copy and columns[2].button(t("conflict.copy"), key=f"{where}_conflict_copy",
                                          icon=":material/content_copy:"):
            return "copy"
    return None
