"""Thirty workshop participants answering the questionnaire at once: latency of one answer (a script, not a test).

Run: .venv/bin/python benchmarks/bench_workshop_writes.py [--participants 30] [--think 1 4] [--seed 14]
     [--alone 5] [--paced-processes] [--no-postgres] [--synchronous normal]

Issue 14's goal: 30 concurrent participants x 19 answers stored with no error, and p95 of an
answer's write under 100 ms on SQLite.

Every simulated participant joins the workshop (one transaction), then answers the 19 questions
of the questionnaire one by one, each answer in its own ``writing`` transaction calling
``record_answer(session, participant_id, question_id, value, step=i)``: the participant page's
path (ui/db.py's ``transaction()`` is ``writing`` plus error messages). The latency of an answer
runs from asking for the transaction to the end of its commit. Two pacings:

* "as people answer": everyone starts within the same second and thinks a random time before
  each answer (uniform 1-4 s by default, ``--think``; a fixed seed, ``--seed``). This is the
  realistic workshop. It takes about 50 s per run, so by default it runs once per back end, with
  threads; ``--paced-processes`` adds it for three processes too (about 50 s more per back end).
* "no pause": all participants start at the same instant and answer as fast as they can, the
  worst case. It runs with threads and with processes.

Threads share one engine in one process (one Streamlit server); "processes 3x10" are three
processes of ten threads, each with its own engine (three servers on one database). Back ends:
SQLite in a temp file and PostgreSQL in a throwaway cluster started like the test fixture
(``postgres_cluster`` of bench_write_latency.py; ``--no-postgres`` skips it). Every run gets a
fresh database and workshop; afterwards ``all_answers`` counts what was stored, and a missing
answer or any error makes the script exit with status 1.

For reference, the same run measures participants answering alone (``--alone`` of them, one after
another, without pause): the "x alone" column is a row's p95 divided by that p95 on the same back
end. A second table splits each answer's time into: queue (waiting in this process's writers'
queue, i.e. until ``writing`` is entered; SQLite only), begin (pool checkout and BEGIN, where
SQLite's BEGIN IMMEDIATE waits for writers of other processes), statements (``record_answer``)
and commit (the end of the block: the ORM's flush of what is still pending, such as the
participant's step, then COMMIT with SQLite's sync to disk, and the queue's hand-over). Page views that only read, which a real workshop also makes, are not simulated here
(bench_write_latency.py measures reads during saves).

``--synchronous normal`` runs SQLite with ``PRAGMA synchronous = NORMAL`` instead of the app's FULL,
to show what the disk sync at each commit costs; the app does not make that trade.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Run from anywhere: the engine is imported from the checkout, not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text

from benchmarks.bench_write_latency import _sqlite_synchronous, percentiles, postgres_cluster
from engine.questionnaire.scoring import load_questionnaire
from engine.storage import open_database, session_factory
from engine.storage.database import reading, writing
from engine.storage.workshops import WorkshopSetup, all_answers, create_workshop, join_workshop, record_answer
from engine.workshop.roles import ROLES

QUESTIONS = load_questionnaire().questions
GOAL_MS = 100.0
#: Parts of an answer's time, in the order they happen (see the module's docstring).
PHASES = ("queue", "begin", "statements", "commit")


@dataclass(frozen=True)
class Pace:
    """How participants behave: a think time range before each answer (None: no pause)."""

    think: tuple[float, float] | None
    seed: int
    #: Participants start spread over this many seconds (the room opening the link).
    spread: float = 0.0


@dataclass
class Outcome:
    #: Per answer, in ms: (total, queue, begin, statements, commit).
    answers: list[tuple[float, ...]] = field(default_factory=list)
    joins: list[float] = field(default_factory=list)    # ms per join transaction
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0                                    # seconds from the start signal to the last answer

    def merge(self, other: Outcome) -> None:
        self.answers += other.answers
        self.joins += other.joins
        self.errors += other.errors


def answer_of(question, person: int) -> str | float:
    """A valid answer that differs between participants: an option, or a number inside a band."""
    return question.example_of(question.options[person % len(question.options)])


# --- timing one answer ---------------------------------------------------------------------------

_moment = threading.local()


def _begun(_connection) -> None:
    """Listener of the engine's "begin" event. Added after the app's own listener (which issues
    BEGIN IMMEDIATE on SQLite), so it notes the moment the transaction has really begun."""
    _moment.begun = time.perf_counter()


def open_sessions(url: str):
    """An engine as the app opens it (already migrated), plus the listener that times BEGIN."""
    engine = open_database(url, migrate=False)
    event.listen(engine, "begin", _begun)
    return engine, session_factory(engine)


def timed_answer(sessions, participant_id: int, step: int, question) -> tuple[float, ...]:
    """Store one answer in its own transaction; (total, queue, begin, statements, commit) in ms."""
    _moment.begun = None
    asked = time.perf_counter()
    with writing(sessions) as session:
        entered = time.perf_counter()
        record_answer(session, participant_id, question.id, answer_of(question, participant_id), step=step)
        written = time.perf_counter()
    done = time.perf_counter()
    begun = _moment.begun if _moment.begun is not None else entered
    marks = (asked, entered, begun, written, done)
    return ((done - asked) * 1000, *((b - a) * 1000 for a, b in itertools.pairwise(marks)))


# --- participants ----------------------------------------------------------------------------------

def _participant(sessions, workshop_id: int, person: int, pace: Pace, gate: threading.Barrier,
                 out: Outcome) -> None:
    """One phone: wait for the start, join, then answer every question (errors are collected)."""
    rng = random.Random(pace.seed * 10_007 + person)
    gate.wait()
    time.sleep(rng.uniform(0, pace.spread))
    try:
        asked = time.perf_counter()
        with writing(sessions) as session:
            me, _secret = join_workshop(session, workshop_id, f"Deltagare {person + 1}", ROLES[person % len(ROLES)],
                                        device_hash=f"{person:064x}")
        out.joins.append((time.perf_counter() - asked) * 1000)
    except Exception as exc:  # counted and printed; a failure must not hide in a thread
        out.errors.append(f"participant {person} joining: {exc!r}")
        return
    for step, question in enumerate(QUESTIONS):
        if pace.think:
            time.sleep(rng.uniform(*pace.think))
        try:
            out.answers.append(timed_answer(sessions, me.id, step, question))
        except Exception as exc:
            out.errors.append(f"participant {person}, {question.id}: {exc!r}")


def _crowd(url: str, workshop_id: int, people: range, pace: Pace, ready: Callable[[], object]) -> Outcome:
    """``people`` as threads of this process sharing one engine; ``ready`` waits for the other
    processes (or returns at once); the wall time starts when all are released."""
    engine, sessions = open_sessions(url)
    try:
        with reading(sessions) as session:  # a server that has shown a page has a connection already
            session.execute(text("SELECT 1"))
        out = Outcome()
        gate = threading.Barrier(len(people) + 1)
        threads = [threading.Thread(target=_participant, args=(sessions, workshop_id, person, pace, gate, out))
                   for person in people]
        for thread in threads:
            thread.start()
        ready()
        gate.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        out.wall = time.perf_counter() - began
        return out
    finally:
        engine.dispose()


def _process_crowd(url: str, workshop_id: int, people: range, pace: Pace, barrier, results) -> None:
    try:
        results.put(_crowd(url, workshop_id, people, pace, lambda: barrier.wait(120)))
    except Exception as exc:  # a server that fails reports instead of leaving the parent waiting
        barrier.abort()
        results.put(repr(exc))


def run_threads(url: str, workshop_id: int, participants: int, pace: Pace) -> Outcome:
    return _crowd(url, workshop_id, range(participants), pace, lambda: None)


def run_processes(url: str, workshop_id: int, participants: int, pace: Pace, processes: int = 3) -> Outcome:
    """``participants`` spread over ``processes`` forked processes (servers), threads in each."""
    context = multiprocessing.get_context("fork")  # no engine is open here when it forks (see prepare)
    barrier, results = context.Barrier(processes + 1), context.Queue()
    shares = [range(k, participants, processes) for k in range(processes)]
    workers = [context.Process(target=_process_crowd, args=(url, workshop_id, share, pace, barrier, results))
               for share in shares]
    for worker in workers:
        worker.start()
    barrier.wait(120)
    began = time.perf_counter()
    merged = Outcome()
    for _ in workers:
        got = results.get(timeout=600)
        if isinstance(got, str):
            raise RuntimeError(f"a server process failed: {got}")
        merged.merge(got)
    merged.wall = time.perf_counter() - began
    for worker in workers:
        worker.join(30)
    return merged


def run_alone(url: str, workshop_id: int, participants: int) -> Outcome:
    """Participants one after another, each answering without pause while nobody else writes."""
    merged = Outcome()
    for person in range(participants):
        single = _crowd(url, workshop_id, range(person, person + 1), Pace(None, 0), lambda: None)
        merged.merge(single)
        merged.wall += single.wall
    return merged


# --- databases ---------------------------------------------------------------------------------------

def prepare(url: str) -> int:
    """Migrate the database and create an open workshop; the engine is closed again, so no
    connection is inherited by forked processes."""
    engine = open_database(url)
    try:
        with writing(session_factory(engine)) as session:
            return create_workshop(session, WorkshopSetup(title="Benchmark", date="2026-12-02")).workshop.id
    finally:
        engine.dispose()


def count(url: str, workshop_id: int) -> tuple[int, int]:
    """(participants, answers) stored for the workshop, as the facilitator's view reads them."""
    engine = open_database(url, migrate=False)
    try:
        with reading(session_factory(engine)) as session:
            everyone = all_answers(session, workshop_id)
        return len(everyone), sum(len(answers) for _, answers in everyone)
    finally:
        engine.dispose()


# --- report ----------------------------------------------------------------------------------------

@dataclass
class Report:
    failed: bool = False
    finished: list[tuple[str, Outcome]] = field(default_factory=list)

    def header(self) -> None:
        print(f"  {'':<46} {'p50':>7} {'p95':>7} {'p99':>7} {'x alone':>8} {'answers/s':>10} {'join p95':>9}   "
              f"{'stored':<28} verdict")

    def row(self, label: str, url: str, workshop_id: int, out: Outcome, people: int, alone_p95: float | None,
            verdict: bool = False) -> float:
        """Print one run's figures and what it stored; returns its p95."""
        joined, stored = count(url, workshop_id)
        expected = people * len(QUESTIONS)
        p50, p95, p99 = percentiles([a[0] for a in out.answers])
        join95 = percentiles(out.joins)[1]
        ratio = f"{p95 / alone_p95:7.1f}x" if alone_p95 else f"{'':>8}"
        rate = len(out.answers) / out.wall if out.wall else float("nan")
        failed = bool(out.errors) or stored != expected or joined != people
        judged = ("ok" if p95 < GOAL_MS else f"OVER {GOAL_MS:g} ms") if verdict else ""
        judged = "FAILED" if failed else judged
        print(f"  {label:<46} {p50:7.1f} {p95:7.1f} {p99:7.1f} {ratio} {rate:8.0f}/s {join95:9.1f}   "
              f"{f'stored {stored} of {expected}, errors {len(out.errors)}':<28} {judged}", flush=True)
        if failed:
            self.failed = True
            print(f"    FAILED: {joined} of {people} participants stored, {stored} of {expected} answers, "
                  f"{len(out.errors)} errors", flush=True)
            for error in out.errors[:5]:
                print(f"      {error}")
        self.finished.append((label, out))
        return p95

    def split(self) -> None:
        """Where an answer's time goes: mean ms per phase, over all answers and over the slowest 5 %."""
        print("\nWhere an answer's time goes (mean ms per phase; all answers | the slowest 5 %):")
        names = " ".join(f"{p:>10}" for p in PHASES)
        print(f"  {'':<46} {names}   | {names}")
        for label, out in self.finished:
            if not out.answers:
                continue
            p95 = percentiles([a[0] for a in out.answers])[1]
            slow = [a for a in out.answers if a[0] >= p95] or out.answers
            every = " ".join(f"{statistics.fmean(a[i] for a in out.answers):10.1f}" for i in range(1, 5))
            tail = " ".join(f"{statistics.fmean(a[i] for a in slow):10.1f}" for i in range(1, 5))
            print(f"  {label:<46} {every}   | {tail}")


def measure(name: str, fresh: Callable[[], str], args: argparse.Namespace, report: Report) -> None:
    """All runs on one back end; ``fresh`` returns the URL of a new, empty database."""
    people = args.participants
    paced = Pace(tuple(args.think), args.seed, spread=1.0)
    flat = Pace(None, args.seed)
    sqlite = name == "SQLite"
    servers = f"processes {args.processes}x{-(-people // args.processes)}"

    url = fresh()
    workshop = prepare(url)
    alone = run_alone(url, workshop, args.alone)
    alone_p95 = report.row(f"{name}, alone ({args.alone} one after another)", url, workshop, alone, args.alone, None)

    runs: list[tuple[str, Callable[..., Outcome], Pace, bool]] = [
        ("threads, as people answer", run_threads, paced, sqlite),
        ("threads, no pause", run_threads, flat, sqlite),
        (f"{servers}, no pause", run_processes, flat, False),
    ]
    if args.paced_processes:
        runs.insert(1, (f"{servers}, as people answer", run_processes, paced, False))
    for label, run, pace, verdict in runs:
        url = fresh()
        workshop = prepare(url)
        extra = {"processes": args.processes} if run is run_processes else {}
        out = run(url, workshop, people, pace, **extra)
        report.row(f"{name}, {label}", url, workshop, out, people, alone_p95, verdict)


def _sqlite_files(folder: str) -> Iterator[str]:
    for number in range(1, 1000):
        yield f"sqlite:///{Path(folder) / f'run{number}.db'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--processes", type=int, default=3, help="servers in the processes runs")
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 4.0], metavar=("LOW", "HIGH"),
                        help="think time before each answer in the paced runs, seconds (uniform)")
    parser.add_argument("--seed", type=int, default=14, help="seed of the think times")
    parser.add_argument("--alone", type=int, default=5, help="participants answering alone, for reference")
    parser.add_argument("--paced-processes", action="store_true", help="also run the paced case with processes")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--synchronous", choices=["full", "normal"], default=None,
                        help="SQLite's synchronous setting for this run (default: the app's, FULL)")
    args = parser.parse_args()
    if args.synchronous:
        _sqlite_synchronous(args.synchronous.upper())
    low, high = args.think
    print(f"Workshop answers: {args.participants} participants x {len(QUESTIONS)} answers, each answer its own "
          f"transaction (writing + record_answer); think {low:g}-{high:g} s when paced, seed {args.seed}; "
          f"SQLite synchronous = {(args.synchronous or 'full').upper()}. Answer latency in ms.")
    report = Report()
    report.header()
    with tempfile.TemporaryDirectory(prefix="utk-bench-") as folder:
        files = _sqlite_files(folder)
        measure("SQLite", lambda: next(files), args, report)
    if not args.no_postgres:
        with postgres_cluster() as fresh:
            if fresh is not None:
                measure("PostgreSQL", fresh, args, report)
    report.split()
    if report.failed:
        print("\nFAILED: answers were lost or writes failed (see above).")
        sys.exit(1)


if __name__ == "__main__":
    main()
