"""Workshops: a facilitator's setup and conclusions, the participants, their answers and estimates.

The setup and what the group concludes (title, organisation, date, the scenario and answer set it
starts from, the agreed answers, decisions and notes) are a versioned document of kind
``workshop``: every change by the facilitator is a new version, and two facilitator screens that
save at once get :class:`~engine.storage.repository.VersionConflict`, as everywhere else.

What participants do is kept apart, one row per participant, answer and estimate, each written by
its own short transaction. Thirty phones answering at once then never touch the same row, and a
participant's answer is stored the moment it is given.

Access is by secret, never by id. The facilitator link carries a secret whose SHA-256 is stored
(:func:`facilitator_workshop`); a participant's link carries another (:func:`participant_by_secret`),
and it is valid only together with the device the participant joined from (the device cookie's
hash). Every function that changes a participant's data checks that the workshop is open
(:class:`WorkshopClosed`). As everywhere in storage, the caller owns the transaction.

A workshop belongs to the organisation of the facilitator who created it: the facilitator link
opens it only for a session acting for that organisation (engine/storage/owners.py). Participants
join without an account; the join code and their own link are their access, so what they are shown
of the workshop and its scenario is read through the workshop, not through an organisation.

>>> from engine.storage.database import open_database, session_factory, writing
>>> Sessions = session_factory(open_database("sqlite://"))
>>> with writing(Sessions) as session:
...     created = create_workshop(session, WorkshopSetup(title="Barn och unga", date="2026-12-02"))
...     me, my_secret = join_workshop(session, created.workshop.id, "Anna", "kommun", device_hash="d" * 64)
...     record_answer(session, me.id, "purpose", "test_new_method", step=1)
>>> with writing(Sessions) as session:
...     [(p.name, p.answered, p.step) for p in participants(session, created.workshop.id)]
[('Anna', 1, 1)]
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.i18n import DEFAULT_LANGUAGE
from engine.questionnaire.scoring import load_questionnaire, parse_answers
from engine.scenario import Scenario, parse_scenario
from engine.storage import repository as repo
from engine.storage.models import (
    DocumentRow,
    EstimateRow,
    ParticipantAnswerRow,
    ParticipantRow,
    RoundRow,
    WorkshopRow,
    utc_now,
)
from engine.workshop.codes import new_join_code, new_secret, secret_hash
from engine.workshop.roles import ROLES
from engine.workshop.rounds import RoundTarget

KIND = "workshop"
FORMAT = "utfallskompassen.workshop/1"
#: Longest display name of a participant, in characters once trimmed.
MAX_PARTICIPANT_NAME = 60
#: Longest title and organisation of a workshop.
MAX_TITLE = 200
#: Longest decisions and notes texts.
MAX_TEXT = 20_000
#: Most participants one workshop takes (a room; also bounds every view of the workshop).
MAX_PARTICIPANTS = 200
#: Most estimate rounds one workshop keeps.
MAX_ROUNDS = 100


class WorkshopClosed(Exception):
    """The workshop is closed: no answers, estimates or new participants are taken."""


class NameTaken(ValueError):
    """Another participant of the workshop already uses this display name."""


class WorkshopFull(ValueError):
    """The workshop has :data:`MAX_PARTICIPANTS` participants already."""


class RoundNotOpen(Exception):
    """The estimate round is closed (or belongs to another workshop)."""


class RoundStillOpen(Exception):
    """Another estimate round of the workshop is open; ``number`` is its number. A round ends only
    when someone ends it, never as a side effect of starting or reopening another, because the
    estimates the room is typing would then be refused without anyone having decided so."""

    def __init__(self, number: int) -> None:
        super().__init__(f"round {number} is open")
        self.number = number


@dataclass(frozen=True)
class WorkshopSetup:
    """The facilitator's part of a workshop; stored as the workshop document's payload."""

    title: str
    date: str                                  # ISO date, YYYY-MM-DD
    organisation: str = ""
    scenario_id: int | None = None             # a saved scenario (document id)
    answer_set_id: int | None = None           # the answer set the group starts from
    agreed: dict[str, Any] = field(default_factory=dict)  # the group's agreed answers
    decisions: str = ""
    notes: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {"format": FORMAT, "title": self.title, "organisation": self.organisation, "date": self.date,
                "scenario_id": self.scenario_id, "answer_set_id": self.answer_set_id,
                "agreed": dict(self.agreed), "decisions": self.decisions, "notes": self.notes}


@dataclass(frozen=True)
class Workshop:
    id: int                  # the workshop row (never shown in a link)
    document_id: int
    version: int             # the document's newest version
    join_code: str
    created_at: datetime
    closed_at: datetime | None
    setup: WorkshopSetup

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class CreatedWorkshop:
    workshop: Workshop
    #: The facilitator link's secret: shown once, in the link; only its hash is stored.
    facilitator_secret: str


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    name: str
    role: str
    step: int
    joined_at: datetime
    last_seen_at: datetime
    answered: int = 0


@dataclass(frozen=True)
class Round:
    id: int
    workshop_id: int
    number: int
    target: RoundTarget
    scenario_version: int | None
    opened_at: datetime
    closed_at: datetime | None
    adopted_version: int | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class GivenEstimate:
    """One participant's estimate in a round; ``low`` etc. are None when they skipped it."""

    participant_id: int
    name: str
    role: str
    low: float | None
    most_likely: float | None
    high: float | None
    updated_at: datetime

    @property
    def skipped(self) -> bool:
        return self.most_likely is None


# --- the workshop --------------------------------------------------------------------------------

def create_workshop(session: Session, setup: WorkshopSetup) -> CreatedWorkshop:
    """A new, open workshop with a fresh join code and facilitator secret (ValueError for a bad setup)."""
    setup = checked_setup(setup)
    info = repo.create_document(session, KIND, setup.title, setup.to_payload())
    secret = new_secret()
    for _ in range(20):  # a clash among 32**8 codes is rare; another code is drawn when one occurs
        code = new_join_code()
        taken = session.scalar(select(func.count()).select_from(WorkshopRow).where(WorkshopRow.join_code == code))
        if not taken:
            break
    else:  # pragma: no cover - would need about 10**11 open workshops
        raise RuntimeError("no free join code found")
    row = WorkshopRow(document_id=info.document_id, join_code=code, facilitator_hash=secret_hash(secret))
    session.add(row)
    session.flush()
    return CreatedWorkshop(_workshop(session, row), secret)


def facilitator_workshop(session: Session, secret: str | None) -> Workshop | None:
    """The workshop whose facilitator link carries ``secret``, or None (also for a mistyped link)."""
    if not secret or len(secret) > 128:
        return None
    row = session.scalars(select(WorkshopRow).where(WorkshopRow.facilitator_hash == secret_hash(secret))).one_or_none()
    if row is None:
        return None
    try:  # the right secret, but only for the workshop's own organisation
        repo.get_document(session, row.document_id)
    except repo.DocumentNotFound:
        return None
    return _workshop(session, row)


def workshop_by_code(session: Session, code: str) -> Workshop | None:
    """The workshop with this join code (normalised by the caller), open or closed, or None."""
    row = session.scalars(select(WorkshopRow).where(WorkshopRow.join_code == code)).one_or_none()
    return None if row is None else _workshop(session, row)


def get_workshop(session: Session, workshop_id: int) -> Workshop:
    """A workshop by its row id (for code that already holds a checked secret); DocumentNotFound if none."""
    return _workshop(session, _workshop_row(session, workshop_id))


def save_setup(session: Session, workshop_id: int, setup: WorkshopSetup, based_on: int | None = None,
               event: str = "saved") -> repo.VersionInfo:
    """Save the facilitator's part as the workshop document's next version (VersionConflict when
    ``based_on`` is no longer the newest; ValueError for a bad setup)."""
    setup = checked_setup(setup)
    row = _workshop_row(session, workshop_id)
    return repo.add_version(session, row.document_id, setup.to_payload(), setup.title, event=event, based_on=based_on)


def workshop_history(session: Session, workshop_id: int) -> list[repo.VersionInfo]:
    """The workshop document's versions, newest first."""
    return repo.list_versions(session, _workshop_row(session, workshop_id).document_id)


def workshop_version(session: Session, workshop_id: int, number: int) -> WorkshopSetup:
    """The facilitator's part as saved in version ``number``."""
    row = _workshop_row(session, workshop_id)
    return _setup(repo.get_version(session, row.document_id, number).payload)


def close_workshop(session: Session, workshop_id: int) -> None:
    """Stop taking answers, estimates and participants; recorded as a version of the workshop."""
    row = _workshop_row(session, workshop_id, lock=True)
    if row.closed_at is None:
        row.closed_at = utc_now()
        _mark(session, row, "closed")


def reopen_workshop(session: Session, workshop_id: int) -> None:
    """Take answers again (a workshop continued another day); recorded as a version."""
    row = _workshop_row(session, workshop_id, lock=True)
    if row.closed_at is not None:
        row.closed_at = None
        _mark(session, row, "reopened")


def checked_setup(setup: WorkshopSetup) -> WorkshopSetup:
    """The setup with texts trimmed, or ValueError naming what is wrong.

    >>> checked_setup(WorkshopSetup(title="  Dag 1 ", date="2026-12-02")).title
    'Dag 1'
    >>> checked_setup(WorkshopSetup(title="", date="2026-12-02"))
    Traceback (most recent call last):
    ...
    ValueError: title
    """
    title, organisation = setup.title.strip(), setup.organisation.strip()
    if not title or len(title) > MAX_TITLE:
        raise ValueError("title")
    if len(organisation) > MAX_TITLE:
        raise ValueError("organisation")
    try:
        date.fromisoformat(setup.date)
    except (TypeError, ValueError):
        raise ValueError("date") from None
    if len(setup.decisions) > MAX_TEXT or len(setup.notes) > MAX_TEXT:
        raise ValueError("text")
    agreed = dict(parse_answers({"answers": dict(setup.agreed)}))
    return replace(setup, title=title, organisation=organisation, agreed=agreed)


# --- participants --------------------------------------------------------------------------------

def name_key(name: str) -> str:
    """A display name folded for comparison: trimmed, inner spaces collapsed, case and width ignored.

    >>> name_key("  Anna  Berg ") == name_key("anna berg")
    True
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def checked_name(name: str) -> str:
    """The display name as it will be shown (trimmed, inner runs of spaces made one), or ValueError
    ``"empty"``, ``"long"`` or ``"control"`` (a line break or other invisible control character)."""
    shown = " ".join(name.split())
    if not shown:
        raise ValueError("empty")
    if len(shown) > MAX_PARTICIPANT_NAME:
        raise ValueError("long")
    if any(unicodedata.category(c).startswith("C") for c in shown):
        raise ValueError("control")
    return shown


def join_workshop(session: Session, workshop_id: int, name: str, role: str,
                  device_hash: str) -> tuple[Participant, str]:
    """Add a participant; returns them and their link's secret (only its hash is stored).

    Raises WorkshopClosed, NameTaken (case and spacing ignored), WorkshopFull, or ValueError for a
    bad name (see :func:`checked_name`) or an unknown role.
    """
    row = _workshop_row(session, workshop_id, lock=True)
    if row.closed_at is not None:
        raise WorkshopClosed
    shown = checked_name(name)
    if role not in ROLES:
        raise ValueError("role")
    key = name_key(shown)
    existing = session.scalars(select(ParticipantRow.name_key).where(ParticipantRow.workshop_id == workshop_id)).all()
    if key in existing:
        raise NameTaken(shown)
    if len(existing) >= MAX_PARTICIPANTS:
        raise WorkshopFull
    secret = new_secret()
    now = utc_now()
    participant = ParticipantRow(workshop_id=workshop_id, token_hash=secret_hash(secret), device_hash=device_hash,
                                 name=shown, name_key=key, role=role, step=0, joined_at=now, last_seen_at=now)
    session.add(participant)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # PostgreSQL: someone took the name in the same instant
        raise NameTaken(shown) from None
    return _participant(participant), secret


def participant_by_secret(session: Session, workshop_id: int, secret: str | None) -> Participant | None:
    """The participant of this workshop whose link carries ``secret``, or None."""
    if not secret or len(secret) > 128:
        return None
    row = session.scalars(select(ParticipantRow).where(
        ParticipantRow.workshop_id == workshop_id, ParticipantRow.token_hash == secret_hash(secret))).one_or_none()
    return None if row is None else _participant(row)


def participant_device(session: Session, participant_id: int) -> str:
    """The hash of the device the participant joined from (to check a link is used there)."""
    return _participant_row(session, participant_id).device_hash


def participants_on_device(session: Session, workshop_id: int, device_hash: str) -> list[Participant]:
    """The participants of this workshop who joined from this device, most recent first (a closed
    tab reopened with the join link finds them again)."""
    rows = session.scalars(select(ParticipantRow).where(
        ParticipantRow.workshop_id == workshop_id, ParticipantRow.device_hash == device_hash)
        .order_by(ParticipantRow.joined_at.desc(), ParticipantRow.id.desc()))
    return [_participant(row) for row in rows]


def participants(session: Session, workshop_id: int) -> list[Participant]:
    """Everyone who joined, in order of joining, with how many questions each has answered."""
    counts = dict(session.execute(
        select(ParticipantAnswerRow.participant_id, func.count())
        .join(ParticipantRow, ParticipantRow.id == ParticipantAnswerRow.participant_id)
        .where(ParticipantRow.workshop_id == workshop_id)
        .group_by(ParticipantAnswerRow.participant_id)).all())
    rows = session.scalars(select(ParticipantRow).where(ParticipantRow.workshop_id == workshop_id)
                           .order_by(ParticipantRow.joined_at, ParticipantRow.id))
    return [replace(_participant(row), answered=counts.get(row.id, 0)) for row in rows]


def record_answer(session: Session, participant_id: int, question: str, value: str | float | None,
                  step: int | None = None) -> None:
    """Store (or with ``value`` None, remove) one answer of a participant the moment it is given.

    The answer is checked against the questionnaire (AnswersError naming the problem); the
    participant's place in the questionnaire moves to ``step`` when given. WorkshopClosed when the
    workshop is closed. Two statements: thirty phones answer at once, and on SQLite each answer
    waits for the ones before it, so an answer's transaction is kept as short as it can be.
    """
    checked = None if value is None else parse_answers({"answers": {question: value}})[question]
    _touch_if_open(session, participant_id, step)
    if checked is None:
        session.execute(delete(ParticipantAnswerRow).where(ParticipantAnswerRow.participant_id == participant_id,
                                                           ParticipantAnswerRow.question == question))
    else:
        _upsert(session, ParticipantAnswerRow, {"participant_id": participant_id, "question": question},
                {"value": checked, "answered_at": utc_now()})


def move_participant(session: Session, participant_id: int, step: int) -> None:
    """Remember the question the participant is on (WorkshopClosed when closed)."""
    _touch_if_open(session, participant_id, step)


def participant_answers(session: Session, participant_id: int) -> dict[str, str | float]:
    """One participant's answers ``{question: option id or number}``."""
    rows = session.execute(select(ParticipantAnswerRow.question, ParticipantAnswerRow.value)
                           .where(ParticipantAnswerRow.participant_id == participant_id))
    return {row[0]: row[1] for row in rows.all()}


def all_answers(session: Session, workshop_id: int) -> list[tuple[Participant, dict[str, str | float]]]:
    """Every participant with their answers, in order of joining (two queries, whatever the size)."""
    people = participants(session, workshop_id)
    answers: dict[int, dict[str, str | float]] = {p.id: {} for p in people}
    rows = session.execute(
        select(ParticipantAnswerRow.participant_id, ParticipantAnswerRow.question, ParticipantAnswerRow.value)
        .join(ParticipantRow, ParticipantRow.id == ParticipantAnswerRow.participant_id)
        .where(ParticipantRow.workshop_id == workshop_id))
    for participant_id, question, value in rows:
        answers[participant_id][question] = value
    return [(p, answers[p.id]) for p in people]


# --- estimate rounds -----------------------------------------------------------------------------

def open_round(session: Session, workshop_id: int, target: RoundTarget, scenario_version: int | None) -> Round:
    """Open a new estimate round: one question to the room at a time, so RoundStillOpen while
    another round is open (end it with :func:`close_round` first)."""
    row = _workshop_row(session, workshop_id, lock=True)
    if row.closed_at is not None:
        raise WorkshopClosed
    if not target.is_well_formed():
        raise ValueError("target")
    numbers = session.scalars(select(RoundRow).where(RoundRow.workshop_id == workshop_id)).all()
    if len(numbers) >= MAX_ROUNDS:
        raise ValueError("rounds")
    still_open = [previous.number for previous in numbers if previous.closed_at is None]
    if still_open:
        raise RoundStillOpen(still_open[0])
    now = utc_now()
    new = RoundRow(workshop_id=workshop_id, number=len(numbers) + 1, target=target.to_dict(),
                   scenario_version=scenario_version, opened_at=now)
    session.add(new)
    session.flush()
    return _round(new)


def close_round(session: Session, round_id: int) -> None:
    row = session.get(RoundRow, round_id)
    if row is not None and row.closed_at is None:
        row.closed_at = utc_now()


def reopen_round(session: Session, round_id: int) -> None:
    """Take estimates in this round again; RoundStillOpen while another round is open."""
    row = _round_row(session, round_id)
    _workshop_row(session, row.workshop_id, lock=True)
    other = session.scalars(select(RoundRow).where(RoundRow.workshop_id == row.workshop_id, RoundRow.id != row.id,
                                                   RoundRow.closed_at.is_(None))).first()
    if other is not None:
        raise RoundStillOpen(other.number)
    row.closed_at = None


def rounds(session: Session, workshop_id: int) -> list[Round]:
    """Every round of the workshop, newest first."""
    rows = session.scalars(select(RoundRow).where(RoundRow.workshop_id == workshop_id)
                           .order_by(RoundRow.number.desc()))
    return [_round(row) for row in rows]


def open_round_of(session: Session, workshop_id: int) -> Round | None:
    """The round now taking estimates, if any."""
    row = session.scalars(select(RoundRow).where(RoundRow.workshop_id == workshop_id,
                                                 RoundRow.closed_at.is_(None))).first()
    return None if row is None else _round(row)


def record_estimate(session: Session, round_id: int, participant_id: int, low: float | None,
                    most_likely: float | None, high: float | None) -> None:
    """Store one participant's estimate (all three None: they skip the round), replacing an earlier one.

    ValueError ``"order"`` unless low <= most likely <= high, ``"not_finite"`` for NaN or infinity,
    ``"partial"`` when only some are given; RoundNotOpen or WorkshopClosed when nothing may be given.
    The bounds of the quantity itself (a share within 0..1) are the caller's to check.
    """
    participant = _open_participant(session, participant_id)
    row = _round_row(session, round_id)
    if row.workshop_id != participant.workshop_id or row.closed_at is not None:
        raise RoundNotOpen
    values = (low, most_likely, high)
    if any(v is None for v in values) and any(v is not None for v in values):
        raise ValueError("partial")
    if low is not None and most_likely is not None and high is not None:
        if not all(math.isfinite(v) for v in (low, most_likely, high)):
            raise ValueError("not_finite")
        if not low <= most_likely <= high:
            raise ValueError("order")
    _upsert(session, EstimateRow, {"round_id": round_id, "participant_id": participant_id},
            {"low": low, "most_likely": most_likely, "high": high, "updated_at": utc_now()})
    _touch(participant, None)


def round_estimates(session: Session, round_id: int) -> list[GivenEstimate]:
    """Everyone's estimate in a round (skips included), in order of joining."""
    rows = session.execute(
        select(EstimateRow, ParticipantRow.name, ParticipantRow.role)
        .join(ParticipantRow, ParticipantRow.id == EstimateRow.participant_id)
        .where(EstimateRow.round_id == round_id)
        .order_by(ParticipantRow.joined_at, ParticipantRow.id))
    return [GivenEstimate(e.participant_id, name, role, e.low, e.most_likely, e.high, _aware(e.updated_at))
            for e, name, role in rows]


def own_estimate(session: Session, round_id: int, participant_id: int) -> GivenEstimate | None:
    """What this participant gave in the round, if anything."""
    return next((e for e in round_estimates(session, round_id) if e.participant_id == participant_id), None)


def mark_adopted(session: Session, round_id: int, scenario_version: int) -> None:
    """Record that the round's pooled range became version ``scenario_version`` of the scenario."""
    _round_row(session, round_id).adopted_version = scenario_version


def workshop_scenario(session: Session, workshop: Workshop, lang: str = DEFAULT_LANGUAGE) -> Scenario:
    """The workshop's scenario as its participants see it, read through the workshop (whose code
    they hold) rather than an organisation; only a scenario of the workshop's own organisation.
    DocumentNotFound when there is none (or it is another organisation's)."""
    scenario_id = workshop.setup.scenario_id
    organisations: dict[int, str] = dict(session.execute(
        select(DocumentRow.id, DocumentRow.organisation).where(
            DocumentRow.id.in_([workshop.document_id, scenario_id or 0]))).all())
    if scenario_id is None or scenario_id not in organisations \
            or organisations[scenario_id] != organisations.get(workshop.document_id):
        raise repo.DocumentNotFound(f"workshop {workshop.id} has no scenario")
    return parse_scenario(repo.get_version(session, scenario_id, any_organisation=True).payload, lang)


def delete_workshops(session: Session, document_ids: list[int]) -> None:
    """Delete the workshops of these documents with everything participants gave (for
    :func:`~engine.storage.repository.empty_trash`, which checks who may)."""
    workshops = select(WorkshopRow.id).where(WorkshopRow.document_id.in_(document_ids)).scalar_subquery()
    people = select(ParticipantRow.id).where(ParticipantRow.workshop_id.in_(workshops)).scalar_subquery()
    rounds_ = select(RoundRow.id).where(RoundRow.workshop_id.in_(workshops)).scalar_subquery()
    session.execute(delete(EstimateRow).where(EstimateRow.round_id.in_(rounds_)))
    session.execute(delete(ParticipantAnswerRow).where(ParticipantAnswerRow.participant_id.in_(people)))
    session.execute(delete(RoundRow).where(RoundRow.workshop_id.in_(workshops)))
    session.execute(delete(ParticipantRow).where(ParticipantRow.workshop_id.in_(workshops)))
    session.execute(delete(WorkshopRow).where(WorkshopRow.document_id.in_(document_ids)))


# --- internals -----------------------------------------------------------------------------------

def _workshop_row(session: Session, workshop_id: int, lock: bool = False) -> WorkshopRow:
    statement = select(WorkshopRow).where(WorkshopRow.id == workshop_id)
    if lock:
        statement = statement.with_for_update()
    row = session.scalars(statement).one_or_none()
    if row is None:
        raise repo.DocumentNotFound(f"no workshop with id {workshop_id}")
    return row


def _participant_row(session: Session, participant_id: int) -> ParticipantRow:
    row = session.get(ParticipantRow, participant_id)
    if row is None:
        raise repo.DocumentNotFound(f"no participant with id {participant_id}")
    return row


def _round_row(session: Session, round_id: int) -> RoundRow:
    row = session.get(RoundRow, round_id)
    if row is None:
        raise RoundNotOpen
    return row


def _open_participant(session: Session, participant_id: int) -> ParticipantRow:
    """The participant's row, after checking that their workshop takes answers."""
    participant = _participant_row(session, participant_id)
    closed = session.scalar(select(WorkshopRow.closed_at).where(WorkshopRow.id == participant.workshop_id))
    if closed is not None:
        raise WorkshopClosed
    return participant


def _touch_if_open(session: Session, participant_id: int, step: int | None) -> None:
    """Mark the participant as seen now (at question ``step`` when given) in one statement that also
    checks that their workshop is open: WorkshopClosed when it is not, DocumentNotFound when there is
    no such participant."""
    values: dict[str, Any] = {"last_seen_at": utc_now()}
    if step is not None:
        values["step"] = max(0, min(int(step), len(load_questionnaire().questions) - 1))
    still_open = select(WorkshopRow.id).where(WorkshopRow.closed_at.is_(None))
    result = session.execute(
        update(ParticipantRow).where(ParticipantRow.id == participant_id, ParticipantRow.workshop_id.in_(still_open))
        .values(**values).execution_options(synchronize_session=False))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        _open_participant(session, participant_id)  # raises the reason: no such participant, or closed
        raise WorkshopClosed  # pragma: no cover - closed between the two statements


def _touch(participant: ParticipantRow, step: int | None) -> None:
    participant.last_seen_at = utc_now()
    if step is not None:
        participant.step = max(0, min(int(step), len(load_questionnaire().questions) - 1))


def _upsert(session: Session, table: type, keys: dict[str, Any], values: dict[str, Any]) -> None:
    """Insert the row with ``keys``, or update it where one exists: one statement, so a double click
    on two servers cannot make two rows (nor fail on the unique key)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(**keys, **values)
    session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=values))


def _mark(session: Session, row: WorkshopRow, event: str) -> None:
    """Record a change of the workshop's state as a version with unchanged content."""
    latest = repo.get_version(session, row.document_id)
    repo.add_version(session, row.document_id, latest.payload, latest.info.name, event=event)


def _setup(payload: Mapping[str, Any]) -> WorkshopSetup:
    return WorkshopSetup(title=payload["title"], date=payload["date"], organisation=payload.get("organisation", ""),
                         scenario_id=payload.get("scenario_id"), answer_set_id=payload.get("answer_set_id"),
                         agreed=dict(payload.get("agreed", {})), decisions=payload.get("decisions", ""),
                         notes=payload.get("notes", ""))


def _workshop(session: Session, row: WorkshopRow) -> Workshop:
    # Reached through a code or a secret, which is the access here (see the module's note).
    latest = repo.get_version(session, row.document_id, any_organisation=True)
    return Workshop(row.id, row.document_id, latest.info.number, row.join_code, _aware(row.created_at),
                    _aware(row.closed_at) if row.closed_at else None, _setup(latest.payload))


def _participant(row: ParticipantRow) -> Participant:
    return Participant(row.id, row.workshop_id, row.name, row.role, row.step, _aware(row.joined_at),
                       _aware(row.last_seen_at))


def _round(row: RoundRow) -> Round:
    return Round(row.id, row.workshop_id, row.number, RoundTarget.from_dict(row.target), row.scenario_version,
                 _aware(row.opened_at), _aware(row.closed_at) if row.closed_at else None, row.adopted_version)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
