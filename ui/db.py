"""The database as Streamlit sees it: one engine per process, one transaction per user action.

    with transaction() as session:
        save_scenario(session, scenario)

The engine is cached with ``st.cache_resource`` (thread-safe, shared by all users); sessions are
never cached or kept in session state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from engine.i18n import translate
from engine.storage import database_url, open_database, session_factory
from ui.state import language


@st.cache_resource(show_spinner=False)
def _sessions(url: str):
    # Opening also applies any pending migration, once per process and URL. The URL is the
    # cache key, so a changed DATABASE_URL (tests, a reconfigured server) gets its own engine.
    return session_factory(open_database(url))


@contextmanager
def transaction() -> Iterator:
    """A session inside a transaction that commits when the block ends and rolls back on error."""
    try:
        sessions = _sessions(database_url())
    except Exception as exc:
        st.error(translate("db.unavailable", language(), reason=type(exc).__name__))
        st.stop()
    with sessions.begin() as session:
        yield session
