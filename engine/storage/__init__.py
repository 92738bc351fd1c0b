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
from engine.storage.drafts import Draft, discard_draft, is_workspace, keep_draft, load_draft
from engine.storage.repository import (
    DocumentNotFound,
    DocumentSummary,
    StoredVersion,
    VersionConflict,
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
    "DocumentNotFound",
    "DocumentSummary",
    "Draft",
    "StoredVersion",
    "VersionConflict",
    "VersionInfo",
    "add_version",
    "answer_set_history",
    "create_document",
    "database_url",
    "discard_draft",
    "duplicate_scenario",
    "find_targets",
    "get_answer_set",
    "get_document",
    "get_version",
    "is_workspace",
    "keep_draft",
    "list_answer_sets",
    "list_documents",
    "list_scenarios",
    "list_targets",
    "list_versions",
    "load_answers",
    "load_draft",
    "load_scenario",
    "load_targets",
    "open_database",
    "rename_answer_set",
    "rename_scenario",
    "restore_answer_version",
    "restore_document",
    "restore_targets",
    "restore_version",
    "save_answers",
    "save_scenario",
    "save_targets",
    "session_factory",
    "target_versions",
    "trash_answer_set",
    "trash_document",
    "untrash_answer_set",
    "upgrade_schema",
]
