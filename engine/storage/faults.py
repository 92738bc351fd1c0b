"""What went wrong with the database, in the few kinds a user can act on.

The UI shows one message per kind, in the user's language, instead of a traceback; the kind also
says whether waiting helps (``locked``, ``unreachable``) or someone has to act (``read_only``,
``full``). Only errors raised by the database or its driver are classified: a programming error
(a wrong argument, a missing document) is not a database fault and is left alone (None).

>>> import sqlite3
>>> fault_kind(sqlite3.OperationalError("database is locked"))
'locked'
>>> fault_kind(ValueError("not a database error")) is None
True
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc

#: Every kind :func:`fault_kind` returns.
FAULT_KINDS: tuple[str, ...] = ("read_only", "full", "locked", "unreachable", "other")

# SQLite's primary result codes by name (Python 3.11+ puts the name on the exception). Extended
# codes (SQLITE_READONLY_DBMOVED, SQLITE_BUSY_SNAPSHOT, ...) start with the primary name.
_SQLITE_CODES = (
    ("SQLITE_READONLY", "read_only"),
    ("SQLITE_FULL", "full"),
    ("SQLITE_BUSY", "locked"),
    ("SQLITE_LOCKED", "locked"),
    ("SQLITE_CANTOPEN", "unreachable"),
)
# The same from the message, for errors raised without a code (our own "database is locked").
_SQLITE_MESSAGES = (
    ("readonly", "read_only"),
    ("read-only", "read_only"),
    ("disk is full", "full"),
    ("locked", "locked"),
    ("unable to open", "unreachable"),
)
# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_SQLSTATES = {
    "25006": "read_only",    # read_only_sql_transaction: a standby, or default_transaction_read_only
    "42501": "read_only",    # insufficient_privilege: the app's role may read but not write
    "53100": "full",         # disk_full
    "55P03": "locked",       # lock_not_available (lock_timeout)
    "57014": "locked",       # query_canceled (statement_timeout while waiting)
    "40P01": "locked",       # deadlock_detected
    "40001": "locked",       # serialization_failure
    "53300": "unreachable",  # too_many_connections
    "57P01": "unreachable",  # admin_shutdown: the server is stopping
    "57P02": "unreachable",  # crash_shutdown
    "57P03": "unreachable",  # cannot_connect_now: the server is starting
}


def fault_kind(error: BaseException) -> str | None:
    """The kind of database failure ``error`` is (one of :data:`FAULT_KINDS`), or None when it is
    not a failure of the database at all and should propagate as the bug it is."""
    if isinstance(error, exc.TimeoutError):
        return "locked"  # every pooled connection busy for pool_timeout seconds
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return "unreachable"
        return _driver_fault(error.orig, operational=isinstance(error, exc.OperationalError | exc.InterfaceError))
    if isinstance(error, sqlite3.Error):
        return _sqlite_fault(error)
    if type(error).__module__.startswith("psycopg"):  # a driver error that SQLAlchemy did not wrap
        return _driver_fault(error, operational=type(error).__name__ in ("OperationalError", "InterfaceError"))
    return None


def _driver_fault(original: BaseException | None, operational: bool) -> str:
    """Classify what the driver raised; ``operational`` says the driver called it an operational
    error (for PostgreSQL without an SQLSTATE that means the connection itself failed)."""
    if isinstance(original, sqlite3.Error):
        return _sqlite_fault(original)
    sqlstate = getattr(original, "sqlstate", None)
    if isinstance(sqlstate, str):
        if sqlstate in _SQLSTATES:
            return _SQLSTATES[sqlstate]
        if sqlstate.startswith("08"):  # connection_exception and its subclasses
            return "unreachable"
        return "other"
    return "unreachable" if operational else "other"


def _sqlite_fault(error: sqlite3.Error) -> str:
    """Classify an sqlite3 error by its result code, or by its message when it has none."""
    name = getattr(error, "sqlite_errorname", "") or ""
    for prefix, kind in _SQLITE_CODES:
        if name.startswith(prefix):
            return kind
    message = str(error).lower()
    return next((kind for fragment, kind in _SQLITE_MESSAGES if fragment in message), "other")
