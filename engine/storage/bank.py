"""The example bank (Exempelbanken): scenarios that organisations share with every other.

Publishing copies a scenario's newest version into the bank, where it never changes: its figures
and sources as they were, the publishing organisation, who published it and when, and an optional
note on what happened in reality. Every organisation reads the bank; anyone with an organisation
copies an entry into their own organisation as a new scenario that remembers where it came from
(``origin``). The app's built-in examples are in the bank too, as published by the app.

An entry is named by a key: ``bank:<id>`` for a published one, ``app:<example id>`` for a built-in
example. Trashing or deleting the scenario an entry was published from leaves the entry as it was.

>>> from engine.storage.database import open_database, session_factory, writing
>>> from engine.storage.owners import Owner, act_as
>>> Sessions = session_factory(open_database("sqlite://"))
>>> with writing(Sessions) as session:
...     _ = act_as(session, Owner("Örebro kommun", "olle@orebro.se"))
...     copy = copy_from_bank(session, "app:ips")
...     [entry.key for entry in list_bank(session)][:2], get_document(session, copy.document_id).origin
(['app:sjukfranvaro', 'app:diabetes'], 'app:ips')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from engine.examples import example_ids, load_example
from engine.i18n import DEFAULT_LANGUAGE
from engine.scenario import Scenario, parse_scenario, scenario_to_dict
from engine.storage import repository as repo
from engine.storage.models import BankEntryRow
from engine.storage.owners import NotAllowed, organisation_of, owner_of
from engine.storage.repository import get_document

#: The longest note on what happened in reality, in characters.
MAX_NOTE = 4000
#: Who published the built-in examples (shown as the publishing organisation).
APP_PUBLISHER = "Utfallskompassen"


@dataclass(frozen=True)
class BankEntry:
    key: str
    name: str
    #: The publishing organisation ("" for the embedded mode's, APP_PUBLISHER for built-ins).
    organisation: str
    published_by: str | None
    #: None for a built-in example, which the app ships rather than publishes on a day.
    published_at: datetime | None
    note: str
    source_document_id: int | None = None
    source_version: int | None = None

    @property
    def built_in(self) -> bool:
        return self.key.startswith("app:")


def publish_scenario(session: Session, document_id: int, note: str = "") -> BankEntry:
    """Publish the newest version of one of the acting organisation's scenarios (DocumentNotFound
    for anyone else's; ValueError for a note that is too long; NotAllowed without an organisation)."""
    organisation = organisation_of(session)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValueError(f"the note is longer than {MAX_NOTE} characters")
    summary = get_document(session, document_id)
    if summary.kind != "scenario":
        raise repo.DocumentNotFound(f"document {document_id} is not a scenario")
    version = repo.get_version(session, document_id)
    row = BankEntryRow(name=version.info.name, payload=version.payload, organisation=organisation,
                       published_by=owner_of(session).user, note=note, source_document_id=document_id,
                       source_version=version.info.number)
    session.add(row)
    session.flush()
    return _entry(row)


def list_bank(session: Session) -> list[BankEntry]:
    """Every entry: the built-in examples first (in their own order), then the published ones,
    newest first."""
    # The list needs no scenario: the payloads stay in the database until one entry is opened.
    rows = session.scalars(select(BankEntryRow).options(defer(BankEntryRow.payload))
                           .order_by(BankEntryRow.published_at.desc(), BankEntryRow.id.desc()))
    return [_built_in(example) for example in example_ids()] + [_entry(row) for row in rows]


def bank_entry(session: Session, key: str) -> BankEntry:
    """One entry by its key (DocumentNotFound for a key that names none)."""
    if key.startswith("app:"):
        if key[4:] not in example_ids():
            raise repo.DocumentNotFound(f"no built-in example {key!r}")
        return _built_in(key[4:])
    return _entry(_row(session, key))


def bank_scenario(session: Session, key: str, lang: str = DEFAULT_LANGUAGE) -> Scenario:
    """An entry's scenario, as published."""
    if key.startswith("app:"):
        bank_entry(session, key)
        return load_example(key[4:])
    return parse_scenario(_row(session, key).payload, lang)


def copy_from_bank(session: Session, key: str, name: str | None = None,
                   lang: str = DEFAULT_LANGUAGE) -> repo.VersionInfo:
    """Copy an entry into the acting organisation as a new scenario (under ``name`` when given)
    that remembers the entry as its origin. NotAllowed without an organisation."""
    organisation_of(session)
    scenario = bank_scenario(session, key, lang)
    payload = scenario_to_dict(scenario) | ({"name": name} if name else {})
    scenario = parse_scenario(payload, lang)
    return repo.create_document(session, "scenario", scenario.name, scenario_to_dict(scenario), event="copied",
                                origin=key)


def source_state(session: Session, entry: BankEntry) -> str | None:
    """For the publishing organisation: whether the scenario an entry came from is still there
    (``"kept"``), in the trash (``"trashed"``) or deleted (``"deleted"``); None for anyone else and
    for built-ins (whose source is the app)."""
    if entry.source_document_id is None or entry.organisation != owner_of(session).organisation:
        return None
    try:
        summary = get_document(session, entry.source_document_id)
    except repo.DocumentNotFound:
        return "deleted"
    return "trashed" if summary.trashed_at else "kept"


def _row(session: Session, key: str) -> BankEntryRow:
    number = key[5:] if key.startswith("bank:") else ""
    row = session.get(BankEntryRow, int(number)) if number.isdigit() and len(number) < 12 else None
    if row is None:
        raise repo.DocumentNotFound(f"no bank entry {key!r}")
    return row


def _entry(row: BankEntryRow) -> BankEntry:
    published = row.published_at if row.published_at.tzinfo else row.published_at.replace(tzinfo=UTC)
    return BankEntry(f"bank:{row.id}", row.name, row.organisation, row.published_by, published, row.note,
                     row.source_document_id, row.source_version)


def _built_in(example_id: str) -> BankEntry:
    return BankEntry(f"app:{example_id}", load_example(example_id).name, APP_PUBLISHER, None, None, "")


__all__ = ["APP_PUBLISHER", "MAX_NOTE", "BankEntry", "NotAllowed", "bank_entry", "bank_scenario", "copy_from_bank",
           "list_bank", "publish_scenario", "source_state"]
