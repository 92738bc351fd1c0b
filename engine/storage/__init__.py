"""Persistence: the only package that imports SQLAlchemy.

Use: ``engine = open_database(database_url())`` once per process; then per user action
``with session_factory(engine).begin() as session:`` and call the functions below.
"""

from engine.storage.answers import (
    answer_set_history,
    get_answer_set,
    list_answer_sets,
    load_answers,
    rename_answer_set,
    restore_answer_version,
    save_answers,
    trash_answer_set,
    untrash_answer_set,
)
from engine.storage.config import database_url
from engine.storage.database import open_database, session_factory, upgrade_schema
from engine.storage.repository import (
    DocumentNotFound,
    DocumentSummary,
    StoredVersion,
    VersionInfo,
    add_version,
    create_document,
    get_document,
    get_version,
    list_documents,
    list_versions,
    restore_document,
    restore_version,
    trash_document,
)
from engine.storage.scenarios import (
    duplicate_scenario,
    list_scenarios,
    load_scenario,
    rename_scenario,
    save_scenario,
)
from engine.storage.targets import (
    find_targets,
    list_targets,
    load_targets,
    restore_targets,
    save_targets,
    target_versions,
)

__all__ = [
    "DocumentNotFound", "DocumentSummary", "StoredVersion", "VersionInfo",
    "add_version", "create_document", "database_url", "duplicate_scenario", "get_document", "get_version",
    "list_documents", "list_scenarios", "list_versions", "load_scenario", "open_database", "rename_scenario",
    "restore_document", "restore_version", "save_scenario", "session_factory", "trash_document", "upgrade_schema",
    "find_targets", "list_targets", "load_targets", "restore_targets", "save_targets", "target_versions",
    "answer_set_history", "get_answer_set", "list_answer_sets", "load_answers", "rename_answer_set",
    "restore_answer_version", "save_answers", "trash_answer_set", "untrash_answer_set",
]
