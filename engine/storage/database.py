"""Connecting, tuning and migrating the database.

>>> engine = open_database("sqlite://")   # in-memory, for the example only; the app uses a file
>>> Sessions = session_factory(engine)
>>> with Sessions.begin() as session:     # the caller owns the transaction
...     info = create_document(session, "scenario", "Exempel", {"a": 1})
>>> info.number
1
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from engine.storage.repository import create_document  # noqa: F401  (used by the doctest above)

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant works; it only has to be the same for every replica that migrates the same database.
_MIGRATION_LOCK_ID = 7_303_120_251
SQLITE_BUSY_TIMEOUT_MS = 10_000


def open_database(url: str, migrate: bool = True) -> Engine:
    """Create an engine for ``url``, tune it, and bring its schema up to date.

    SQLite gets WAL, a busy timeout (a writer waits instead of failing with "database is locked"),
    enforced foreign keys, and transactions that take the write lock when they begin. Without
    that, two users saving the same scenario could both read version n and both write n+1.
    Its parent folder is created.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin_immediately)
    if migrate:
        upgrade_schema(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (results outlive the transaction)."""
    return sessionmaker(engine, expire_on_commit=False)


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


def _begin_immediately(connection) -> None:
    # Transactions are short (one user action), so serialising them costs little and rules out
    # the lost-update and "database is locked" failures of deferred transactions under WAL.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
