"""Target designs on top of the generic document store (kind ``targets``, versioned like scenarios)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from engine.i18n import DEFAULT_LANGUAGE
from engine.storage import repository as repo
from engine.targets.design import TargetsDocument, parse_targets_document, targets_to_dict

KIND = "targets"


def save_targets(session: Session, document: TargetsDocument, document_id: int | None = None) -> repo.VersionInfo:
    """Save as a new document (``document_id`` None) or as the next version of an existing one."""
    payload = targets_to_dict(document)
    if document_id is None:
        return repo.create_document(session, KIND, document.name, payload)
    return repo.add_version(session, document_id, payload, document.name)


def load_targets(session: Session, document_id: int, version: int | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> TargetsDocument:
    """The designs as saved (latest version unless ``version`` is given), validated again."""
    return parse_targets_document(repo.get_version(session, document_id, version).payload, lang)


def list_targets(session: Session, trashed: bool = False) -> list[repo.DocumentSummary]:
    return repo.list_documents(session, KIND, trashed=trashed)
