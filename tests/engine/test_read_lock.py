"""Views that only read take no write lock: on a real SQLite file and a real PostgreSQL, a read
answers at once and sees the last committed data while another user's save holds its transaction
open, and writes still take turns exactly as before."""

import threading
import time

import pytest
from sqlalchemy import event, text

from engine.scenario import blank_scenario
from engine.storage import database as storage_database
from engine.storage import get_version, list_scenarios, list_versions, open_database, save_scenario, session_factory
from engine.storage.database import reading, writing

#: How long the other user's transaction stays open in these tests (seconds).
HOLD = 1.0
#: A read "returns at once" when it is this much faster than the hold (and than the busy timeout).
AT_ONCE = 0.4


@pytest.fixture
def sessions(database_url, monkeypatch):
    # A busy timeout well above HOLD: a read that waited for the writer would show up as a delay of
    # about HOLD, not as an error.
    monkeypatch.setattr(storage_database, "SQLITE_BUSY_TIMEOUT_MS", 5_000)
    engine = open_database(database_url)
    yield session_factory(engine)
    engine.dispose()


def _saved(sessions, name: str = "Bas") -> int:
    with writing(sessions) as session:
        return save_scenario(session, blank_scenario(name)).document_id


def _hold_a_save_open(sessions, document_id: int, started: threading.Event, release: threading.Event) -> None:
    """Another user's save of ``document_id``, left uncommitted until ``release`` is set."""
    with writing(sessions) as session:
        save_scenario(session, blank_scenario("Ej sparad ännu"), document_id)
        started.set()
        release.wait(10)


def _in_thread(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def test_a_read_answers_at_once_while_a_save_is_in_progress_and_sees_what_is_committed(sessions):
    document_id = _saved(sessions)
    started, release = threading.Event(), threading.Event()
    holder = _in_thread(_hold_a_save_open, sessions, document_id, started, release)
    assert started.wait(10)
    try:
        began = time.perf_counter()
        with reading(sessions) as session:
            listed = list_scenarios(session)
            latest = get_version(session, document_id)
        waited = time.perf_counter() - began
    finally:
        release.set()
        holder.join(10)
    assert waited < AT_ONCE, f"the read waited {waited:.3f} s for the writer"
    assert [s.name for s in listed] == ["Bas"]
    assert (latest.info.number, latest.payload["name"]) == (1, "Bas")
    with reading(sessions) as session:  # and the save, once committed, is what the next read sees
        assert [v.number for v in list_versions(session, document_id)] == [2, 1]


def test_a_write_still_waits_for_the_save_in_progress_and_follows_it(sessions):
    document_id = _saved(sessions)
    started, release = threading.Event(), threading.Event()
    holder = _in_thread(_hold_a_save_open, sessions, document_id, started, release)
    assert started.wait(10)
    threading.Timer(HOLD, release.set).start()
    began = time.perf_counter()
    with writing(sessions) as session:
        mine = save_scenario(session, blank_scenario("Min"), document_id)
    waited = time.perf_counter() - began
    holder.join(10)
    assert waited >= HOLD * 0.8, f"the second save did not wait for the first ({waited:.3f} s)"
    assert mine.number == 3  # after the other user's version 2, never a clash or a lost update


def test_writers_of_one_process_take_turns_without_losing_a_version(sessions):
    document_id = _saved(sessions)

    def save_five():
        for _ in range(5):
            with writing(sessions) as session:
                save_scenario(session, blank_scenario("Turvis"), document_id)

    threads = [_in_thread(save_five) for _ in range(6)]
    for thread in threads:
        thread.join(60)
    with reading(sessions) as session:
        assert [v.number for v in list_versions(session, document_id)] == list(range(31, 0, -1))


def test_plain_begin_is_as_safe_as_writing(sessions):
    # Code that opens sessions itself (the CLI, older tests) keeps the write lock it always had.
    document_id = _saved(sessions)
    with sessions.begin() as session:
        assert save_scenario(session, blank_scenario("Direkt"), document_id).number == 2


@pytest.mark.postgres
def test_postgresql_refuses_a_write_inside_a_read(postgres_url):
    engine = open_database(postgres_url)
    sessions = session_factory(engine)
    try:
        with pytest.raises(Exception, match="read-only transaction"), reading(sessions) as session:
            save_scenario(session, blank_scenario("Får inte sparas"))
        with reading(sessions) as session:
            assert list_scenarios(session) == []
            assert session.execute(text("SHOW transaction_read_only")).scalar() == "on"
    finally:
        engine.dispose()


def test_sqlite_reads_begin_deferred_and_writes_immediately(sqlite_url):
    engine = open_database(sqlite_url)
    sessions = session_factory(engine)
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with reading(sessions) as session:
            list_scenarios(session)
        with writing(sessions) as session:
            save_scenario(session, blank_scenario("X"))
    finally:
        engine.dispose()
    assert seen == ["BEGIN", "BEGIN IMMEDIATE"]
