"""Välj instrument through AppTest: answering, modes, back/forward, the result, saving and comparing."""

import pytest

from engine.storage import list_answer_sets, load_answers, open_database, session_factory
from tests.engine.test_questionnaire import PERSONAS

PAGE = "pages/valj_instrument.py"


def headline(at) -> str:
    found = [m.value for m in at.markdown if m.value.startswith("#### ")]
    return found[0] if found else ""


def answers(at) -> dict:
    return dict(at.session_state["questionnaire_answers"])


def answer_all(at, persona: dict):
    """Answer a whole persona on the all-on-one-page view."""
    at.radio(key="qa_mode_widget").set_value("all").run()
    for question, value in persona.items():
        if isinstance(value, str):
            at.radio(key=f"qa_{question}").set_value(value)
        else:
            at.number_input(key=f"qa_{question}").set_value(value)
    return at.run()


@pytest.mark.parametrize(("lang", "first", "words"), [
    ("sv", "Förstahandsval", "Låg säkerhet: 0 av 19"), ("en", "First choice", "Low confidence: 0 of 19")])
def test_the_page_opens_with_a_low_confidence_result_before_any_answer(open_page, lang, first, words):
    at = open_page(PAGE, lang)
    assert not at.exception
    assert headline(at).startswith(f"#### {first}")
    assert any(words in m.value for m in at.markdown)
    assert at.info  # says that nothing is answered yet


def test_one_question_at_a_time_keeps_answers_going_back_and_forward(open_page):
    at = open_page(PAGE)
    at.radio(key="qa_purpose").set_value("test_new_method").run()
    at.button(key="qa_next").click().run()
    assert [r.key for r in at.radio if r.key.startswith("qa_") and r.key != "qa_mode_widget"] == \
        ["qa_partnership_goal"]
    at.radio(key="qa_partnership_goal").set_value("finance_only").run()
    at.button(key="qa_back").click().run()
    assert at.radio(key="qa_purpose").value == "test_new_method"
    assert answers(at) == {"purpose": "test_new_method", "partnership_goal": "finance_only"}
    assert not at.exception


def test_switching_mode_keeps_the_answers(open_page):
    at = open_page(PAGE)
    at.radio(key="qa_purpose").set_value("buy_known_service").run()
    at.radio(key="qa_mode_widget").set_value("all").run()
    assert len([r for r in at.radio if r.key.startswith("qa_") and r.key != "qa_mode_widget"]) == 16
    assert at.radio(key="qa_purpose").value == "buy_known_service"
    at.number_input(key="qa_volume_msek").set_value(25.0).run()
    at.radio(key="qa_mode_widget").set_value("one").run()
    assert answers(at) == {"purpose": "buy_known_service", "volume_msek": 25.0}


def test_clearing_an_answer_makes_it_unanswered_again(open_page):
    at = open_page(PAGE)
    at.radio(key="qa_purpose").set_value("test_new_method").run()
    at.button(key="qa_clear").click().run()
    assert answers(at) == {}
    assert at.radio(key="qa_purpose").value is None


@pytest.mark.parametrize(("lang", "instrument", "name"), [
    ("sv", "social_outcomes_contract", "Socialt utfallskontrakt (SIB)"), ("en", "iop", "Idea-based public partnership")])
def test_a_persona_gets_its_instrument_with_reasons_exclusions_legal_notes_and_stability(open_page, lang, instrument,
                                                                                        name):
    at = answer_all(open_page(PAGE, lang), PERSONAS[instrument])
    assert not at.exception
    assert name in headline(at)
    text = " ".join(m.value for m in at.markdown)
    assert ("19 av 19" if lang == "sv" else "19 of 19") in text
    assert at.warning and ("juridisk rådgivning" in at.warning[0].value or "legal advice" in at.warning[0].value)
    assert len(at.expander) >= 3 + 1  # top three and at least one legal screen


def test_an_answer_set_is_saved_with_versions_and_two_sets_are_compared(open_page, app_db):
    at = answer_all(open_page(PAGE), PERSONAS["social_bond"])
    at.text_input(key="qs_name").input("Obligation").run()
    at.button(key="qs_save").click().run()
    assert not at.exception
    at.radio(key="qa_purpose").set_value("test_new_method").run()
    at.button(key="qs_save").click().run()
    at.text_input(key="qs_name").input("Ingenting").run()
    for key in list(answers(at)):
        at.session_state["questionnaire_answers"].pop(key)
    at.run()
    at.button(key="qs_save").click().run()
    assert not at.exception
    sessions = session_factory(open_database(app_db))
    with sessions.begin() as session:
        sets = {s.name: s for s in list_answer_sets(session)}
        assert sets["Obligation"].latest_version == 2
        assert load_answers(session, sets["Obligation"].id, 1)["purpose"] == "scale_proven_method"
        assert load_answers(session, sets["Ingenting"].id) == {}
    # Two saved sets: both rankings side by side.
    assert len(at.dataframe) == 2
    firsts = [m.value for m in at.markdown if m.value.startswith(("**Förstahandsval", "**First choice"))]
    assert len(firsts) == 2


def test_saving_without_a_name_is_explained(open_page):
    at = open_page(PAGE)
    at.button(key="qs_save").click().run()
    assert not at.exception
    assert any("namn" in e.value for e in at.error)


def test_a_saved_set_can_be_opened_again(open_page):
    at = answer_all(open_page(PAGE), PERSONAS["iop"])
    at.text_input(key="qs_name").input("IOP-fallet").run()
    at.button(key="qs_save").click().run()
    at.session_state["questionnaire_answers"] = {}
    at.run()
    at.button(key="qs_open_button").click().run()
    assert not at.exception
    assert answers(at) == {k: (float(v) if not isinstance(v, str) else v) for k, v in PERSONAS["iop"].items()}


def test_a_corrupted_answer_in_the_session_is_explained_not_crashed(open_page):
    at = open_page(PAGE)
    at.session_state["questionnaire_answers"] = {"volume_msek": -4.0}
    at.run()
    assert not at.exception
    assert any("answers.volume_msek" in e.value for e in at.error)
