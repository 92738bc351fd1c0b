"""Saved documents and their versions.

Every function takes a SQLAlchemy ``Session`` that the caller opened, and the caller decides when
the transaction commits (one transaction per user action). Functions return frozen dataclasses,
never ORM rows, so results can be cached and passed across Streamlit reruns.

Rules kept here: saving adds a version and never changes an old one; deleting moves a document
to the trash, from where it can be restored; restoring an old version adds a new version with
the old content, so the history only grows. A save may say which version it was based on
(``based_on``); if someone saved another version in between, it is refused with
:class:`VersionConflict` instead of silently replacing their work.

Every function sees only the documents of the organisation the session acts for
(engine/storage/owners.py); each version records who saved it. Only an organisation's admin can
empty its trash, the one way anything is ever deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.storage.models import DocumentRow, DraftRow, VersionRow, utc_now
from engine.storage.owners import NotAllowed, organisation_of, owner_of

#: Kinds of document the app saves.
KINDS: tuple[str, ...] = ("scenario", "answers", "targets", "workshop")

#: What made a version (stored as a code; the UI translates it).
EVENTS: tuple[str, ...] = ("created", "saved", "restored", "renamed", "duplicated", "imported", "closed", "reopened",
                            "estimate", "copied")


class DocumentNotFound(LookupError):
    """No document (or version) with that id; it may have been removed by another user."""


class VersionConflict(Exception):
    """A save based on version ``based_on`` of a document whose newest version is now ``latest``:
    someone else saved in between. Nothing was written; the caller lets the user choose."""

    def __init__(self, based_on: int, latest: VersionInfo) -> None:
        super().__init__(f"document {latest.document_id}: based on version {based_on}, "
                         f"but version {latest.number} is the newest")
        self.based_on = based_on
        self.latest = latest


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    kind: str
    name: str
    latest_version: int
    created_at: datetime
    updated_at: datetime
    trashed_at: datetime | None
    #: Where a copy came from (``bank:<id>``, ``app:<example>``), None for anything else.
    origin: str | None = None


@dataclass(frozen=True)
class VersionInfo:
    document_id: int
    number: int
    name: str
    created_at: datetime
    event: str
    source_version: int | None
    #: Who saved it (None without sign-in).
    saved_by: str | None = None


@dataclass(frozen=True)
class StoredVersion:
    info: VersionInfo
    payload: dict[str, Any]


def create_document(session: Session, kind: str, name: str, payload: dict[str, Any],
                    event: str = "created", origin: str | None = None) -> VersionInfo:
    """Create a document of the acting organisation with ``payload`` as its version 1."""
    _check(kind in KINDS, f"unknown kind {kind!r}")
    row = DocumentRow(kind=kind, name=name, latest_version=0, organisation=organisation_of(session), origin=origin)
    session.add(row)
    session.flush()
    return _append_version(session, row, payload, name, event, None)


def add_version(session: Session, document_id: int, payload: dict[str, Any], name: str | None = None,
                event: str = "saved", source_version: int | None = None,
                based_on: int | None = None) -> VersionInfo:
    """Save ``payload`` as the next version of a document (also of one in the trash). With
    ``based_on``, only if that version is still the newest (else :class:`VersionConflict`)."""
    row = _document_row(session, document_id, lock=True)
    if based_on is not None and row.latest_version != based_on:
        raise VersionConflict(based_on, latest_version_info(session, row))
    return _append_version(session, row, payload, name or row.name, event, source_version)


def latest_version_info(session: Session, row: DocumentRow) -> VersionInfo:
    """The newest version's facts (number, name, when, what made it) of a document row."""
    version = session.scalars(
        select(VersionRow).where(VersionRow.document_id == row.id, VersionRow.number == row.latest_version)
    ).one()
    return _version_info(version)


def list_documents(session: Session, kind: str, trashed: bool = False) -> list[DocumentSummary]:
    """Documents of one kind, most recently changed first; ``trashed`` selects the trash instead."""
    organisation = owner_of(session).organisation
    if organisation is None:
        return []
    condition = DocumentRow.trashed_at.is_not(None) if trashed else DocumentRow.trashed_at.is_(None)
    rows = session.scalars(
        select(DocumentRow).where(DocumentRow.kind == kind, DocumentRow.organisation == organisation, condition)
        .order_by(DocumentRow.updated_at.desc(), DocumentRow.id.desc())
    )
    return [_summary(row) for row in rows]


def get_document(session: Session, document_id: int) -> DocumentSummary:
    return _summary(_document_row(session, document_id))


def get_version(session: Session, document_id: int, number: int | None = None, *,
                any_organisation: bool = False) -> StoredVersion:
    """One version's content; the latest when ``number`` is None.

    ``any_organisation`` is only for code that holds another proof of access than the session's
    organisation: a workshop's join code or facilitator secret (engine/storage/workshops.py)."""
    row = _document_row(session, document_id, any_organisation=any_organisation)
    wanted = row.latest_version if number is None else number
    version = session.scalars(
        select(VersionRow).where(VersionRow.document_id == document_id, VersionRow.number == wanted)
    ).one_or_none()
    if version is None:
        raise DocumentNotFound(f"document {document_id} has no version {wanted}")
    return StoredVersion(_version_info(version), dict(version.payload))


def list_versions(session: Session, document_id: int) -> list[VersionInfo]:
    """The whole history of a document, newest first."""
    _document_row(session, document_id)
    rows = session.scalars(
        select(VersionRow).where(VersionRow.document_id == document_id).order_by(VersionRow.number.desc())
    )
    return [_version_info(row) for row in rows]


def restore_version(session: Session, document_id: int, number: int, based_on: int | None = None) -> VersionInfo:
    """Make an old version current again by saving a copy of it as the newest version."""
    old = get_version(session, document_id, number)
    return add_version(session, document_id, old.payload, old.info.name, event="restored", source_version=number,
                       based_on=based_on)


def duplicate_document(session: Session, document_id: int, new_name: str,
                       payload: dict[str, Any] | None = None) -> VersionInfo:
    """A new document that starts from the latest version of another (``payload`` overrides it)."""
    source = get_version(session, document_id)
    kind = _document_row(session, document_id).kind
    return create_document(session, kind, new_name, source.payload if payload is None else payload, event="duplicated")


def trash_document(session: Session, document_id: int) -> None:
    """Move to the trash (reversible with :func:`restore_document`)."""
    row = _document_row(session, document_id, lock=True)
    if row.trashed_at is None:
        row.trashed_at = utc_now()


def restore_document(session: Session, document_id: int) -> None:
    """Bring a document back from the trash."""
    row = _document_row(session, document_id, lock=True)
    row.trashed_at = None


def empty_trash(session: Session) -> int:
    """Delete the acting organisation's trashed documents for good, with their versions and
    drafts; only its admin may (else :class:`NotAllowed`). Returns how many were deleted.

    What others keep is not touched: a copy made from one of them, or a scenario published from
    one to the example bank, stays as it is. A trashed workshop takes its participants, answers
    and estimates with it."""
    owner = owner_of(session)
    if not owner.admin or owner.organisation is None:
        raise NotAllowed("only an organisation's admin may empty its trash")
    ids = list(session.scalars(select(DocumentRow.id).where(
        DocumentRow.organisation == owner.organisation, DocumentRow.trashed_at.is_not(None)).with_for_update()))
    if not ids:
        return 0
    from engine.storage.workshops import delete_workshops  # workshops builds on this module

    delete_workshops(session, ids)
    session.execute(delete(DraftRow).where(DraftRow.organisation == owner.organisation,
                                           DraftRow.source.in_([f"saved:{i}" for i in ids])))
    session.execute(delete(VersionRow).where(VersionRow.document_id.in_(ids)))
    session.execute(delete(DocumentRow).where(DocumentRow.id.in_(ids)))
    return len(ids)


# --- internals -----------------------------------------------------------------------------------

def _append_version(session: Session, row: DocumentRow, payload: dict[str, Any], name: str,
                    event: str, source_version: int | None) -> VersionInfo:
    _check(event in EVENTS, f"unknown event {event!r}")
    now = utc_now()
    row.latest_version += 1
    row.name = name
    row.updated_at = now
    version = VersionRow(document_id=row.id, number=row.latest_version, name=name, created_at=now,
                         event=event, source_version=source_version, payload=payload,
                         saved_by=owner_of(session).user)
    session.add(version)
    session.flush()
    return _version_info(version)


def _document_row(session: Session, document_id: int, lock: bool = False,
                  any_organisation: bool = False) -> DocumentRow:
    statement = select(DocumentRow).where(DocumentRow.id == document_id)
    if not any_organisation:
        # Another organisation's document does not exist for this session: the same answer as
        # for an id nobody has, so a guessed id tells nothing.
        statement = statement.where(DocumentRow.organisation == owner_of(session).organisation)
    if lock:
        # Two users saving the same document at once must get versions n+1 and n+2, not a clash.
        statement = statement.with_for_update()
    row = session.scalars(statement).one_or_none()
    if row is None:
        raise DocumentNotFound(f"no document with id {document_id}")
    return row


def _aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without a zone; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _summary(row: DocumentRow) -> DocumentSummary:
    return DocumentSummary(row.id, row.kind, row.name, row.latest_version, _aware(row.created_at),
                           _aware(row.updated_at), _aware(row.trashed_at) if row.trashed_at else None, row.origin)


def _version_info(row: VersionRow) -> VersionInfo:
    return VersionInfo(row.document_id, row.number, row.name, _aware(row.created_at), row.event, row.source_version,
                       row.saved_by)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
