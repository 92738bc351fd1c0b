"""Storage on a real SQLite file and a real PostgreSQL: versions only grow, trash is reversible."""

import threading

import pytest
from sqlalchemy import inspect

from engine.errors import ScenarioError
from engine.scenario import blank_scenario, parse_scenario, scenario_to_dict
from engine.storage import (
    DocumentNotFound,
    create_document,
    duplicate_scenario,
    get_document,
    get_version,
    list_scenarios,
    list_versions,
    load_scenario,
    open_database,
    rename_scenario,
    restore_document,
    restore_version,
    save_scenario,
    trash_document,
    upgrade_schema,
)


def with_horizon(scenario, years):
    return parse_scenario(scenario_to_dict(scenario) | {"horizon_years": years})


def test_migrations_create_the_tables_and_can_run_twice(database_url):
    engine = open_database(database_url)
    upgrade_schema(engine)  # a second replica starting later must find nothing to do
    tables = set(inspect(engine).get_table_names())
    assert {"documents", "document_versions", "alembic_version"} <= tables
    engine.dispose()


def test_saving_twice_adds_a_version_and_keeps_the_first(sessions):
    with sessions.begin() as session:
        first = save_scenario(session, blank_scenario("Försök"))
    with sessions.begin() as session:
        second = save_scenario(session, with_horizon(blank_scenario("Försök"), 20), first.document_id)
    with sessions.begin() as session:
        assert (first.number, second.number) == (1, 2)
        assert load_scenario(session, first.document_id, 1).horizon_years == 15
        assert load_scenario(session, first.document_id).horizon_years == 20
        assert [v.number for v in list_versions(session, first.document_id)] == [2, 1]


def test_restoring_an_old_version_adds_a_copy_as_the_newest(sessions):
    with sessions.begin() as session:
        doc = save_scenario(session, blank_scenario("A")).document_id
        save_scenario(session, with_horizon(blank_scenario("A"), 30), doc)
        restored = restore_version(session, doc, 1)
    with sessions.begin() as session:
        assert restored.number == 3
        assert restored.event == "restored"
        assert restored.source_version == 1
        assert load_scenario(session, doc).horizon_years == 15
        assert len(list_versions(session, doc)) == 3


def test_renaming_is_a_validated_new_version(sessions):
    with sessions.begin() as session:
        doc = save_scenario(session, blank_scenario("Gammalt")).document_id
        rename_scenario(session, doc, "Nytt")
    with sessions.begin() as session:
        assert get_document(session, doc).name == "Nytt"
        assert load_scenario(session, doc).name == "Nytt"
        assert list_versions(session, doc)[0].event == "renamed"


def test_a_rename_to_an_empty_name_is_refused_and_changes_nothing(sessions):
    with sessions.begin() as session:
        doc = save_scenario(session, blank_scenario("Kvar")).document_id
    with pytest.raises(ScenarioError), sessions.begin() as session:
        rename_scenario(session, doc, "  ")
    with sessions.begin() as session:
        assert get_document(session, doc).name == "Kvar"
        assert len(list_versions(session, doc)) == 1


def test_a_failed_action_rolls_back_everything_it_did(sessions):
    with sessions.begin() as session:
        doc = save_scenario(session, blank_scenario("Orörd")).document_id
    def failing_action() -> None:
        with sessions.begin() as session:
            save_scenario(session, with_horizon(blank_scenario("Orörd"), 40), doc)
            raise RuntimeError("the user's action failed half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        failing_action()
    with sessions.begin() as session:
        assert load_scenario(session, doc).horizon_years == 15


def test_duplicating_makes_an_independent_copy(sessions):
    with sessions.begin() as session:
        doc = save_scenario(session, blank_scenario("Original")).document_id
        copy = duplicate_scenario(session, doc, "Kopia")
        save_scenario(session, with_horizon(blank_scenario("Kopia"), 25), copy.document_id)
    with sessions.begin() as session:
        assert load_scenario(session, doc).horizon_years == 15
        assert load_scenario(session, copy.document_id).name == "Kopia"


def test_trash_hides_a_scenario_and_restore_brings_it_back_unchanged(sessions):
    with sessions.begin() as session:
        doc = save_scenario(session, blank_scenario("Bort")).document_id
        trash_document(session, doc)
    with sessions.begin() as session:
        assert [s.id for s in list_scenarios(session)] == []
        assert [s.id for s in list_scenarios(session, trashed=True)] == [doc]
        restore_document(session, doc)
    with sessions.begin() as session:
        assert [s.id for s in list_scenarios(session)] == [doc]
        assert load_scenario(session, doc).name == "Bort"


def test_the_list_shows_the_most_recently_changed_first(sessions):
    with sessions.begin() as session:
        older = save_scenario(session, blank_scenario("Äldre")).document_id
        newer = save_scenario(session, blank_scenario("Nyare")).document_id
        save_scenario(session, blank_scenario("Äldre"), older)
    with sessions.begin() as session:
        assert [s.id for s in list_scenarios(session)] == [older, newer]


def test_asking_for_what_does_not_exist_raises_a_named_error(sessions):
    with sessions.begin() as session:
        doc = save_scenario(session, blank_scenario("X")).document_id
        with pytest.raises(DocumentNotFound):
            get_version(session, 999_999)
        with pytest.raises(DocumentNotFound):
            get_version(session, doc, 7)


def test_text_with_markup_and_unicode_is_stored_exactly(sessions):
    name = "<script>alert('å')</script> ”citat” 🙂"
    with sessions.begin() as session:
        doc = create_document(session, "scenario", name, {"name": name}).document_id
    with sessions.begin() as session:
        assert get_document(session, doc).name == name
        assert get_version(session, doc).payload == {"name": name}


def test_concurrent_saves_of_one_document_get_distinct_version_numbers(sessions):
    with sessions.begin() as session:
        doc = save_scenario(session, blank_scenario("Delad")).document_id
    errors: list[BaseException] = []

    def save_many() -> None:
        try:
            for _ in range(5):
                with sessions.begin() as session:
                    save_scenario(session, blank_scenario("Delad"), doc)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=save_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sessions.begin() as session:
        assert [v.number for v in list_versions(session, doc)] == list(range(21, 0, -1))


def test_the_sqlite_file_uses_write_ahead_logging(sqlite_url):
    engine = open_database(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_the_default_database_is_a_file_outside_the_shipped_data(tmp_path):
    from engine.storage.config import database_url

    url = database_url({"UTFALLSKOMPASSEN_DATA_DIR": str(tmp_path)})
    engine = open_database(url)
    engine.dispose()
    assert (tmp_path / "utfallskompassen.sqlite3").is_file()
    assert "/data/" not in database_url({})
