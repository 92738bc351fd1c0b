"""Saved answer sets on a real SQLite file and a real PostgreSQL: versions only grow."""

import pytest

from engine.questionnaire import AnswersError
from engine.storage import (
    DocumentNotFound,
    get_version,
    list_answer_sets,
    list_scenarios,
    list_versions,
    load_answers,
    open_database,
    save_answers,
    session_factory,
)


@pytest.fixture
def sessions(database_url):
    engine = open_database(database_url)
    yield session_factory(engine)
    engine.dispose()


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
        with pytest.raises(ValueError):
            save_answers(session, "   ", {})
    with sessions.begin() as session:
        assert list_answer_sets(session) == []


def test_loading_a_missing_answer_set_says_so(sessions):
    with sessions.begin() as session, pytest.raises(DocumentNotFound):
        load_answers(session, 999)
