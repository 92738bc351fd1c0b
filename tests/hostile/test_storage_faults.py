"""The database fails under the user: a read-only file, a full disk, a lock held past the timeout, a
PostgreSQL server that goes away. Each becomes a message in the user's language where the action
was, never a traceback; what the user typed stays in the field; and the same click works once the
database is back.

Two layers. The classifier (engine/storage/faults.py) gets real errors from a real SQLite file and
a real PostgreSQL. The page (Långsiktig kalkyl through AppTest) gets the faults injected into the
app's own engine: every new connection of it is made read-only (``PRAGMA query_only``) or may not
grow the file (``PRAGMA max_page_count``: SQLite's "database or disk is full"), or another
connection holds the write lock; the PostgreSQL cluster is stopped and started again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event
from streamlit.testing.v1 import AppTest

from engine.examples import load_example
from engine.i18n import translate
from engine.scenario import blank_scenario
from engine.storage import database as storage_database
from engine.storage import list_scenarios, list_versions, load_scenario, open_database, save_scenario, session_factory
from engine.storage.database import reading, writing
from engine.storage.faults import FAULT_KINDS, fault_kind
from tests.conftest import PostgresServer, _cluster_os_user
from tests.pages.typing import typed, value_of

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/kalkyl.py"
#: Short, so a test of a held lock does not wait the app's ten seconds.
BUSY_MS = 300


# --- the classifier, on real errors ------------------------------------------------------------------


def _error_of(action) -> BaseException:
    try:
        action()
    except Exception as exc:
        return exc
    raise AssertionError("the database did not fail")


def _save_in(sessions) -> None:
    with writing(sessions) as session:
        save_scenario(session, blank_scenario("Fel"))


def test_every_kind_has_a_message_in_both_languages():
    for kind in FAULT_KINDS:
        for lang in ("sv", "en"):
            assert translate(f"storage.{kind}", lang) != f"storage.{kind}"


def test_a_read_only_sqlite_file_is_read_only(sqlite_url):
    open_database(sqlite_url).dispose()
    path = sqlite_url.removeprefix("sqlite:///")
    engine = open_database(f"sqlite:///file:{path}?mode=ro&uri=true", migrate=False)
    try:
        sessions = session_factory(engine)
        with reading(sessions) as session:  # reading still works
            assert list_scenarios(session) == []
        assert fault_kind(_error_of(lambda: _save_in(sessions))) == "read_only"
    finally:
        engine.dispose()


def test_a_full_sqlite_file_is_full(sqlite_url):
    engine = open_database(sqlite_url)
    event.listen(engine, "connect", _no_room)
    engine.dispose()
    try:
        sessions = session_factory(engine)
        error = _error_of(lambda: [_save_example(sessions) for _ in range(200)])
        assert fault_kind(error) == "full"
    finally:
        engine.dispose()


def _save_example(sessions) -> None:
    with writing(sessions) as session:
        save_scenario(session, load_example("ips"))


def test_a_lock_held_past_the_timeout_is_locked(sqlite_url, monkeypatch):
    monkeypatch.setattr(storage_database, "SQLITE_BUSY_TIMEOUT_MS", BUSY_MS)
    engine = open_database(sqlite_url)
    try:
        with _write_lock_held(sqlite_url):
            assert fault_kind(_error_of(lambda: _save_in(session_factory(engine)))) == "locked"
    finally:
        engine.dispose()


def test_a_database_that_cannot_be_opened_is_unreachable(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    error = _error_of(lambda: open_database(f"sqlite:///file:{blocker}/db.sqlite3?mode=ro&uri=true"))
    assert fault_kind(error) == "unreachable"


def test_errors_that_are_not_the_database_are_left_alone():
    assert fault_kind(ValueError("a bug")) is None
    assert fault_kind(KeyError("x")) is None
    assert fault_kind(sqlite3.OperationalError("disk I/O error")) == "other"


@pytest.mark.postgres
def test_postgresql_faults_are_classified(postgres_server, postgres_url):
    closed = open_database(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/x", migrate=False)
    try:
        assert fault_kind(_error_of(lambda: _save_in(session_factory(closed)))) == "unreachable"
    finally:
        closed.dispose()
    engine = open_database(postgres_url)
    try:
        with postgres_server.connect() as admin:
            admin.execute(f'ALTER DATABASE "{postgres_url.rsplit("/", 1)[1]}" SET default_transaction_read_only = on')
        engine.dispose()
        assert fault_kind(_error_of(lambda: _save_in(session_factory(engine)))) == "read_only"
    finally:
        engine.dispose()


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free, and nothing listens once the probe is closed


# --- faults the app's engine meets -----------------------------------------------------------------


def _no_room(connection, _record) -> None:
    """SQLite may not grow the file beyond the pages it has now: its "database or disk is full"."""
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")


def _read_only(connection, _record) -> None:
    connection.execute("PRAGMA query_only = ON")


@contextlib.contextmanager
def _on_every_connection(engine: Engine, tune) -> Iterator[None]:
    """Every connection ``engine`` makes while the block runs gets ``tune``; the pool is emptied on
    the way in and out, so no connection made before (or during) the fault is used after it."""
    event.listen(engine, "connect", tune)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", tune)
        engine.dispose()


@contextlib.contextmanager
def _write_lock_held(url: str) -> Iterator[None]:
    """Another connection holds SQLite's write lock (BEGIN IMMEDIATE) while the block runs."""
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _app_engine(url: str) -> Engine:
    """The engine the app under test made for ``url`` (the same process, the same resource cache)."""
    from ui.db import _sessions

    return _sessions(url).kw["bind"]


def _open(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _effect_key(at: AppTest) -> str:
    return next(w.key for w in at.text_input if w.key and w.key.endswith("_o0_effect"))


def _save_button(at: AppTest):
    return next(b for b in at.button if b.key and b.key.endswith("_save"))


def _saved_ips(url: str) -> int:
    engine = open_database(url)
    with session_factory(engine).begin() as session:
        document_id = save_scenario(session, load_example("ips")).document_id
    engine.dispose()
    return document_id


def _edited_page(url: str, lang: str | None = None) -> tuple[AppTest, int, str]:
    """Långsiktig kalkyl with a saved scenario open and its first effect raised by 2 points, unsaved."""
    document_id = _saved_ips(url)
    at = _open(lang)
    at.selectbox(key="open_source_widget").set_value(f"saved:{document_id}").run()
    key = _effect_key(at)
    edited = typed(value_of(at.text_input(key=key)) + 2)
    at.text_input(key=key).set_value(edited).run()
    assert not at.exception, at.exception
    shown = at.text_input(key=_effect_key(at)).value  # as the app writes it back ("42 %")
    assert value_of(at.text_input(key=_effect_key(at))) == pytest.approx(float(edited.replace(",", ".")))
    return at, document_id, shown


def _saved_versions(url: str, document_id: int) -> list[int]:
    engine = open_database(url, migrate=False)
    try:
        with reading(session_factory(engine)) as session:
            return [v.number for v in list_versions(session, document_id)]
    finally:
        engine.dispose()


def _assert_told_and_kept(at: AppTest, kind: str, lang: str, edited: str) -> None:
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [translate(f"storage.{kind}", lang)]
    assert at.text_input(key=_effect_key(at)).value == edited


def _assert_saves_once_back(at: AppTest, url: str, document_id: int) -> None:
    _save_button(at).click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    assert _saved_versions(url, document_id) == [2, 1]
    engine = open_database(url, migrate=False)
    with reading(session_factory(engine)) as session:
        effect = load_scenario(session, document_id).outcomes[0].effect
    engine.dispose()
    assert effect == pytest.approx(load_example("ips").outcomes[0].effect + 0.02)


@pytest.mark.parametrize(("kind", "tune"), [("read_only", _read_only), ("full", _no_room)])
def test_a_save_the_database_refuses_is_explained_and_the_edit_kept(app_db, kind, tune):
    at, document_id, edited = _edited_page(app_db)
    with _on_every_connection(_app_engine(app_db), tune):
        _save_button(at).click().run()
        _assert_told_and_kept(at, kind, "sv", edited)
        assert _saved_versions(app_db, document_id) == [1]
        at.run()  # another view while the fault lasts: reading needs no writing, the edit is there
        assert not at.exception, at.exception
        assert at.text_input(key=_effect_key(at)).value == edited
    _assert_saves_once_back(at, app_db, document_id)


def test_an_edit_typed_while_the_database_is_read_only_is_kept_and_saved_once_it_is_back(app_db):
    # Typing writes the draft (kept for a reload); the database refuses it. The edit must stay in the
    # field and in the working copy the pages start from, and be written once the database is back.
    document_id = _saved_ips(app_db)
    at = _open()
    at.selectbox(key="open_source_widget").set_value(f"saved:{document_id}").run()
    key = _effect_key(at)
    edited = typed(value_of(at.text_input(key=key)) + 2)
    with _on_every_connection(_app_engine(app_db), _read_only):
        at.text_input(key=key).set_value(edited).run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == [translate("storage.read_only", "sv")]
        assert value_of(at.text_input(key=key)) == pytest.approx(float(edited))
        kept = at.session_state["open_scenario_copy"]["draft"]
        assert kept["outcomes"][0]["effect"] == pytest.approx(load_example("ips").outcomes[0].effect + 0.02)
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    _assert_saves_once_back(at, app_db, document_id)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_lock_held_past_the_timeout_is_explained_and_the_edit_kept(app_db, monkeypatch, lang):
    monkeypatch.setattr(storage_database, "SQLITE_BUSY_TIMEOUT_MS", BUSY_MS)
    at, document_id, edited = _edited_page(app_db, lang)
    with _write_lock_held(app_db):
        _save_button(at).click().run()
        _assert_told_and_kept(at, "locked", lang, edited)
    _assert_saves_once_back(at, app_db, document_id)


# --- PostgreSQL goes away and comes back -------------------------------------------------------------


def _pg_ctl(server: PostgresServer, *args: str) -> None:
    """Run pg_ctl on the test cluster as the account that owns it (not root)."""
    user = _cluster_os_user()
    owner = {} if user is None else {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    subprocess.run([str(server.bindir / "pg_ctl"), "-D", str(server.datadir), *args], cwd=server.datadir.parent,
                   env={**os.environ, "LC_ALL": "C", "LANG": "C"}, capture_output=True, text=True, timeout=120,
                   check=True, **owner)


@contextlib.contextmanager
def _server_stopped(server: PostgresServer) -> Iterator[None]:
    _pg_ctl(server, "-m", "fast", "-w", "stop")
    try:
        yield
    finally:
        _pg_ctl(server, "-l", str(server.logfile), "-o", f"-p {server.port}", "-w", "start")


@pytest.mark.postgres
def test_a_lost_postgresql_server_is_explained_the_edit_kept_and_the_app_recovers(
        postgres_server, postgres_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    at, document_id, edited = _edited_page(postgres_url)
    with _server_stopped(postgres_server):
        _save_button(at).click().run()
        assert not at.exception, at.exception
        # The first thing the run asks of the database (the list of scenarios above the inputs, or
        # the save) is where the message stands; the run stops there.
        assert [e.value for e in at.error] == [translate("storage.unreachable", "sv")]
        assert fault_kind(_error_of(lambda: _saved_versions(postgres_url, document_id))) == "unreachable"
    # Back: the pooled connections died with the server; the next page view must not notice.
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    assert at.text_input(key=_effect_key(at)).value == edited
    _assert_saves_once_back(at, postgres_url, document_id)

