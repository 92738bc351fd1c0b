"""Optimistic concurrency on a real SQLite file and a real PostgreSQL: a save says which version it
was based on, and one based on a version that is no longer the newest is refused with the facts of
the newer one. Nothing is written by a refused save; the history only grows."""

import threading

import pytest

from engine.examples import load_example
from engine.scenario import blank_scenario, scenario_to_dict
from engine.storage import (
    VersionConflict,
    get_version,
    keep_draft,
    list_versions,
    load_draft,
    restore_version,
    save_scenario,
)


def _saved(sessions, name="Bas") -> int:
    with sessions.begin() as session:
        return save_scenario(session, blank_scenario(name)).document_id


def test_a_save_based_on_an_older_version_is_refused_with_the_newer_versions_facts(sessions):
    document = _saved(sessions)
    mine = blank_scenario("Bas").model_copy(update={"horizon_years": 20})
    theirs = blank_scenario("Bas").model_copy(update={"horizon_years": 30})
    with sessions.begin() as session:
        assert save_scenario(session, theirs, document, based_on=1).number == 2
    with pytest.raises(VersionConflict) as conflict, sessions.begin() as session:
        save_scenario(session, mine, document, based_on=1)
    assert conflict.value.based_on == 1
    assert conflict.value.latest.number == 2
    assert conflict.value.latest.event == "saved"
    with sessions.begin() as session:
        assert [v.number for v in list_versions(session, document)] == [2, 1]
        assert get_version(session, document).payload["horizon_years"] == 30
        # Keeping one's own after seeing the other's: a save based on the newest goes through.
        assert save_scenario(session, mine, document, based_on=2).number == 3


def test_a_save_without_a_base_still_appends_as_before(sessions):
    document = _saved(sessions)
    with sessions.begin() as session:
        save_scenario(session, blank_scenario("Bas"), document)
        assert save_scenario(session, blank_scenario("Bas"), document).number == 3


def test_a_restore_based_on_an_older_version_is_refused(sessions):
    document = _saved(sessions)
    with sessions.begin() as session:
        save_scenario(session, blank_scenario("Bas"), document, based_on=1)
    with pytest.raises(VersionConflict), sessions.begin() as session:
        restore_version(session, document, 1, based_on=1)
    with sessions.begin() as session:
        assert restore_version(session, document, 1, based_on=2).number == 3


def test_of_two_saves_based_on_the_same_version_exactly_one_lands(sessions):
    """Two users press save at the same moment: one gets version 2, the other is told."""
    document = _saved(sessions)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(horizon: int) -> None:
        barrier.wait()
        try:
            with sessions.begin() as session:
                save_scenario(session, load_example("ips").model_copy(update={"horizon_years": horizon}),
                              document, based_on=1)
            outcomes.append("saved")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(h,)) for h in (12, 14)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    with sessions.begin() as session:
        assert [v.number for v in list_versions(session, document)] == [2, 1]


def test_a_draft_remembers_the_version_it_started_from(sessions):
    document = _saved(sessions)
    source = f"saved:{document}"
    edited = scenario_to_dict(blank_scenario("Bas")) | {"horizon_years": 25}
    with sessions.begin() as session:
        keep_draft(session, "ws-aaaaaaaa", "scenario", source, edited, based_on=1)
    with sessions.begin() as session:
        draft = load_draft(session, "ws-aaaaaaaa", "scenario", source)
        assert (draft.payload["horizon_years"], draft.based_on) == (25, 1)
        keep_draft(session, "ws-aaaaaaaa", "scenario", source, edited)
    with sessions.begin() as session:
        assert load_draft(session, "ws-aaaaaaaa", "scenario", source).based_on is None
