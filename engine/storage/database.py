"""Connecting, tuning and migrating the database.

>>> engine = open_database("sqlite://")   # in-memory, for the example only; the app uses a file
>>> Sessions = session_factory(engine)
>>> with writing(Sessions) as session:     # the caller owns the transaction
...     info = create_document(session, "scenario", "Exempel", {"a": 1})
>>> with reading(Sessions) as session:     # a view that only reads takes no write lock
...     get_version(session, info.document_id).payload
{'a': 1}

``Sessions.begin()`` still works and is as safe as ``writing``; ``writing`` adds only the queue in
which one process's writers wait their turn (see :func:`writing`).
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from engine.storage.repository import create_document, get_version  # noqa: F401  (used by the doctest above)

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant works; it only has to be the same for every replica that migrates the same database.
_MIGRATION_LOCK_ID = 7_303_120_251
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: Execution option that marks a connection's transaction as one that only reads (see :func:`reading`).
READ_ONLY_OPTION = "utfallskompassen_read_only"


def open_database(url: str, migrate: bool = True) -> Engine:
    """Create an engine for ``url``, tune it, and bring its schema up to date.

    SQLite gets WAL, a busy timeout (a writer waits instead of failing with "database is locked"),
    enforced foreign keys, and transactions that take the write lock when they begin. Without
    that, two users saving the same scenario could both read version n and both write n+1.
    Transactions opened by :func:`reading` are the exception: they take no lock and, under WAL,
    never wait for a writer. Its parent folder is created.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    event.listen(engine, "begin", _begin)
    if migrate:
        upgrade_schema(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (results outlive the transaction)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction only reads: for page views that list or load.

    On SQLite it begins with a plain (deferred) BEGIN instead of BEGIN IMMEDIATE, so under WAL it
    reads the last committed state at once even while another user's save holds the write lock.
    On PostgreSQL the transaction is declared READ ONLY, so a write slipped in by mistake fails
    loudly instead of committing. Nothing is ever written, so a reader cannot cause a lost update.
    """
    with sessions.begin() as session:
        # The first connection the session takes decides how its transaction begins (see _begin).
        session.connection(execution_options={READ_ONLY_OPTION: True})
        yield session


@contextmanager
def writing(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session in a transaction that may write; it commits when the block ends, rolls back on error.

    As safe as ``sessions.begin()`` (on SQLite the write lock is taken when it begins). On SQLite the
    writers of one process also queue on a lock of their own first, served in arrival order. SQLite
    itself lets a writer that finds the database busy poll in sleeps of up to 100 ms, and which
    poller wins is luck: under load one save could keep losing until the busy timeout and fail with
    "database is locked" while later ones pass. In the queue a save waits for those before it only.
    """
    with _writers_queue(sessions), sessions.begin() as session:
        yield session


def upgrade_schema(engine: Engine) -> None:
    """Apply every Alembic migration not yet applied. Safe to call from many replicas at once:
    on PostgreSQL an advisory lock makes them take turns."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _tune_sqlite(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins (see below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _begin(connection: Connection) -> None:
    """How every transaction begins; reads marked by :func:`reading` take no write lock."""
    read_only = bool(connection.get_execution_options().get(READ_ONLY_OPTION))
    if connection.dialect.name == "sqlite":
        # Writes take the write lock up front: transactions are short (one user action), so
        # serialising them costs little and rules out the lost-update and "database is locked"
        # failures of deferred transactions that turn into writers under WAL. Reads need no lock.
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
    elif read_only and connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")


class _WritersQueue:
    """A first-come, first-served lock, re-entrant for the thread that holds it.

    Python's own locks are not fair: a thread that releases one and asks again at once (a user who
    saves twice, a page that saves a draft and then a version) usually wins over threads that have
    been waiting, so under load some saves wait seconds. Here each waiter has its own lock and is
    handed the turn in arrival order.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[tuple[int, threading.Lock]] = deque()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for the turn; whether it was given."""
        me = threading.get_ident()
        with self._guard:
            if self._owner in (None, me) and (self._owner == me or not self._waiting):
                self._owner, self._depth = me, self._depth + 1
                return True
            baton = threading.Lock()
            baton.acquire()
            self._waiting.append((me, baton))
        if baton.acquire(timeout=timeout):
            return True  # release() made us the owner before handing the baton over
        with self._guard:
            if (me, baton) in self._waiting:  # still waiting: give up the place in the queue
                self._waiting.remove((me, baton))
                return False
            return True  # the turn came just as the wait ran out

    def release(self) -> None:
        """End this thread's turn (the outermost one, when re-entered) and hand it to the next."""
        with self._guard:
            self._depth -= 1
            if self._depth:
                return
            if self._waiting:
                self._owner, baton = self._waiting.popleft()
                self._depth = 1
                baton.release()
            else:
                self._owner = None


# One queue per SQLite engine; PostgreSQL locks rows, so its writers need none.
_queues: weakref.WeakKeyDictionary[Engine, _WritersQueue] = weakref.WeakKeyDictionary()
_queues_guard = threading.Lock()


@contextmanager
def _writers_queue(sessions: sessionmaker[Session]) -> Iterator[None]:
    """Wait for this process's other writers to the same SQLite database, at most the busy timeout.

    Waiting longer than that fails the way SQLite itself would ("database is locked"), so callers see
    one kind of error whichever of the two waits ran out.
    """
    engine = sessions.kw.get("bind")
    if not isinstance(engine, Engine) or engine.dialect.name != "sqlite":
        yield
        return
    with _queues_guard:
        queue = _queues.setdefault(engine, _WritersQueue())
    if not queue.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
        raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
    try:
        yield
    finally:
        queue.release()
