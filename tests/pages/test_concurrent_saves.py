"""Two people, one scenario: every page that saves it tells the second saver instead of dropping or
reverting the first one's work. Two AppTest sessions on one real SQLite file; each has its own
workspace, as two browsers do.

The story of each test: A and B open version 1; B edits and saves (version 2); A, who edited too,
presses save. Nothing is written for A; A sees that version 2 exists and chooses."""

import pytest

from engine.examples import load_example
from engine.storage import get_version, list_scenarios, list_versions, save_scenario
from tests.pages.typing import typed, value_of

CALC = "pages/kalkyl.py"
COMPARE = "pages/jamfor_instrument.py"


@pytest.fixture
def document(sessions) -> int:
    with sessions.begin() as session:
        return save_scenario(session, load_example("ips")).document_id


def _open(open_page, page: str, document: int):
    at = open_page(page)
    at.selectbox(key="open_source_widget").set_value(f"saved:{document}").run()
    assert not at.exception, at.exception
    return at


def _field(at, suffix: str):
    return at.text_input(key=next(w.key for w in at.text_input if w.key and w.key.endswith(suffix)))


def _click(at, suffix: str):
    next(b for b in at.button if b.key and b.key.endswith(suffix)).click().run()
    assert not at.exception, at.exception
    return at


def _versions(sessions, document: int) -> list[int]:
    with sessions.begin() as session:
        return [v.number for v in list_versions(session, document)]


def _effect(sessions, document: int, number: int | None = None) -> float:
    with sessions.begin() as session:
        return get_version(session, document, number).payload["outcomes"][0]["effect"]


def _b_saves_effect(open_page, document: int, percent: float):
    b = _open(open_page, CALC, document)
    _field(b, "_o0_effect").set_value(typed(percent)).run()
    return _click(b, "_save")


def _a_conflicts_on_calc(open_page, sessions, document: int):
    a = _open(open_page, CALC, document)
    _field(a, "_o0_effect").set_value(typed(14)).run()
    _b_saves_effect(open_page, document, 20)
    assert _versions(sessions, document) == [2, 1]
    _click(a, "_save")
    # Nothing written for A; the message names version 2; A's edit is still in the field.
    assert _versions(sessions, document) == [2, 1]
    assert any("version 2" in w.value for w in a.warning), [w.value for w in a.warning]
    assert value_of(_field(a, "_o0_effect")) == 14.0
    # What B changed is named as people name the field.
    assert any("Utfall 1 – Effekt" in m.value for m in a.markdown)
    return a


def test_keeping_mine_saves_it_on_top_and_theirs_stays_in_the_history(open_page, sessions, document):
    a = _a_conflicts_on_calc(open_page, sessions, document)
    _click(a, "_conflict_keep")
    assert _versions(sessions, document) == [3, 2, 1]
    assert _effect(sessions, document) == pytest.approx(0.14)
    assert _effect(sessions, document, 2) == pytest.approx(0.20)
    assert not any("version 2" in w.value for w in a.warning)


def test_taking_theirs_drops_my_edits_and_writes_nothing(open_page, sessions, document):
    a = _a_conflicts_on_calc(open_page, sessions, document)
    _click(a, "_conflict_take")
    a.run()
    assert _versions(sessions, document) == [2, 1]
    assert value_of(_field(a, "_o0_effect")) == 20.0
    # A's next save is based on version 2 and goes through.
    _field(a, "_o0_effect").set_value(typed(16)).run()
    _click(a, "_save")
    assert _versions(sessions, document) == [3, 2, 1]


def test_copying_mine_makes_a_new_scenario_and_leaves_theirs_alone(open_page, sessions, document):
    a = _a_conflicts_on_calc(open_page, sessions, document)
    _click(a, "_conflict_copy")
    assert _versions(sessions, document) == [2, 1]
    with sessions.begin() as session:
        names = [s.name for s in list_scenarios(session)]
    copy_name = f"{load_example('ips').name} (min version)"
    assert copy_name in names
    assert a.selectbox(key="open_source_widget").value != f"saved:{document}"


def test_a_second_conflict_while_choosing_asks_again(open_page, sessions, document):
    a = _a_conflicts_on_calc(open_page, sessions, document)
    _b_saves_effect(open_page, document, 25)  # version 3, while A reads the message
    _click(a, "_conflict_keep")
    assert _versions(sessions, document) == [3, 2, 1]
    assert any("version 3" in w.value for w in a.warning)
    _click(a, "_conflict_keep")
    assert _versions(sessions, document) == [4, 3, 2, 1]
    assert _effect(sessions, document) == pytest.approx(0.14)


def test_a_save_on_jamfor_instrument_is_held_the_same_way(open_page, sessions, document):
    a = _open(open_page, COMPARE, document)
    _field(a, "_price_0").set_value(typed(4000)).run()
    _b_saves_effect(open_page, document, 20)
    _click(a, "_save")
    assert _versions(sessions, document) == [2, 1]
    assert any("version 2" in w.value for w in a.warning)
    _click(a, "_conflict_keep")
    assert _versions(sessions, document) == [3, 2, 1]
    with sessions.begin() as session:
        latest = get_version(session, document).payload
    assert next(iter(latest["contract"]["prices"].values())) == 4000


def test_without_anyone_else_saving_there_is_no_question(open_page, sessions, document):
    a = _open(open_page, CALC, document)
    _field(a, "_o0_effect").set_value(typed(14)).run()
    _click(a, "_save")
    _field(a, "_o0_effect").set_value(typed(15)).run()
    _click(a, "_save")
    assert _versions(sessions, document) == [3, 2, 1]
    assert not a.warning


# --- Scenarier: the edit form -------------------------------------------------------------------

SCENARIOS = "pages/scenarier.py"


def _form_submit(at, suffix: str):
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:basics_{suffix}")).click().run()
    assert not at.exception, at.exception
    return at


def _scenarier(open_page, document: int):
    at = open_page(SCENARIOS)
    at.selectbox(key="choose_scenario").set_value(document).run()
    return at


def test_a_save_on_scenarier_is_neither_dropped_nor_reverting(open_page, sessions, document):
    a = _scenarier(open_page, document)
    a.text_input(key=f"horizon_{document}_1").set_value(typed(20))
    _b_saves_effect(open_page, document, 20)  # version 2, from Långsiktig kalkyl
    _form_submit(a, f"{document}_1")
    # A's typed horizon is still in the form (its keys still belong to version 1), nothing written.
    assert _versions(sessions, document) == [2, 1]
    assert value_of(a.text_input(key=f"horizon_{document}_1")) == 20.0
    assert any("version 2" in w.value for w in a.warning)
    a.button(key="scenarier_edit_conflict_keep").click().run()
    assert _versions(sessions, document) == [3, 2, 1]
    with sessions.begin() as session:
        latest = get_version(session, document).payload
    # A's horizon, and B's effect is not reverted: A's form only held the basics.
    assert latest["horizon_years"] == 20
    assert latest["outcomes"][0]["effect"] == pytest.approx(0.20)


def test_scenarier_says_when_a_newer_version_exists_and_can_show_it(open_page, sessions, document):
    a = _scenarier(open_page, document)
    _b_saves_effect(open_page, document, 20)
    a.run()
    assert any("version 2" in i.value for i in a.info)
    a.button(key="show_newest").click().run()
    assert any(w.key == f"horizon_{document}_2" for w in a.text_input if w.key)
    _form_submit(a, f"{document}_2")
    assert _versions(sessions, document) == [3, 2, 1]


# --- Effektmål: the target designs ----------------------------------------------------------------

TARGETS = "pages/effektmal.py"


def _target_field(at):
    return _field(at, "_0_target_rel")


def _targets(sessions):
    from engine.storage import list_targets, load_targets

    with sessions.begin() as session:
        [summary] = list_targets(session)
        return summary.latest_version, load_targets(session, summary.id).designs[0].target


def test_target_designs_saved_by_someone_else_are_not_overwritten(open_page, sessions):
    a = open_page(TARGETS)
    a.button(key="targets_save").click().run()  # version 1, which B then opens
    b = open_page(TARGETS)
    _target_field(b).set_value(typed(20)).run()
    b.button(key="targets_save").click().run()
    assert _targets(sessions) == (2, pytest.approx(0.20))
    _target_field(a).set_value(typed(15)).run()
    a.button(key="targets_save").click().run()
    assert not a.exception
    assert _targets(sessions) == (2, pytest.approx(0.20))  # nothing written for A
    assert any("version 2" in w.value for w in a.warning)
    assert value_of(_target_field(a)) == 15.0
    a.button(key="targets_conflict_keep").click().run()
    assert _targets(sessions) == (3, pytest.approx(0.15))


def test_taking_their_target_designs_fills_the_cards_with_them(open_page, sessions):
    a = open_page(TARGETS)
    a.button(key="targets_save").click().run()
    b = open_page(TARGETS)
    _target_field(b).set_value(typed(20)).run()
    b.button(key="targets_save").click().run()
    _target_field(a).set_value(typed(15)).run()
    a.button(key="targets_save").click().run()
    a.button(key="targets_conflict_take").click().run()
    assert not a.exception
    assert value_of(_target_field(a)) == 20.0
    assert _targets(sessions) == (2, pytest.approx(0.20))


# --- Välj instrument: answer sets -------------------------------------------------------------------

CHOOSE = "pages/valj_instrument.py"


def _answer_set(sessions, name: str):
    from engine.storage import list_answer_sets, load_answers

    with sessions.begin() as session:
        found = next(s for s in list_answer_sets(session) if s.name == name)
        return found.latest_version, dict(load_answers(session, found.id))


def test_an_answer_set_opened_by_two_is_not_overwritten_without_asking(open_page, sessions):
    a = open_page(CHOOSE)
    a.radio(key="qa_purpose").set_value("buy_known_service").run()
    a.text_input(key="qs_name").input("Verkstad").run()
    a.button(key="qs_save").click().run()  # version 1, A's own: A's next save is based on it
    b = open_page(CHOOSE)
    b.button(key="qs_open_button").click().run()
    b.radio(key="qa_purpose").set_value("test_new_method").run()
    b.button(key="qs_save").click().run()
    assert _answer_set(sessions, "Verkstad")[0] == 2
    a.radio(key="qa_purpose").set_value("scale_proven_method").run()
    a.button(key="qs_save").click().run()
    assert not a.exception
    assert _answer_set(sessions, "Verkstad") == (2, {"purpose": "test_new_method"})
    assert any("version 2" in w.value for w in a.warning)
    a.button(key="answers_conflict_copy").click().run()
    assert _answer_set(sessions, "Verkstad") == (2, {"purpose": "test_new_method"})
    assert _answer_set(sessions, "Verkstad (min version)") == (1, {"purpose": "scale_proven_method"})
