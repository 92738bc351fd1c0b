"""The database as Streamlit sees it: one engine per process, one transaction per user action.

    with transaction() as session:     # a user action that writes
        save_scenario(session, scenario)

    with reading() as session:         # a page view that only reads: never waits for a writer
        saved = list_scenarios(session)

The engine is cached with ``st.cache_resource`` (thread-safe, shared by all users); sessions are
never cached or kept in session state. Every session acts for the person in this browser
(ui/auth.py): it sees and changes only their organisation's documents.

When the database fails (read-only, disk full, locked for too long, unreachable), the block is
rolled back, the user reads what happened in their language where the action was, and the run
stops there. Nothing typed is lost: widgets and the working copies live in session state, which a
stopped run keeps, so the same click works once the database is back. The engine pings a pooled
connection before using it, so a restarted server needs no restart of the app.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import streamlit as st

from engine.i18n import translate
from engine.storage import act_as, database_url, open_database, session_factory
from engine.storage.database import reading as reading_session
from engine.storage.database import writing as writing_session
from engine.storage.faults import fault_kind
from ui.auth import current_owner
from ui.state import language

_LOG = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _sessions(url: str):
    # Opening also applies any pending migration, once per process and URL. The URL is the
    # cache key, so a changed DATABASE_URL (tests, a reconfigured server) gets its own engine.
    # A failed opening is not cached: the next run tries again.
    return session_factory(open_database(url))


@contextmanager
def transaction() -> Iterator:
    """A session inside a transaction that commits when the block ends and rolls back on error."""
    with _told_on_failure(), writing_session(_opened()) as session:
        yield act_as(session, current_owner())


@contextmanager
def reading() -> Iterator:
    """A session for a view that only reads (listing, opening a version, looking up a draft).

    It takes no write lock, so it answers at once while someone else saves. Never write in it.
    """
    with _told_on_failure(), reading_session(_opened()) as session:
        yield act_as(session, current_owner())


def _opened():
    """The session factory of this process, or a message and a stopped run when the database cannot
    even be opened (a wrong URL, a server that is down at start-up)."""
    try:
        return _sessions(database_url())
    except Exception as exc:
        kind = fault_kind(exc)
        _LOG.warning("opening the database failed (%s)", kind or type(exc).__name__, exc_info=exc)
        if kind is not None:
            _tell(kind)
        st.error(translate("db.unavailable", language(), reason=type(exc).__name__), icon=":material/error:")
        st.stop()


@contextmanager
def _told_on_failure() -> Iterator[None]:
    """Turn a database failure inside the block into a message and a stopped run.

    Runs outside the session's own block, so the transaction has been rolled back already. Other
    exceptions (bugs, st.rerun, st.stop) pass through untouched.
    """
    try:
        yield
    except Exception as exc:
        kind = fault_kind(exc)
        if kind is None:
            raise
        _LOG.warning("database failure (%s)", kind, exc_info=exc)
        _tell(kind)


def _tell(kind: str) -> NoReturn:
    """Show the message for a failure of ``kind`` (engine.storage.faults.FAULT_KINDS), then stop."""
    st.error(translate(f"storage.{kind}", language()), icon=":material/database:")
    st.stop()
