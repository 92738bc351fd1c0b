"""A stored version that no longer passes validation (a rule was tightened after it was saved): the
Scenarier page still shows the scenario's history, downloads that version exactly as stored, and
never makes it the newest by a restore; a valid older version can be restored."""

import pytest

from engine.examples import load_example
from engine.scenario import scenario_to_dict
from engine.storage import add_version, get_version, list_versions, save_scenario

PAGE = "pages/scenarier.py"


@pytest.fixture
def broken(sessions) -> tuple[int, dict]:
    """Version 1 valid; version 2 with a contract longer than its horizon, written past validation."""
    with sessions.begin() as session:
        document = save_scenario(session, load_example("ips")).document_id
        payload = scenario_to_dict(load_example("ips")) | {"horizon_years": 3, "contract_years": 9}
        add_version(session, document, payload)
    return document, payload


def _open(open_page, document):
    at = open_page(PAGE)
    at.selectbox(key="choose_scenario").set_value(document).run()
    assert not at.exception, at.exception
    return at


def test_the_page_names_the_problem_and_still_draws_the_history(open_page, broken):
    document, _ = broken
    at = _open(open_page, document)
    errors = " ".join(e.value.replace("\\", "") for e in at.error)
    assert "Avtalsperioden (9 år)" in errors
    assert "följer inte längre formatets regler" in errors
    assert len(at.dataframe[0].value) == 2  # the history: both versions
    download = at.get("download_button")[0]
    assert download.proto.label.startswith("Ladda ner som den är sparad")


def test_the_invalid_version_is_offered_as_stored_not_parsed(open_page, broken):
    document, _ = broken
    at = _open(open_page, document)
    # The history's download of the picked (newest, invalid) version says it is the stored content.
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner version 2 som den är sparad" in labels
    at.selectbox(key=f"scenario_pick_{document}_2").set_value(1).run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert not at.exception
    assert any(label.startswith("Ladda ner version 1") and "som den är sparad" not in label for label in labels)


def test_an_invalid_version_is_never_restored_and_a_valid_one_is(open_page, sessions, broken):
    document, _ = broken
    with sessions.begin() as session:
        add_version(session, document, scenario_to_dict(load_example("ips")) | {"horizon_years": 12})  # 3, valid
    at = _open(open_page, document)
    at.selectbox(key=f"scenario_pick_{document}_3").set_value(2).run()
    at.button(key="scenario_restore").click().run()
    assert not at.exception
    assert any("kan inte återställas" in e.value for e in at.error)
    with sessions.begin() as session:
        assert [v.number for v in list_versions(session, document)] == [3, 2, 1]
    at.selectbox(key=f"scenario_pick_{document}_3").set_value(1).run()
    at.button(key="scenario_restore").click().run()
    with sessions.begin() as session:
        assert [v.number for v in list_versions(session, document)] == [4, 3, 2, 1]
        assert get_version(session, document).payload == get_version(session, document, 1).payload
