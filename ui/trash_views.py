"""Emptying an organisation's trash: the one way anything saved is ever deleted, for its admins only.

Shown in the trash section of the Scenarier page, but it empties the whole trash of the
organisation (scenarios, answer sets, target designs, workshops), so it says so and counts each.
Nobody is an admin in the embedded mode, and anyone else sees nothing of it.
"""

from __future__ import annotations

import streamlit as st

from engine.storage import NotAllowed, empty_trash, list_documents
from engine.storage.repository import KINDS
from ui.auth import current_owner
from ui.db import reading, transaction
from ui.frame import Translator
from ui.text import escape_markdown

#: How many documents the last emptying deleted, shown once after the rerun it causes.
_EMPTIED = "empty_trash_done"
#: Counts emptyings, so that the confirmation starts unticked after each.
_ROUND = "empty_trash_round"


def just_emptied() -> bool:
    """Whether this run follows an emptying: the trash's expander, whose title (and so identity)
    has changed, is drawn open so that the result is seen."""
    return _EMPTIED in st.session_state


def empty_trash_section(t: Translator) -> None:
    """For an admin of the organisation: what the trash holds, a confirmation and the button."""
    owner = current_owner()
    if not owner.admin or owner.organisation is None:
        return
    st.divider()
    st.markdown(f"**{t('empty_trash.heading')}**")
    done = st.session_state.pop(_EMPTIED, None)
    if done is not None:
        st.success(t("empty_trash.done", count=done), icon=":material/check_circle:")
    with reading() as session:
        counts = {kind: len(list_documents(session, kind, trashed=True)) for kind in KINDS}
    if not any(counts.values()):
        st.caption(t("empty_trash.nothing"))
        return
    st.write(t("empty_trash.lead", organisation=escape_markdown(owner.organisation)))
    st.caption(t("empty_trash.counts", **counts))
    round_ = st.session_state.get(_ROUND, 0)
    confirmed = st.checkbox(t("empty_trash.confirm"), key=f"empty_trash_confirm_{round_}")
    if not st.button(t("empty_trash.button"), key="empty_trash_button", disabled=not confirmed,
                     icon=":material/delete_forever:"):
        return
    try:
        with transaction() as session:
            deleted = empty_trash(session)
    except NotAllowed:
        st.error(t("empty_trash.not_allowed"), icon=":material/lock:")
        return
    st.session_state[_EMPTIED] = deleted
    st.session_state[_ROUND] = round_ + 1
    st.rerun()
