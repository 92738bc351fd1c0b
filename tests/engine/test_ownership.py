"""Organisations own their documents, on a real SQLite file and a real PostgreSQL (issue 16).

Two municipalities share one database. Each sees and changes only its own scenarios, answer sets,
target designs, workshops and drafts, whichever way it names them (a list, an id, a draft's
workspace); each version records who saved it; only an admin empties a trash, and only their own;
the example bank is read by all, and what was published outlives its source.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.examples import load_example
from engine.scenario import blank_scenario
from engine.storage import (
    ANONYMOUS,
    DocumentNotFound,
    NotAllowed,
    Owner,
    act_as,
    bank_entry,
    bank_scenario,
    copy_from_bank,
    empty_trash,
    get_document,
    keep_draft,
    list_bank,
    list_scenarios,
    list_versions,
    load_draft,
    load_scenario,
    publish_scenario,
    rename_scenario,
    restore_document,
    restore_version,
    save_answers,
    save_scenario,
    source_state,
    trash_document,
)
from engine.storage import workshops as ws
from engine.storage.models import DocumentRow, VersionRow, WorkshopRow

VASTERAS = Owner("Västerås stad", "anna@vasteras.se")
VASTERAS_ADMIN = Owner("Västerås stad", "admin@vasteras.se", admin=True)
OREBRO = Owner("Örebro kommun", "olle@orebro.se")
OREBRO_ADMIN = Owner("Örebro kommun", "boss@orebro.se", admin=True)


@pytest.fixture
def as_(sessions):
    """``with as_(owner) as session``: one transaction acting for ``owner``."""
    from contextlib import contextmanager

    @contextmanager
    def acting(owner: Owner):
        with sessions.begin() as session:
            yield act_as(session, owner)
    return acting


def _saved(as_, owner: Owner, name: str) -> int:
    with as_(owner) as session:
        return save_scenario(session, blank_scenario(name)).document_id


def test_each_organisation_lists_only_its_own_documents(as_):
    mine = _saved(as_, VASTERAS, "Västerås plan")
    theirs = _saved(as_, OREBRO, "Örebro plan")
    with as_(VASTERAS) as session:
        assert [s.id for s in list_scenarios(session)] == [mine]
    with as_(OREBRO) as session:
        assert [s.id for s in list_scenarios(session)] == [theirs]
    with as_(ANONYMOUS) as session:
        assert list_scenarios(session) == []


@pytest.mark.parametrize("action", ["get", "load", "history", "save", "rename", "restore", "trash", "untrash",
                                    "publish"])
def test_another_organisations_id_is_a_document_that_does_not_exist(as_, action):
    theirs = _saved(as_, OREBRO, "Örebro plan")
    with as_(VASTERAS) as session:
        attempts = {
            "get": lambda: get_document(session, theirs),
            "load": lambda: load_scenario(session, theirs),
            "history": lambda: list_versions(session, theirs),
            "save": lambda: save_scenario(session, blank_scenario("Kapad"), theirs),
            "rename": lambda: rename_scenario(session, theirs, "Kapad"),
            "restore": lambda: restore_version(session, theirs, 1),
            "trash": lambda: trash_document(session, theirs),
            "untrash": lambda: restore_document(session, theirs),
            "publish": lambda: publish_scenario(session, theirs, "stolen"),
        }
        with pytest.raises(DocumentNotFound) as raised:
            attempts[action]()
    # The message is the one for an id nobody has: it tells nothing about the other organisation.
    assert str(raised.value) == f"no document with id {theirs}"
    with as_(OREBRO) as session:
        assert get_document(session, theirs).trashed_at is None
        assert [v.name for v in list_versions(session, theirs)] == ["Örebro plan"]


def test_each_version_records_who_saved_it(as_):
    document = _saved(as_, VASTERAS, "Plan")
    with as_(VASTERAS_ADMIN) as session:
        save_scenario(session, blank_scenario("Plan 2"), document)
    with as_(VASTERAS) as session:
        assert [(v.number, v.saved_by) for v in list_versions(session, document)] == [
            (2, "admin@vasteras.se"), (1, "anna@vasteras.se")]


def test_drafts_of_one_workspace_are_kept_apart_by_organisation(as_):
    workspace = "sharedLink123"
    with as_(VASTERAS) as session:
        keep_draft(session, workspace, "answers", "", {"purpose": "mine"})
    with as_(OREBRO) as session:
        assert load_draft(session, workspace, "answers") is None
        keep_draft(session, workspace, "answers", "", {"purpose": "theirs"})  # no clash with Västerås' row
    with as_(VASTERAS) as session:
        assert load_draft(session, workspace, "answers").payload == {"purpose": "mine"}
    with as_(ANONYMOUS) as session:
        assert load_draft(session, workspace, "answers") is None
        with pytest.raises(NotAllowed):
            keep_draft(session, workspace, "answers", "", {})


def test_nobody_without_an_organisation_saves(as_):
    with as_(ANONYMOUS) as session, pytest.raises(NotAllowed):
        save_scenario(session, blank_scenario("Anonym"))


def test_only_an_admin_empties_the_trash_and_only_their_own(as_, sessions):
    kept = _saved(as_, VASTERAS, "Behålls")
    trashed = _saved(as_, VASTERAS, "Slängs")
    theirs = _saved(as_, OREBRO, "Örebros slängda")
    with as_(VASTERAS) as session:
        answers = save_answers(session, "Svar", {"purpose": "test_new_method"}).document_id
        trash_document(session, trashed)
        trash_document(session, answers)
        keep_draft(session, "workspaceAB", "scenario", f"saved:{trashed}", {"name": "edit"})
    with as_(OREBRO) as session:
        trash_document(session, theirs)
    with as_(VASTERAS) as session, pytest.raises(NotAllowed):
        empty_trash(session)
    with as_(VASTERAS_ADMIN) as session:
        assert empty_trash(session) == 2
    with as_(VASTERAS) as session:
        assert [s.id for s in list_scenarios(session)] == [kept]
        assert list_scenarios(session, trashed=True) == []
        assert load_draft(session, "workspaceAB", "scenario", f"saved:{trashed}") is None
        with pytest.raises(DocumentNotFound):
            get_document(session, trashed)
    with as_(OREBRO) as session:  # Örebro's trash is Örebro's business
        assert [s.id for s in list_scenarios(session, trashed=True)] == [theirs]
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(VersionRow).where(
            VersionRow.document_id.in_([trashed, answers]))) == 0


def test_emptying_the_trash_takes_a_trashed_workshop_with_everything_participants_gave(as_, sessions):
    with as_(VASTERAS) as session:
        created = ws.create_workshop(session, ws.WorkshopSetup(title="Workshop", date="2026-12-02"))
        workshop = created.workshop
    with as_(ANONYMOUS) as session:  # a participant, by code
        me, _ = ws.join_workshop(session, workshop.id, "Anna", "kommun", device_hash="d" * 64)
        ws.record_answer(session, me.id, "purpose", "test_new_method", step=1)
    with as_(VASTERAS) as session:
        trash_document(session, workshop.document_id)
    with as_(VASTERAS_ADMIN) as session:
        assert empty_trash(session) == 1
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(WorkshopRow)) == 0


def test_a_facilitator_link_opens_the_workshop_only_for_its_organisation(as_):
    with as_(VASTERAS) as session:
        scenario = save_scenario(session, load_example("ips")).document_id
        created = ws.create_workshop(session, ws.WorkshopSetup(title="Workshop", date="2026-12-02",
                                                               scenario_id=scenario))
    with as_(VASTERAS) as session:
        assert ws.facilitator_workshop(session, created.facilitator_secret).id == created.workshop.id
    with as_(OREBRO) as session:
        assert ws.facilitator_workshop(session, created.facilitator_secret) is None
    with as_(ANONYMOUS) as session:  # participants join by code and see the scenario through it
        found = ws.workshop_by_code(session, created.workshop.join_code)
        assert found.setup.title == "Workshop"
        assert ws.workshop_scenario(session, found).name == load_example("ips").name
        assert ws.facilitator_workshop(session, created.facilitator_secret) is None


def test_a_workshop_never_shows_participants_another_organisations_scenario(as_):
    theirs = _saved(as_, OREBRO, "Örebros hemliga")
    with as_(VASTERAS) as session:
        created = ws.create_workshop(session, ws.WorkshopSetup(title="W", date="2026-12-02"))
        # Even if a setup named it (the page only offers the organisation's own), it is not shown.
        ws.save_setup(session, created.workshop.id, ws.WorkshopSetup(title="W", date="2026-12-02",
                                                                      scenario_id=theirs))
    with as_(ANONYMOUS) as session:
        found = ws.workshop_by_code(session, created.workshop.join_code)
        with pytest.raises(DocumentNotFound):
            ws.workshop_scenario(session, found)


def test_the_bank_is_read_by_all_and_copies_remember_their_origin(as_):
    source = _saved(as_, VASTERAS, "Västerås IPS")
    with as_(VASTERAS) as session:
        entry = publish_scenario(session, source, "  Hälften fick jobb inom ett år.  ")
    assert (entry.organisation, entry.published_by, entry.note) == (
        "Västerås stad", "anna@vasteras.se", "Hälften fick jobb inom ett år.")
    with as_(OREBRO) as session:
        keys = [e.key for e in list_bank(session)]
        assert keys[:5] == ["app:sjukfranvaro", "app:diabetes", "app:placeringar", "app:ips", "app:aterfall"]
        assert keys[5:] == [entry.key]
        copy = copy_from_bank(session, entry.key, name="Örebros IPS")
        assert get_document(session, copy.document_id).origin == entry.key
        assert load_scenario(session, copy.document_id).name == "Örebros IPS"
        assert list_versions(session, copy.document_id)[0].event == "copied"
        assert source_state(session, entry) is None  # only the publisher learns about the source
    with as_(VASTERAS) as session:  # the copy is Örebro's alone
        assert [s.id for s in list_scenarios(session)] == [source]


def test_a_published_entry_outlives_its_source(as_):
    source = _saved(as_, VASTERAS, "Ursprung")
    with as_(VASTERAS) as session:
        entry = publish_scenario(session, source)
        assert source_state(session, entry) == "kept"
        save_scenario(session, blank_scenario("Ändrad efteråt"), source)
        trash_document(session, source)
        assert source_state(session, entry) == "trashed"
    with as_(VASTERAS_ADMIN) as session:
        empty_trash(session)
        assert source_state(session, bank_entry(session, entry.key)) == "deleted"
    with as_(OREBRO) as session:
        assert bank_scenario(session, entry.key).name == "Ursprung"  # as published, not as changed
        copy_from_bank(session, entry.key)


@pytest.mark.parametrize("key", ["bank:999999", "bank:", "bank:-1", "bank:1e3", "app:nope", "saved:1", "",
                                 "bank:" + "9" * 40])
def test_a_key_that_names_no_entry(as_, key):
    with as_(OREBRO) as session, pytest.raises(DocumentNotFound):
        bank_entry(session, key)
    with as_(OREBRO) as session, pytest.raises(DocumentNotFound):
        copy_from_bank(session, key)


def test_publishing_takes_a_note_of_bounded_length_and_needs_an_organisation(as_):
    source = _saved(as_, VASTERAS, "Plan")
    with as_(VASTERAS) as session, pytest.raises(ValueError, match="longer than 4000"):
        publish_scenario(session, source, "x" * 4001)
    with as_(ANONYMOUS) as session, pytest.raises(NotAllowed):
        copy_from_bank(session, "app:ips")


def test_documents_from_before_sign_in_stay_with_the_embedded_mode(as_, sessions):
    from engine.storage import EMBEDDED

    local = _saved(as_, EMBEDDED, "Från förr")
    with sessions.begin() as session:  # a session nobody declared acts as the embedded mode
        assert [s.id for s in list_scenarios(session)] == [local]
        assert session.get(DocumentRow, local).organisation == ""
    with as_(VASTERAS) as session:
        assert list_scenarios(session) == []



def _migrate(engine, revision: str, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    from engine.storage.database import _MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_a_database_from_before_organisations_upgrades_with_its_documents_in_the_embedded_mode(database_url):
    # A server that ran without organisations (revision 0004) starts the new version: what it saved
    # stays, as the embedded mode's, with its drafts; and the migration can be taken back.
    from sqlalchemy import create_engine, text

    from engine.storage import EMBEDDED, get_version, load_draft, session_factory, upgrade_schema

    raw = create_engine(database_url)
    _migrate(raw, "0004")
    with raw.begin() as connection:
        connection.execute(text(
            "INSERT INTO documents (id, kind, name, latest_version, created_at, updated_at) "
            "VALUES (7, 'scenario', 'Från förr', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO document_versions (document_id, number, name, created_at, event, payload) "
            "VALUES (7, 1, 'Från förr', CURRENT_TIMESTAMP, 'created', :payload)"), {"payload": '{"name": "Från förr"}'})
        connection.execute(text(
            "INSERT INTO drafts (workspace, kind, source, payload, updated_at) "
            "VALUES ('workspaceOld1', 'scenario', 'saved:7', '{}', CURRENT_TIMESTAMP)"))
    upgrade_schema(raw)
    sessions = session_factory(raw)
    with sessions.begin() as session:
        act_as(session, EMBEDDED)
        assert [s.name for s in list_scenarios(session)] == ["Från förr"]
        assert get_version(session, 7).info.saved_by is None
        assert load_draft(session, "workspaceOld1", "scenario", "saved:7") is not None
    with sessions.begin() as session:
        act_as(session, VASTERAS)
        assert list_scenarios(session) == []
    _migrate(raw, "0004", down=True)
    with raw.connect() as connection:
        assert connection.execute(text("SELECT name FROM documents")).scalar_one() == "Från förr"
    raw.dispose()
