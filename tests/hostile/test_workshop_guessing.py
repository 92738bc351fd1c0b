"""1 000 join attempts with wrong codes, through the participant page's own guard (ui/join_guard.py):
from one browser, from a thousand browser sessions at one address, and from eight threads at once.
At most the limit is ever looked up, nothing is written, and a real workshop is untouched."""

from __future__ import annotations

import threading

import pytest

import ui.join_guard as guard
from engine.storage import open_database, session_factory
from engine.storage import workshops as ws
from engine.storage.database import reading, writing
from engine.workshop.attempts import AttemptLimiter
from engine.workshop.codes import JOIN_CODE_ALPHABET, JOIN_CODE_SPACE, guess_effort


@pytest.fixture
def fresh_limiter(monkeypatch):
    limiter = AttemptLimiter(limit=guard.LIMIT, window_seconds=guard.WINDOW_SECONDS)
    monkeypatch.setattr(guard, "LIMITER", limiter)
    return limiter


@pytest.fixture
def sessions(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'guess.db'}")
    yield session_factory(engine)
    engine.dispose()


def _wrong_code(n: int) -> str:
    return "".join(JOIN_CODE_ALPHABET[(n >> (5 * i)) % 32] for i in range(8))


def _try(sessions, keys, code: str, looked_up: list[str]) -> str:
    def lookup():
        looked_up.append(code)
        with reading(sessions) as session:
            return ws.workshop_by_code(session, code)

    try:
        return "found" if guard.guarded_lookup(keys, lookup) is not None else "wrong"
    except guard.Blocked:
        return "blocked"


def _row_counts(sessions) -> dict[str, int]:
    with reading(sessions) as session:
        return {"participants": len(ws.participants(session, 1)), "workshop": ws.get_workshop(session, 1).version}


def test_a_thousand_wrong_codes_from_one_address_in_a_thousand_sessions_look_up_twenty(sessions, fresh_limiter):
    with writing(sessions) as session:
        real = ws.create_workshop(session, ws.WorkshopSetup(title="Riktig", date="2026-12-02")).workshop
    before = _row_counts(sessions)
    looked_up: list[str] = []
    outcomes = [_try(sessions, ("ip:203.0.113.9", f"browser-session:{n}"), _wrong_code(n), looked_up)
                for n in range(1_000) if _wrong_code(n) != real.join_code]
    assert len(looked_up) == guard.LIMIT
    assert outcomes.count("wrong") == guard.LIMIT
    assert outcomes.count("blocked") == len(outcomes) - guard.LIMIT
    # The right code is refused too while the address is blocked: a lucky guess late in a run gains nothing.
    assert _try(sessions, ("ip:203.0.113.9", "browser-session:new"), real.join_code, looked_up) == "blocked"
    # Another address is not held back by this one's failures, and nothing was written by any attempt.
    assert _try(sessions, ("ip:198.51.100.7", "browser-session:other"), real.join_code, looked_up) == "found"
    assert _row_counts(sessions) == before


def test_eight_threads_guessing_at_once_get_no_more_look_ups_than_the_limit(sessions, fresh_limiter):
    with writing(sessions) as session:
        ws.create_workshop(session, ws.WorkshopSetup(title="Riktig", date="2026-12-02"))
    looked_up: list[str] = []
    start = threading.Barrier(8)

    def guess(thread: int) -> None:
        start.wait()
        for n in range(125):
            _try(sessions, ("ip:203.0.113.9", f"browser-session:{thread}"), _wrong_code(1_000 * thread + n), looked_up)

    threads = [threading.Thread(target=guess, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(looked_up) == guard.LIMIT


def test_the_guessing_effort_stated_in_the_readme():
    effort = guess_effort(open_workshops=100, attempts_per_window=guard.LIMIT, window_seconds=guard.WINDOW_SECONDS)
    assert JOIN_CODE_SPACE == 2**40
    assert effort.expected_guesses == pytest.approx(1.09e10, rel=0.01)
    assert effort.expected_years > 10_000
