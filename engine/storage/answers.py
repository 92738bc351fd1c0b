"""Saved questionnaire answer sets, as versioned documents of kind ``answers``.

The payload is the answer file itself (``{"format": ..., "answers": {...}}``), so a saved set can
be downloaded and fed to ``python -m engine recommend``. Saving under an existing document adds a
version; nothing is overwritten. Renaming and restoring an old version are new versions too;
moving to the trash is reversible. Every function here refuses a document of another kind
(:class:`~engine.storage.repository.DocumentNotFound`), so a scenario id can never be trashed or
renamed from the questionnaire.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from engine.i18n import DEFAULT_LANGUAGE
from engine.questionnaire.scoring import Answers, answers_to_dict, parse_answers
from engine.storage import repository as repo

KIND = "answers"

#: Longest name the document table holds (``documents.name`` is ``String(200)``).
MAX_NAME_LENGTH = 200


def save_answers(session: Session, name: str, answers: Mapping[str, str | float],
                 document_id: int | None = None, based_on: int | None = None) -> repo.VersionInfo:
    """Save as a new answer set (``document_id`` None) or as the next version of an existing one.

    ``answers`` are checked again first, so nothing invalid is ever stored (raises
    :class:`~engine.questionnaire.scoring.AnswersError`). ``name`` must not be empty nor longer than
    :data:`MAX_NAME_LENGTH` characters once trimmed (ValueError).
    """
    name = _checked_name(name)
    payload = answers_to_dict(parse_answers(answers_to_dict(answers)))
    if document_id is None:
        return repo.create_document(session, KIND, name, payload)
    _answer_set(session, document_id)
    return repo.add_version(session, document_id, payload, name, based_on=based_on)


def load_answers(session: Session, document_id: int, version: int | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> Answers:
    """The answers as saved (latest version unless ``version`` is given), validated again."""
    _answer_set(session, document_id)
    return parse_answers(repo.get_version(session, document_id, version).payload, lang)


def list_answer_sets(session: Session, trashed: bool = False) -> list[repo.DocumentSummary]:
    """Saved answer sets, most recently changed first."""
    return repo.list_documents(session, KIND, trashed=trashed)


def get_answer_set(session: Session, document_id: int) -> repo.DocumentSummary:
    """One answer set's name, latest version and trash state (DocumentNotFound if it is not one)."""
    return _answer_set(session, document_id)


def answer_set_history(session: Session, document_id: int) -> list[repo.VersionInfo]:
    """Every version of an answer set, newest first."""
    _answer_set(session, document_id)
    return repo.list_versions(session, document_id)


def rename_answer_set(session: Session, document_id: int, new_name: str) -> repo.VersionInfo:
    """Rename by adding a version (event ``renamed``) with the same answers under ``new_name``.

    The name is checked like in :func:`save_answers` (ValueError); the answers are copied as stored.
    """
    new_name = _checked_name(new_name)
    _answer_set(session, document_id)
    latest = repo.get_version(session, document_id)
    return repo.add_version(session, document_id, latest.payload, new_name, event="renamed")


def restore_answer_version(session: Session, document_id: int, number: int,
                           based_on: int | None = None) -> repo.VersionInfo:
    """Make version ``number`` current again as a new version (event ``restored``); history only grows."""
    _answer_set(session, document_id)
    return repo.restore_version(session, document_id, number, based_on=based_on)


def trash_answer_set(session: Session, document_id: int) -> None:
    """Move an answer set to the trash; :func:`untrash_answer_set` brings it back."""
    _answer_set(session, document_id)
    repo.trash_document(session, document_id)


def untrash_answer_set(session: Session, document_id: int) -> None:
    """Bring an answer set back from the trash, with its whole history."""
    _answer_set(session, document_id)
    repo.restore_document(session, document_id)


def _answer_set(session: Session, document_id: int) -> repo.DocumentSummary:
    summary = repo.get_document(session, document_id)
    if summary.kind != KIND:
        raise repo.DocumentNotFound(f"document {document_id} is a {summary.kind}, not an answer set")
    return summary


def _checked_name(name: str) -> str:
    """The trimmed name, or ValueError.

    >>> _checked_name("  Workshop 1 ")
    'Workshop 1'
    """
    name = name.strip()
    if not name:
        raise ValueError("an answer set needs a name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"an answer set's name has at most {MAX_NAME_LENGTH} characters")
    return name
