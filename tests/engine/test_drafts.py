"""Drafts on a real SQLite file and a real PostgreSQL: unsaved edits are kept per workspace and
source, replaced as the user types, and never touch a saved version."""

import pytest

from engine.scenario import blank_scenario, scenario_to_dict
from engine.storage import (
    discard_draft,
    get_version,
    keep_draft,
    list_versions,
    load_draft,
    save_scenario,
)

WORKSPACE, OTHER = "ws-aaaaaaaa", "ws-bbbbbbbb"


def test_a_draft_is_kept_replaced_and_discarded_without_touching_the_versions(sessions):
    with sessions.begin() as session:
        info = save_scenario(session, blank_scenario("Bas"))
    source = f"saved:{info.document_id}"
    edited = scenario_to_dict(blank_scenario("Bas")) | {"horizon_years": 25}
    assert edited != scenario_to_dict(blank_scenario("Bas"))
    with sessions.begin() as session:
        assert load_draft(session, WORKSPACE, "scenario", source) is None
        keep_draft(session, WORKSPACE, "scenario", source, edited)
    with sessions.begin() as session:
        keep_draft(session, WORKSPACE, "scenario", source, edited | {"horizon_years": 30})
    with sessions.begin() as session:
        assert load_draft(session, WORKSPACE, "scenario", source).payload["horizon_years"] == 30
        assert load_draft(session, OTHER, "scenario", source) is None  # another tab's line of work
        assert load_draft(session, WORKSPACE, "targets", source) is None
        versions = list_versions(session, info.document_id)
        assert [v.number for v in versions] == [1]
        assert get_version(session, info.document_id).payload["horizon_years"] == scenario_to_dict(blank_scenario("Bas"))["horizon_years"]
        discard_draft(session, WORKSPACE, "scenario", source)
    with sessions.begin() as session:
        assert load_draft(session, WORKSPACE, "scenario", source) is None
        assert [v.number for v in list_versions(session, info.document_id)] == [1]


def test_answers_have_one_draft_per_workspace(sessions):
    with sessions.begin() as session:
        keep_draft(session, WORKSPACE, "answers", "", {"q1": "a"})
        keep_draft(session, OTHER, "answers", "", {"q1": "b"})
    with sessions.begin() as session:
        assert load_draft(session, WORKSPACE, "answers").payload == {"q1": "a"}
        assert load_draft(session, OTHER, "answers").payload == {"q1": "b"}


@pytest.mark.parametrize("workspace", ["", "short", "has space!", "x" * 65, None])
def test_a_malformed_workspace_token_is_refused(sessions, workspace):
    with sessions.begin() as session, pytest.raises(ValueError, match="not a draft key"):
        keep_draft(session, workspace, "scenario", "saved:1", {})
