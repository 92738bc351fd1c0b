"""Saved answer sets on a real SQLite file and a real PostgreSQL: versions only grow."""

import pytest

from engine.questionnaire.scoring import AnswersError
from engine.storage import (
    DocumentNotFound,
    get_version,
    list_answer_sets,
    list_scenarios,
    list_versions,
    load_answers,
    save_answers,
    save_scenario,
)
from engine.storage.answers import (
    MAX_NAME_LENGTH,
    answer_set_history,
    get_answer_set,
    rename_answer_set,
    restore_answer_version,
    trash_answer_set,
    untrash_answer_set,
)
from tests.engine.factories import make_scenario


def test_saving_again_adds_a_version_and_keeps_the_first(sessions):
    with sessions.begin() as session:
        first = save_answers(session, "Workshop 1", {"purpose": "test_new_method", "volume_msek": 12.5})
    with sessions.begin() as session:
        second = save_answers(session, "Workshop 1", {"purpose": "buy_known_service"}, first.document_id)
    with sessions.begin() as session:
        assert (first.number, second.number) == (1, 2)
        assert load_answers(session, first.document_id, 1) == {"purpose": "test_new_method", "volume_msek": 12.5}
        assert load_answers(session, first.document_id) == {"purpose": "buy_known_service"}
        assert [v.number for v in list_versions(session, first.document_id)] == [2, 1]


def test_the_stored_payload_is_an_answer_file_the_cli_reads(sessions):
    with sessions.begin() as session:
        info = save_answers(session, "Fil", {"provider": "ideburen"})
        payload = get_version(session, info.document_id).payload
    assert payload == {"format": "utfallskompassen.answers/1", "answers": {"provider": "ideburen"}}


def test_answer_sets_are_listed_apart_from_scenarios(sessions):
    with sessions.begin() as session:
        save_answers(session, "A", {})
        save_answers(session, "B", {"org_capacity": "some"})
    with sessions.begin() as session:
        assert sorted(s.name for s in list_answer_sets(session)) == ["A", "B"]
        assert list_scenarios(session) == []


def test_invalid_answers_or_an_empty_name_are_never_stored(sessions):
    with sessions.begin() as session:
        with pytest.raises(AnswersError):
            save_answers(session, "Fel", {"purpose": "nonsense"})
        with pytest.raises(ValueError, match="needs a name"):
            save_answers(session, "   ", {})
    with sessions.begin() as session:
        assert list_answer_sets(session) == []


def test_loading_a_missing_answer_set_says_so(sessions):
    with sessions.begin() as session, pytest.raises(DocumentNotFound):
        load_answers(session, 999)


def test_history_rename_and_restore_only_add_versions(sessions):
    with sessions.begin() as session:
        first = save_answers(session, "Workshop", {"purpose": "test_new_method"})
        save_answers(session, "Workshop", {"purpose": "buy_known_service", "volume_msek": 3.0}, first.document_id)
    with sessions.begin() as session:
        renamed = rename_answer_set(session, first.document_id, "  Workshop mars ")
        restored = restore_answer_version(session, first.document_id, 1)
    with sessions.begin() as session:
        history = answer_set_history(session, first.document_id)
        assert [(v.number, v.event, v.source_version) for v in history] == [
            (4, "restored", 1), (3, "renamed", None), (2, "saved", None), (1, "created", None)]
        assert (renamed.name, restored.number) == ("Workshop mars", 4)
        # Renaming kept the answers of version 2; restoring brought back version 1's answers and name.
        assert load_answers(session, first.document_id, 3) == {"purpose": "buy_known_service", "volume_msek": 3.0}
        assert load_answers(session, first.document_id) == {"purpose": "test_new_method"}
        assert load_answers(session, first.document_id, 2)["volume_msek"] == 3.0
        assert get_answer_set(session, first.document_id).name == "Workshop"


def test_renaming_to_an_empty_or_too_long_name_is_refused_and_stores_nothing(sessions):
    with sessions.begin() as session:
        info = save_answers(session, "Namn", {})
    with sessions.begin() as session:
        for bad in ("   ", "x" * (MAX_NAME_LENGTH + 1)):
            with pytest.raises(ValueError, match="name"):
                rename_answer_set(session, info.document_id, bad)
        with pytest.raises(ValueError, match="at most"):
            save_answers(session, "y" * (MAX_NAME_LENGTH + 1), {})
    with sessions.begin() as session:
        assert get_answer_set(session, info.document_id).latest_version == 1
        assert rename_answer_set(session, info.document_id, "z" * MAX_NAME_LENGTH).number == 2


def test_the_trash_hides_a_set_and_restoring_brings_it_back_with_its_history(sessions):
    with sessions.begin() as session:
        kept = save_answers(session, "Kvar", {})
        gone = save_answers(session, "Borta", {"provider": "ideburen"})
        save_answers(session, "Borta", {"provider": "ideburen", "volume_msek": 1.0}, gone.document_id)
    with sessions.begin() as session:
        trash_answer_set(session, gone.document_id)
    with sessions.begin() as session:
        assert [s.name for s in list_answer_sets(session)] == ["Kvar"]
        assert [s.name for s in list_answer_sets(session, trashed=True)] == ["Borta"]
        assert get_answer_set(session, gone.document_id).trashed_at is not None
        untrash_answer_set(session, gone.document_id)
    with sessions.begin() as session:
        assert sorted(s.name for s in list_answer_sets(session)) == ["Borta", "Kvar"]
        assert list_answer_sets(session, trashed=True) == []
        assert [v.number for v in answer_set_history(session, gone.document_id)] == [2, 1]
        assert get_answer_set(session, kept.document_id).trashed_at is None


def test_a_scenario_is_never_touched_through_the_answer_functions(sessions):
    with sessions.begin() as session:
        scenario = save_scenario(session, make_scenario())
    for action in (lambda s: load_answers(s, scenario.document_id),
                   lambda s: answer_set_history(s, scenario.document_id),
                   lambda s: rename_answer_set(s, scenario.document_id, "Nytt"),
                   lambda s: restore_answer_version(s, scenario.document_id, 1),
                   lambda s: trash_answer_set(s, scenario.document_id),
                   lambda s: untrash_answer_set(s, scenario.document_id),
                   lambda s: save_answers(s, "Svar", {}, scenario.document_id)):
        with sessions.begin() as session, pytest.raises(DocumentNotFound):
            action(session)
    with sessions.begin() as session:
        assert [s.latest_version for s in list_scenarios(session)] == [1]
        assert list_scenarios(session, trashed=True) == []


def test_restoring_a_version_that_does_not_exist_says_so(sessions):
    with sessions.begin() as session:
        info = save_answers(session, "Ett", {})
    with sessions.begin() as session, pytest.raises(DocumentNotFound):
        restore_answer_version(session, info.document_id, 7)
