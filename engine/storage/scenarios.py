"""Scenario-level operations on top of the generic document store.

The scenario's ``name`` lives inside its JSON as well as on the document, so renaming and
duplicating are new, validated versions rather than a change of a label.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from engine.i18n import DEFAULT_LANGUAGE
from engine.scenario import Scenario, parse_scenario, scenario_to_dict
from engine.storage import repository as repo

KIND = "scenario"


def save_scenario(session: Session, scenario: Scenario, document_id: int | None = None,
                  event: str | None = None, based_on: int | None = None) -> repo.VersionInfo:
    """Save as a new document (``document_id`` None) or as the next version of an existing one;
    with ``based_on``, only if that is still its newest version (else VersionConflict)."""
    payload = scenario_to_dict(scenario)
    if document_id is None:
        return repo.create_document(session, KIND, scenario.name, payload, event=event or "created")
    return repo.add_version(session, document_id, payload, scenario.name, event=event or "saved", based_on=based_on)


def load_scenario(session: Session, document_id: int, version: int | None = None,
                  lang: str = DEFAULT_LANGUAGE) -> Scenario:
    """The scenario as saved (latest version unless ``version`` is given), validated again."""
    return parse_scenario(repo.get_version(session, document_id, version).payload, lang)


def rename_scenario(session: Session, document_id: int, new_name: str,
                    lang: str = DEFAULT_LANGUAGE) -> repo.VersionInfo:
    """Rename by saving a version whose only change is the name (validated: not empty, not too long)."""
    data = repo.get_version(session, document_id).payload | {"name": new_name}
    return save_scenario(session, parse_scenario(data, lang), document_id, event="renamed")


def duplicate_scenario(session: Session, document_id: int, new_name: str,
                       lang: str = DEFAULT_LANGUAGE) -> repo.VersionInfo:
    """A new scenario document that starts as a copy of the latest version, under ``new_name``."""
    data = repo.get_version(session, document_id).payload | {"name": new_name}
    scenario = parse_scenario(data, lang)
    return repo.duplicate_document(session, document_id, scenario.name, scenario_to_dict(scenario))


def list_scenarios(session: Session, trashed: bool = False) -> list[repo.DocumentSummary]:
    return repo.list_documents(session, KIND, trashed=trashed)
