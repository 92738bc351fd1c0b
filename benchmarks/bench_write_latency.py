"""Latency of one save, and of a read, while many users save at once (a script, not a test).

Run: .venv/bin/python benchmarks/bench_write_latency.py [--workers 30] [--saves 10] [--no-postgres]
     [--synchronous normal]

Each worker saves an example scenario as the next version of its own scenario, each save in its own
transaction exactly as the app does (``writing`` of engine/storage/database.py, which ui/db.py's
``transaction()`` uses), as fast as it can: thirty people pressing "save" without pause is the
worst case of a shared server. Workers are threads of one process (one Streamlit server) or
separate processes (several servers on one database). Meanwhile four reader threads list the
scenarios and open one (``reading``, as the pages' views do). Printed: p50/p95/p99 in ms per
back end and kind of worker, for the saves and for the reads while they run. Back ends: SQLite
in a temp file, and PostgreSQL in a throwaway cluster started the way the test fixture starts it
(tests/conftest.py; as an unprivileged user when run as root). Issue 12's goal: p95 of a save
under 100 ms on SQLite with threads.

``--synchronous normal`` runs SQLite with ``PRAGMA synchronous = NORMAL`` instead of the app's
setting (SQLite's default, FULL: every commit waits for the disk). Under WAL, NORMAL never corrupts
the file, but a power cut or a crash of the machine (not of the app) may undo the last saves. The
flag measures what that trade would buy; the app does not make it.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# Run from anywhere: the engine is imported from the checkout, not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, event

from engine.examples import load_example
from engine.storage import get_version, list_scenarios, open_database, save_scenario, session_factory
from engine.storage.database import reading, writing

_READERS = 4
#: Pause of a reader between two page views (s): four readers make about 80 views a second.
_READ_PAUSE = 0.05
_GOAL_MS = 100.0


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 of ``samples`` (ms), by the inclusive method (no extrapolation)."""
    if len(samples) < 2:
        value = samples[0] if samples else float("nan")
        return value, value, value
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def _prepare(url: str, workers: int) -> list[int]:
    """Migrate the database and give every worker a scenario of its own to save versions of."""
    engine = open_database(url)
    try:
        sessions = session_factory(engine)
        scenario = load_example("ips")
        with writing(sessions) as session:
            return [save_scenario(session, scenario).document_id for _ in range(workers)]
    finally:
        engine.dispose()


def _save_loop(url: str, document_id: int, saves: int, start: Callable[[], object]) -> list[float]:
    """One worker: a warm-up save (connects), wait for the others, then ``saves`` timed saves."""
    engine = open_database(url, migrate=False)
    sessions = session_factory(engine)
    scenario = load_example("ips")
    try:
        with writing(sessions) as session:
            save_scenario(session, scenario, document_id)
        start()
        samples = []
        for _ in range(saves):
            began = time.perf_counter()
            with writing(sessions) as session:
                save_scenario(session, scenario, document_id)
            samples.append((time.perf_counter() - began) * 1000)
        return samples
    finally:
        engine.dispose()


def _thread_save_loop(sessions, document_id: int, saves: int, barrier: threading.Barrier,
                      out: list[float]) -> None:
    """A worker thread of one process: shares the process's engine, as Streamlit's sessions do."""
    scenario = load_example("ips")
    with writing(sessions) as session:
        save_scenario(session, scenario, document_id)
    barrier.wait()
    for _ in range(saves):
        began = time.perf_counter()
        with writing(sessions) as session:
            save_scenario(session, scenario, document_id)
        out.append((time.perf_counter() - began) * 1000)


def _process_worker(url: str, document_id: int, saves: int, barrier, results) -> None:
    try:
        results.put(_save_loop(url, document_id, saves, barrier.wait))
    except Exception as exc:  # a worker that fails reports instead of hanging the run
        results.put(repr(exc))


@contextlib.contextmanager
def _readers(sessions, document_id: int) -> Iterator[list[float]]:
    """Reader threads that list the scenarios and open one, in a loop, while the block runs."""
    samples: list[float] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            began = time.perf_counter()
            with reading(sessions) as session:
                list_scenarios(session)
                get_version(session, document_id)
            samples.append((time.perf_counter() - began) * 1000)
            time.sleep(_READ_PAUSE)

    threads = [threading.Thread(target=read, daemon=True) for _ in range(_READERS)]
    for thread in threads:
        thread.start()
    try:
        yield samples
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)


def run_threads(url: str, workers: int, saves: int) -> tuple[list[float], list[float], float]:
    """Saves by ``workers`` threads sharing one engine; returns (save ms, read ms, wall seconds)."""
    documents = _prepare(url, workers + 1)
    engine = open_database(url, migrate=False)
    sessions = session_factory(engine)
    barrier = threading.Barrier(workers + 1)
    out: list[float] = []
    threads = [threading.Thread(target=_thread_save_loop, args=(sessions, documents[i], saves, barrier, out))
               for i in range(workers)]
    try:
        for thread in threads:
            thread.start()
        barrier.wait()
        began = time.perf_counter()
        with _readers(sessions, documents[-1]) as reads:
            for thread in threads:
                thread.join()
        return out, reads, time.perf_counter() - began
    finally:
        engine.dispose()


def run_processes(url: str, workers: int, saves: int) -> tuple[list[float], list[float], float]:
    """Saves by ``workers`` processes, each with its own engine; the reads run in this process."""
    documents = _prepare(url, workers + 1)
    context = multiprocessing.get_context("fork")  # a fresh interpreter per worker would take minutes
    barrier, results = context.Barrier(workers + 1), context.Queue()
    processes = [context.Process(target=_process_worker, args=(url, documents[i], saves, barrier, results))
                 for i in range(workers)]
    for process in processes:
        process.start()
    engine = open_database(url, migrate=False)
    sessions = session_factory(engine)
    try:
        barrier.wait()
        began = time.perf_counter()
        out: list[float] = []
        with _readers(sessions, documents[-1]) as reads:
            for _ in processes:
                got = results.get(timeout=600)
                if isinstance(got, str):
                    raise RuntimeError(f"a worker failed: {got}")
                out.extend(got)
        wall = time.perf_counter() - began
        for process in processes:
            process.join(30)
        return out, reads, wall
    finally:
        engine.dispose()


@contextlib.contextmanager
def postgres_cluster() -> Iterator[Callable[[str], str] | None]:
    """A throwaway PostgreSQL cluster, started by the test suite's fixture; yields a function that
    makes a fresh database and returns its URL, or None (with the reason printed) when there is none."""
    import pytest

    from tests.conftest import postgres_server

    cluster = contextlib.contextmanager(postgres_server.__wrapped__)()
    try:
        server = cluster.__enter__()
    except pytest.skip.Exception as skipped:
        print(f"  PostgreSQL skipped: {skipped}")
        yield None
        return
    counter = iter(range(1, 1000))

    def fresh() -> str:
        name = f"bench{next(counter)}"
        with server.connect() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return server.url(name)

    try:
        yield fresh
    finally:
        cluster.__exit__(None, None, None)


def _row(label: str, saves: list[float], reads: list[float], wall: float) -> None:
    p50, p95, p99 = percentiles(saves)
    r50, r95, r99 = percentiles(reads)
    verdict = "ok" if p95 < _GOAL_MS else "OVER 100 ms"
    print(f"  {label:<22} {p50:8.1f} {p95:8.1f} {p99:8.1f} {len(saves) / wall:9.0f}/s   "
          f"{r50:8.1f} {r95:8.1f} {r99:8.1f} {len(reads):7d}   {verdict if 'SQLite, threads' in label else ''}")


def _sqlite_synchronous(mode: str) -> None:
    """Every SQLite connection of this run (and of its forked workers) commits with ``mode``."""

    def tune(connection, _record) -> None:
        if isinstance(connection, sqlite3.Connection):
            connection.execute(f"PRAGMA synchronous = {mode}")

    event.listen(Engine, "connect", tune)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=30)
    parser.add_argument("--saves", type=int, default=10, help="timed saves per worker")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--synchronous", choices=["full", "normal"], default=None,
                        help="SQLite's synchronous setting for this run (default: the app's, FULL)")
    args = parser.parse_args()
    if args.synchronous:
        _sqlite_synchronous(args.synchronous.upper())
    print(f"One save with {args.workers} concurrent writers, {args.saves} saves each; "
          f"{_READERS} readers meanwhile; SQLite synchronous = {(args.synchronous or 'full').upper()}. Milliseconds.")
    print(f"  {'':<22} {'save p50':>8} {'p95':>8} {'p99':>8} {'saves':>11}   "
          f"{'read p50':>8} {'p95':>8} {'p99':>8} {'reads':>7}")
    with tempfile.TemporaryDirectory(prefix="utk-bench-") as folder:
        for mode, run in (("threads", run_threads), ("processes", run_processes)):
            url = f"sqlite:///{Path(folder) / f'{mode}.db'}"
            _row(f"SQLite, {mode}", *run(url, args.workers, args.saves))
    if args.no_postgres:
        return
    with postgres_cluster() as fresh:
        if fresh is not None:
            for mode, run in (("threads", run_threads), ("processes", run_processes)):
                _row(f"PostgreSQL, {mode}", *run(fresh(), args.workers, args.saves))


if __name__ == "__main__":
    main()
