"""Smoke tests of the database fixtures in tests/conftest.py (not of the app's storage)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa


def test_postgres_url_connects(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
            # The fixture promises a loopback-only, fsync-off server and an empty database.
            assert conn.execute(sa.text("SHOW listen_addresses")).scalar_one() == "127.0.0.1"
            assert conn.execute(sa.text("SHOW fsync")).scalar_one() == "off"
            assert sa.inspect(conn).get_table_names() == []
    finally:
        engine.dispose()


def test_sqlite_url_is_a_real_file(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
            conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    finally:
        engine.dispose()
    assert Path(sa.make_url(sqlite_url).database).is_file()


def test_database_url_gives_a_fresh_database(database_url: str) -> None:
    # Runs once per back end; a table left by another test would show up here.
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as conn:
            assert sa.inspect(conn).get_table_names() == []
            conn.execute(sa.text("CREATE TABLE scenario (id INTEGER PRIMARY KEY, name VARCHAR(50))"))
            conn.execute(sa.text("INSERT INTO scenario (id, name) VALUES (1, 'Fallstudie')"))
            assert conn.execute(sa.text("SELECT name FROM scenario")).scalar_one() == "Fallstudie"
    finally:
        engine.dispose()
