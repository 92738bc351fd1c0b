"""Saved questionnaire answer sets, as versioned documents of kind ``answers``.

The payload is the answer file itself (``{"format": ..., "answers": {...}}``), so a saved set can
be downloaded and fed to ``python -m engine recommend``. Saving under an existing document adds a
version; nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from engine.i18n import DEFAULT_LANGUAGE
from engine.questionnaire import Answers, answers_to_dict, parse_answers
from engine.storage import repository as repo

KIND = "answers"


def save_answers(session: Session, name: str, answers: Mapping[str, str | float],
                 document_id: int | None = None) -> repo.VersionInfo:
    """Save as a new answer set (``document_id`` None) or as the next version of an existing one.

    ``answers`` are checked again first, so nothing invalid is ever stored (raises
    :class:`~engine.questionnaire.AnswersError`). ``name`` must not be empty (ValueError).
    """
    name = name.strip()
    if not name:
        raise ValueError("an answer set needs a name")
    payload = answers_to_dict(parse_answers(answers_to_dict(answers)))
    if document_id is None:
        return repo.create_document(session, KIND, name, payload)
    return repo.add_version(session, document_id, payload, name)


def load_answers(session: Session, document_id: int, version: int | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> Answers:
    """The answers as saved (latest version unless ``version`` is given), validated again."""
    return parse_answers(repo.get_version(session, document_id, version).payload, lang)


def list_answer_sets(session: Session, trashed: bool = False) -> list[repo.DocumentSummary]:
    """Saved answer sets, most recently changed first."""
    return repo.list_documents(session, KIND, trashed=trashed)
