"""Tables. Only engine/storage imports SQLAlchemy; the rest of the app sees dataclasses.

One pair of tables serves every kind of saved thing (scenario, answer set, target design):
``documents`` holds what is current (name, latest version, trash state) and ``document_versions``
holds every saved content. Saving never updates a version; it adds one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # Set when moved to the trash; cleared when restored. Nothing is ever hard-deleted by the app.
    trashed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    versions: Mapped[list[VersionRow]] = relationship(back_populates="document", order_by="VersionRow.number")


class VersionRow(Base):
    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # What made this version: created, saved, restored, renamed, duplicated, imported. Stored as a
    # code, not a sentence, so the history reads in whichever language the viewer uses.
    event: Mapped[str] = mapped_column(String(32))
    source_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)

    document: Mapped[DocumentRow] = relationship(back_populates="versions")


class DraftRow(Base):
    """Unsaved edits of one working copy: a workspace (a browser's link) editing one document.

    A draft is not a version: it is overwritten as the user types, never read as history, and
    deleted when the edits are saved or discarded. ``source`` names what is edited (``saved:12``,
    ``example:ips``, or empty for the questionnaire's answers)."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("workspace", "kind", "source", name="uq_draft_workspace_kind_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(64))
    payload: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    #: The saved version the edits started from (None for an example or a new document).
    based_on: Mapped[int | None] = mapped_column(Integer, nullable=True)
