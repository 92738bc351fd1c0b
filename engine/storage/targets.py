"""Target designs on top of the generic document store (kind ``targets``, versioned like scenarios).

A targets document belongs to one scenario through its ``scenario_ref`` (``saved:<id>`` or
``example:<id>``); :func:`find_targets` finds the newest one for a scenario. Its history and
restoring work as for scenarios: restoring adds a new version with the old content, so nothing is
ever overwritten.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from engine.errors import InputError
from engine.i18n import DEFAULT_LANGUAGE
from engine.storage import repository as repo
from engine.targets.design import TargetsDocument, parse_targets_document, targets_to_dict

KIND = "targets"


def save_targets(session: Session, document: TargetsDocument, document_id: int | None = None,
                 based_on: int | None = None) -> repo.VersionInfo:
    """Save as a new document (``document_id`` None) or as the next version of an existing one;
    with ``based_on``, only if that is still its newest version (else VersionConflict)."""
    payload = targets_to_dict(document)
    if document_id is None:
        return repo.create_document(session, KIND, document.name, payload)
    _require_targets(session, document_id)
    return repo.add_version(session, document_id, payload, document.name, based_on=based_on)


def load_targets(session: Session, document_id: int, version: int | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> TargetsDocument:
    """The designs as saved (latest version unless ``version`` is given), validated again."""
    _require_targets(session, document_id)
    return parse_targets_document(repo.get_version(session, document_id, version).payload, lang)


def list_targets(session: Session, trashed: bool = False) -> list[repo.DocumentSummary]:
    return repo.list_documents(session, KIND, trashed=trashed)


def target_versions(session: Session, document_id: int) -> list[repo.VersionInfo]:
    """The history of a targets document, newest first."""
    _require_targets(session, document_id)
    return repo.list_versions(session, document_id)


def restore_targets(session: Session, document_id: int, number: int, based_on: int | None = None) -> repo.VersionInfo:
    """Make version ``number`` current again by saving a copy of it as the newest version."""
    _require_targets(session, document_id)
    return repo.restore_version(session, document_id, number, based_on=based_on)


def find_targets(session: Session, scenario_ref: str,
                 lang: str = DEFAULT_LANGUAGE) -> tuple[int, TargetsDocument] | None:
    """The most recently changed targets document whose latest version belongs to ``scenario_ref``
    (document id and content), or None. Documents in the trash, and stored versions that no longer
    validate, are passed over."""
    for summary in list_targets(session):
        try:
            document = load_targets(session, summary.id, lang=lang)
        except InputError:
            continue
        if document.scenario_ref == scenario_ref:
            return summary.id, document
    return None


def _require_targets(session: Session, document_id: int) -> None:
    # A scenario's id must not be taken for a targets document (ids are shared by all kinds).
    if repo.get_document(session, document_id).kind != KIND:
        raise repo.DocumentNotFound(f"document {document_id} is not a targets document")
