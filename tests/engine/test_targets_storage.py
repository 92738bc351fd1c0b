"""Targets documents in storage: history, restore as a new version, finding a scenario's targets."""

from __future__ import annotations

import pytest

from engine.examples import load_example
from engine.storage import DocumentNotFound, save_scenario, trash_document
from engine.storage.targets import (
    find_targets,
    load_targets,
    restore_targets,
    save_targets,
    target_versions,
)
from engine.targets.design import FORMAT_ID, default_design, design_to_dict, parse_targets_document


def document(ref: str = "example:sjukfranvaro", target: float | None = None, name: str = "Effektmål sjukfrånvaro"):
    example = load_example("sjukfranvaro")
    designs = [design_to_dict(default_design(example, 0)), design_to_dict(default_design(example, 1))]
    if target is not None:
        designs[0]["target"] = target
    return parse_targets_document({"format": FORMAT_ID, "name": name, "scenario_ref": ref, "designs": designs})


def test_restoring_an_old_version_adds_a_new_one_and_keeps_the_history(sessions):
    with sessions.begin() as session:
        first = save_targets(session, document(target=0.10))
        save_targets(session, document(target=0.20), first.document_id)
        save_targets(session, document(target=0.30), first.document_id)
    with sessions.begin() as session:
        restored = restore_targets(session, first.document_id, 1)
    with sessions.begin() as session:
        history = target_versions(session, first.document_id)
        # Newest first; version 4 is a copy of 1 and says so; 1-3 are untouched.
        assert [(v.number, v.event, v.source_version) for v in history] == [
            (4, "restored", 1), (3, "saved", None), (2, "saved", None), (1, "created", None)]
        assert restored.number == 4
        assert [load_targets(session, first.document_id, n).designs[0].target for n in (1, 2, 3, 4)] == [
            0.10, 0.20, 0.30, 0.10]
        assert load_targets(session, first.document_id).designs[0].target == 0.10


def test_a_scenario_id_is_not_taken_for_a_targets_document(sessions):
    with sessions.begin() as session:
        scenario = save_scenario(session, load_example("sjukfranvaro"))
    with sessions.begin() as session:
        for call in (lambda: target_versions(session, scenario.document_id),
                     lambda: restore_targets(session, scenario.document_id, 1),
                     lambda: load_targets(session, scenario.document_id),
                     lambda: save_targets(session, document(), scenario.document_id)):
            with pytest.raises(DocumentNotFound):
                call()
        with pytest.raises(DocumentNotFound):
            target_versions(session, 9999)


def test_the_newest_targets_of_a_scenario_are_found_and_others_are_not(sessions):
    with sessions.begin() as session:
        assert find_targets(session, "saved:1") is None
        other = save_targets(session, document("saved:7", 0.25, "Andra"))
        mine = save_targets(session, document("saved:1", 0.15))
        trashed = save_targets(session, document("saved:2", 0.35, "I papperskorgen"))
        trash_document(session, trashed.document_id)
    with sessions.begin() as session:
        found_id, found = find_targets(session, "saved:1", "en")
        assert found_id == mine.document_id
        assert found.designs[0].target == 0.15
        assert find_targets(session, "saved:7")[0] == other.document_id
        assert find_targets(session, "saved:2") is None  # in the trash
        assert find_targets(session, "example:sjukfranvaro") is None


def test_a_document_that_no_longer_belongs_to_the_scenario_is_passed_over(sessions):
    # The latest version decides: a document moved to another scenario is not found under the old one.
    with sessions.begin() as session:
        first = save_targets(session, document("example:sjukfranvaro"))
        save_targets(session, document("saved:3"), first.document_id)
    with sessions.begin() as session:
        assert find_targets(session, "example:sjukfranvaro") is None
        assert find_targets(session, "saved:3")[0] == first.document_id
