"""The questionnaire's answers as a draft of the workspace, so a reload or a closed tab keeps them.

The answers live in session state (ui/questionnaire_inputs.py); this module copies them to the
database (engine/storage/drafts.py) whenever they change, and back when a session starts with a
workspace that has some. A saved answer set is a version as before; the draft only keeps the
answers being given.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine.storage import keep_draft, load_draft
from ui import state
from ui.db import reading, transaction
from ui.questionnaire_inputs import ANSWERS, replace_answers

_KIND = "answers"
#: The answers as the database last got them (to write only when they change).
_STORED = "questionnaire_answers_stored"


def restore() -> None:
    """At the start of a session: take up the workspace's answers from the database, if any."""
    if ANSWERS in st.session_state:
        return
    with reading() as session:
        draft = load_draft(session, state.workspace(), _KIND)
    stored = dict(draft.payload) if draft is not None and isinstance(draft.payload, dict) else {}
    replace_answers(stored)
    st.session_state[_STORED] = stored


def keep(answers: dict[str, Any]) -> None:
    """Write the answers to the workspace's draft when they changed since the last write."""
    if answers == st.session_state.get(_STORED):
        return
    with transaction() as session:
        keep_draft(session, state.workspace(), _KIND, "", dict(answers))
    st.session_state[_STORED] = dict(answers)
