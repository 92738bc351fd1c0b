"""Tables. Only engine/storage imports SQLAlchemy; the rest of the app sees dataclasses.

One pair of tables serves every kind of saved thing (scenario, answer set, target design):
``documents`` holds what is current (name, latest version, trash state) and ``document_versions``
holds every saved content. Saving never updates a version; it adds one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
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
    #: The organisation the document belongs to ("" in the embedded mode); see engine/storage/owners.py.
    organisation: Mapped[str] = mapped_column(String(120), default="", index=True)
    #: Where a copy came from: ``bank:<id>`` or ``app:<example id>`` for a copy from the example bank.
    origin: Mapped[str | None] = mapped_column(String(64), nullable=True)
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
    #: Who saved it (the signed-in user's e-mail or name); None without sign-in.
    saved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)

    document: Mapped[DocumentRow] = relationship(back_populates="versions")


class DraftRow(Base):
    """Unsaved edits of one working copy: a workspace (a browser's link) editing one document.

    A draft is not a version: it is overwritten as the user types, never read as history, and
    deleted when the edits are saved or discarded. ``source`` names what is edited (``saved:12``,
    ``example:ips``, or empty for the questionnaire's answers)."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("organisation", "workspace", "kind", "source", name="uq_draft_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Drafts are the organisation's like its documents: a shared link shows nobody else's edits.
    organisation: Mapped[str] = mapped_column(String(120), default="")
    workspace: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(64))
    payload: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    #: The saved version the edits started from (None for an example or a new document).
    based_on: Mapped[int | None] = mapped_column(Integer, nullable=True)


# --- workshops -----------------------------------------------------------------------------------
# A workshop's setup and conclusions (title, scenario, agreed answers, decisions, notes) are a
# versioned document of kind ``workshop``. What participants do is written far more often, by
# many people at once, and never as versions: one row per participant, answer and estimate, each
# written by its own small transaction, so thirty phones answering at once never contend for a
# document's version number.

class WorkshopRow(Base):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    #: The code participants type (8 letters of engine.workshop.codes' alphabet).
    join_code: Mapped[str] = mapped_column(String(8), unique=True)
    #: SHA-256 of the facilitator link's secret; the secret itself is never stored.
    facilitator_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    #: Set while the workshop is closed: no answers or estimates are taken then.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ParticipantRow(Base):
    __tablename__ = "workshop_participants"
    __table_args__ = (UniqueConstraint("workshop_id", "name_key", name="uq_participant_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), index=True)
    #: SHA-256 of the participant link's secret.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: SHA-256 of the device cookie of the browser that joined; the link works only there.
    device_hash: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(80))
    #: The name folded for comparison, so "Anna" and " anna " are one name within a workshop.
    name_key: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    #: The question the participant is on (0-based), so a reload resumes there.
    step: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ParticipantAnswerRow(Base):
    __tablename__ = "workshop_answers"
    __table_args__ = (UniqueConstraint("participant_id", "question", name="uq_participant_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("workshop_participants.id"), index=True)
    question: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class RoundRow(Base):
    __tablename__ = "workshop_rounds"
    __table_args__ = (UniqueConstraint("workshop_id", "number", name="uq_round_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: What is estimated: {"kind": "effect" | "value" | "duration", "outcome": index, "payer": key}.
    target: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The scenario version the round asked about (its current figure is shown to participants).
    scenario_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: The scenario version that took over the pooled range, once adopted.
    adopted_version: Mapped[int | None] = mapped_column(Integer, nullable=True)


class EstimateRow(Base):
    __tablename__ = "workshop_estimates"
    __table_args__ = (UniqueConstraint("round_id", "participant_id", name="uq_round_participant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("workshop_rounds.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("workshop_participants.id"), index=True)
    #: All three None when the participant skipped the round.
    low: Mapped[float | None] = mapped_column(Float, nullable=True)
    most_likely: Mapped[float | None] = mapped_column(Float, nullable=True)
    high: Mapped[float | None] = mapped_column(Float, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


# --- the example bank ----------------------------------------------------------------------------

class BankEntryRow(Base):
    """A scenario published to the example bank: a copy that never changes, readable by every
    organisation. It keeps no foreign key to the scenario it was copied from, which its owners may
    trash or delete later without touching what was published."""

    __tablename__ = "bank_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    organisation: Mapped[str] = mapped_column(String(120))
    published_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    #: What happened in reality, in the publisher's words (may be empty).
    note: Mapped[str] = mapped_column(Text, default="")
    source_document_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
