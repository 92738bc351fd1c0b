"""Workshops in storage, on a real SQLite file and a real PostgreSQL: access by secret, the rules on
names, closed workshops and rounds, and thirty participants answering at once (threads, then
processes) with every answer counted afterwards."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from engine.questionnaire.scoring import AnswersError, load_questionnaire
from engine.storage import VersionConflict, open_database, session_factory
from engine.storage.database import reading, writing
from engine.storage.workshops import (
    MAX_PARTICIPANT_NAME,
    NameTaken,
    RoundNotOpen,
    RoundStillOpen,
    WorkshopClosed,
    WorkshopSetup,
    all_answers,
    close_round,
    close_workshop,
    create_workshop,
    facilitator_workshop,
    join_workshop,
    open_round,
    open_round_of,
    participant_answers,
    participant_by_secret,
    participants,
    participants_on_device,
    record_answer,
    record_estimate,
    reopen_round,
    reopen_workshop,
    round_estimates,
    rounds,
    save_setup,
    workshop_by_code,
    workshop_history,
)
from engine.workshop.rounds import RoundTarget

DEVICE = "a" * 64
QUESTIONS = load_questionnaire().questions


def _answer_of(question, n: int):
    """A valid answer to ``question`` that varies with ``n``."""
    if question.kind == "choice":
        return question.options[n % len(question.options)]
    return float(question.minimum or 0) + n % 3


@pytest.fixture
def created(sessions):
    with writing(sessions) as session:
        return create_workshop(session, WorkshopSetup(title="Unga vuxna", date="2026-12-02", organisation="Lunds kommun"))


def test_the_facilitator_secret_and_the_join_code_find_the_workshop_and_a_changed_character_does_not(sessions, created):
    secret = created.facilitator_secret
    with reading(sessions) as session:
        assert facilitator_workshop(session, secret).id == created.workshop.id
        assert workshop_by_code(session, created.workshop.join_code).id == created.workshop.id
        changed = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        assert facilitator_workshop(session, changed) is None
        assert facilitator_workshop(session, "") is None
        assert facilitator_workshop(session, "x" * 10_000) is None
        assert workshop_by_code(session, "ZZZZZZZZ") is None or created.workshop.join_code == "ZZZZZZZZ"


def test_the_secrets_are_stored_only_as_hashes(sessions, created):
    with writing(sessions) as session:
        _, participant_secret = join_workshop(session, created.workshop.id, "Anna", "kommun", DEVICE)
    engine = sessions.kw["bind"]
    with engine.connect() as connection:
        dump = " ".join(str(row) for table in ("workshops", "workshop_participants")
                        for row in connection.exec_driver_sql(f"SELECT * FROM {table}"))
    assert created.facilitator_secret not in dump
    assert participant_secret not in dump


def test_names_are_checked_and_two_people_cannot_share_one(sessions, created):
    workshop = created.workshop.id
    with writing(sessions) as session:
        join_workshop(session, workshop, "  Anna   Berg ", "kommun", DEVICE)
    for name, problem in (("", "empty"), ("   ", "empty"), ("x" * 10_000, "long"),
                          ("x" * (MAX_PARTICIPANT_NAME + 1), "long"), ("Anna\u0000", "control")):
        with pytest.raises(ValueError, match=problem), writing(sessions) as session:
            join_workshop(session, workshop, name, "kommun", DEVICE)
    with pytest.raises(NameTaken), writing(sessions) as session:
        join_workshop(session, workshop, "anna berg", "region", "b" * 64)
    with pytest.raises(ValueError, match="role"), writing(sessions) as session:
        join_workshop(session, workshop, "Bo", "kung", DEVICE)
    with reading(sessions) as session:
        assert [p.name for p in participants(session, workshop)] == ["Anna Berg"]


def test_a_participant_is_found_by_their_secret_in_their_workshop_only(sessions, created):
    with writing(sessions) as session:
        other = create_workshop(session, WorkshopSetup(title="Annan", date="2026-12-02"))
        me, secret = join_workshop(session, created.workshop.id, "Anna", "kommun", DEVICE)
    with reading(sessions) as session:
        assert participant_by_secret(session, created.workshop.id, secret).id == me.id
        assert participant_by_secret(session, other.workshop.id, secret) is None
        assert participant_by_secret(session, created.workshop.id, secret[:-1] + "x") is None
        assert [p.id for p in participants_on_device(session, created.workshop.id, DEVICE)] == [me.id]
        assert participants_on_device(session, created.workshop.id, "c" * 64) == []


def test_an_answer_is_checked_stored_replaced_and_removed(sessions, created):
    with writing(sessions) as session:
        me, _ = join_workshop(session, created.workshop.id, "Anna", "kommun", DEVICE)
        record_answer(session, me.id, "purpose", "test_new_method", step=1)
        record_answer(session, me.id, "purpose", "scale_proven_method", step=1)
        record_answer(session, me.id, "time_to_effect_years", 4.5, step=5)
    with pytest.raises(AnswersError), writing(sessions) as session:
        record_answer(session, me.id, "purpose", "no_such_option")
    with pytest.raises(AnswersError), writing(sessions) as session:
        record_answer(session, me.id, "time_to_effect_years", 400)
    with reading(sessions) as session:
        assert participant_answers(session, me.id) == {"purpose": "scale_proven_method", "time_to_effect_years": 4.5}
        assert participants(session, created.workshop.id)[0].step == 5
    with writing(sessions) as session:
        record_answer(session, me.id, "purpose", None)
    with reading(sessions) as session:
        assert participant_answers(session, me.id) == {"time_to_effect_years": 4.5}


def test_a_closed_workshop_takes_nothing_and_keeps_everything_and_can_be_reopened(sessions, created):
    workshop = created.workshop.id
    with writing(sessions) as session:
        me, _ = join_workshop(session, workshop, "Anna", "kommun", DEVICE)
        record_answer(session, me.id, "purpose", "test_new_method")
        close_workshop(session, workshop)
    for action in (lambda s: record_answer(s, me.id, "purpose", "scale_proven_method"),
                   lambda s: join_workshop(s, workshop, "Bo", "region", DEVICE),
                   lambda s: open_round(s, workshop, RoundTarget("effect", 0), None)):
        with pytest.raises(WorkshopClosed), writing(sessions) as session:
            action(session)
    with reading(sessions) as session:
        assert participant_answers(session, me.id) == {"purpose": "test_new_method"}
        assert [v.event for v in workshop_history(session, workshop)] == ["closed", "created"]
    with writing(sessions) as session:
        reopen_workshop(session, workshop)
        record_answer(session, me.id, "purpose", "scale_proven_method")
    with reading(sessions) as session:
        assert participant_answers(session, me.id) == {"purpose": "scale_proven_method"}
        assert [v.event for v in workshop_history(session, workshop)] == ["reopened", "closed", "created"]


def test_two_facilitator_screens_saving_at_once_get_a_conflict_not_a_lost_update(sessions, created):
    workshop = created.workshop
    with writing(sessions) as session:
        save_setup(session, workshop.id, WorkshopSetup(**{**workshop.setup.__dict__, "decisions": "Gå vidare"}),
                   based_on=workshop.version)
    with pytest.raises(VersionConflict), writing(sessions) as session:
        save_setup(session, workshop.id, WorkshopSetup(**{**workshop.setup.__dict__, "notes": "Annat"}),
                   based_on=workshop.version)
    with reading(sessions) as session:
        assert facilitator_workshop(session, created.facilitator_secret).setup.decisions == "Gå vidare"


def test_agreed_answers_are_checked_like_any_answer_set(sessions, created):
    setup = WorkshopSetup(**{**created.workshop.setup.__dict__, "agreed": {"purpose": "nonsense"}})
    with pytest.raises(AnswersError), writing(sessions) as session:
        save_setup(session, created.workshop.id, setup)


def test_estimates_need_an_open_round_of_the_own_workshop_and_a_sane_order(sessions, created):
    workshop = created.workshop.id
    with writing(sessions) as session:
        me, _ = join_workshop(session, workshop, "Anna", "kommun", DEVICE)
        first = open_round(session, workshop, RoundTarget("effect", 0), 1)
        record_estimate(session, first.id, me.id, 0.1, 0.2, 0.3)
        record_estimate(session, first.id, me.id, 0.15, 0.2, 0.3)  # replaces
    for values, problem in (((0.3, 0.2, 0.1), "order"), ((0.1, None, 0.3), "partial"),
                            ((float("nan"), 0.2, 0.3), "not_finite")):
        with pytest.raises(ValueError, match=problem), writing(sessions) as session:
            record_estimate(session, first.id, me.id, *values)
    with writing(sessions) as session:
        close_round(session, first.id)
        second = open_round(session, workshop, RoundTarget("value", 0, "kommun"), 1)
        record_estimate(session, second.id, me.id, None, None, None)  # skipped
    with pytest.raises(RoundNotOpen), writing(sessions) as session:
        record_estimate(session, first.id, me.id, 0.1, 0.2, 0.3)
    with reading(sessions) as session:
        assert open_round_of(session, workshop).id == second.id
        [given] = round_estimates(session, first.id)
        assert (given.low, given.most_likely, given.high, given.role) == (0.15, 0.2, 0.3, "kommun")
        assert round_estimates(session, second.id)[0].skipped


def test_a_round_is_never_ended_by_starting_or_reopening_another(sessions, created):
    workshop = created.workshop.id
    with writing(sessions) as session:
        me, _ = join_workshop(session, workshop, "Anna", "kommun", DEVICE)
        first = open_round(session, workshop, RoundTarget("effect", 0), 1)
    with pytest.raises(RoundStillOpen) as refused, writing(sessions) as session:
        open_round(session, workshop, RoundTarget("duration", 0), 1)
    assert refused.value.number == 1
    with writing(sessions) as session:
        record_estimate(session, first.id, me.id, 0.1, 0.2, 0.3)  # the first round still takes estimates
        close_round(session, first.id)
        second = open_round(session, workshop, RoundTarget("duration", 0), 1)
    with pytest.raises(RoundStillOpen), writing(sessions) as session:
        reopen_round(session, first.id)
    with writing(sessions) as session:
        reopen_round(session, second.id)  # the open round itself: nothing changes
        close_round(session, second.id)
        reopen_round(session, first.id)
    with reading(sessions) as session:
        assert open_round_of(session, workshop).id == first.id
        assert len(rounds(session, workshop)) == 2


def _answer_everything(sessions, workshop_id: int, person: int, failures: list) -> None:
    """One participant joins and answers all questions, each in its own transaction, as the page does."""
    try:
        with writing(sessions) as session:
            me, _ = join_workshop(session, workshop_id, f"Deltagare {person}", "kommun", f"{person:064d}")
        for step, question in enumerate(QUESTIONS):
            with writing(sessions) as session:
                record_answer(session, me.id, question.id, _answer_of(question, person + step), step=step)
    except Exception as exc:  # counted below; a failure must not hide in a thread
        failures.append(repr(exc))


def _count(sessions, workshop_id: int) -> tuple[int, int]:
    with reading(sessions) as session:
        everyone = all_answers(session, workshop_id)
    return len(everyone), sum(len(answers) for _, answers in everyone)


def test_thirty_participants_answering_at_once_in_threads_lose_nothing(sessions, created):
    failures: list[str] = []
    threads = [threading.Thread(target=_answer_everything, args=(sessions, created.workshop.id, n, failures))
               for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert _count(sessions, created.workshop.id) == (30, 30 * len(QUESTIONS))


def _process_worker(url: str, workshop_id: int, first: int, count: int, failures) -> None:
    engine = open_database(url, migrate=False)
    sessions = session_factory(engine)
    local: list[str] = []
    threads = [threading.Thread(target=_answer_everything, args=(sessions, workshop_id, n, local))
               for n in range(first, first + count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures.extend(local)
    engine.dispose()


def test_thirty_participants_on_three_servers_at_once_lose_nothing(database_url, sessions, created):
    """Three processes (three app servers on one database), ten participants each."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        failures = manager.list()
        workers = [context.Process(target=_process_worker, args=(database_url, created.workshop.id, 10 * k, 10,
                                                                 failures)) for k in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        assert all(worker.exitcode == 0 for worker in workers)
        assert list(failures) == []
    assert _count(sessions, created.workshop.id) == (30, 30 * len(QUESTIONS))


def test_two_people_taking_the_same_name_at_the_same_moment_end_with_one(sessions, created):
    results: list[str] = []
    barrier = threading.Barrier(8)

    def take() -> None:
        barrier.wait()
        try:
            with writing(sessions) as session:
                join_workshop(session, created.workshop.id, "Samma Namn", "region", DEVICE)
            results.append("joined")
        except NameTaken:
            results.append("taken")

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["joined"] + ["taken"] * 7
