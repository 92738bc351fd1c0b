"""Välj instrument through AppTest: answering, modes, back/forward, the result, saving and comparing."""

from datetime import date

import pytest

from engine.questionnaire import legal
from engine.storage import (
    create_document,
    list_answer_sets,
    list_versions,
    load_answers,
    open_database,
    session_factory,
)
from tests.engine.test_questionnaire import PERSONAS
from tests.pages.typing import typed

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
            at.text_input(key=f"qa_{question}").set_value(typed(value))
    return at.run()


@pytest.mark.parametrize(("lang", "invitation"), [
    ("sv", "Ni har inte svarat på någon fråga än"), ("en", "You have not answered any question yet")])
def test_before_any_answer_the_page_invites_answers_instead_of_naming_a_first_choice(open_page, lang, invitation):
    at = open_page(PAGE, lang)
    assert not at.exception
    assert any(invitation in info.value for info in at.info)
    assert not [m for m in at.markdown if m.value.startswith("#### ")]  # no "Förstahandsval" headline


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
    at.text_input(key="qa_volume_msek").set_value("25").run()
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
    assert at.warning
    assert ("juridisk rådgivning" in at.warning[0].value or "legal advice" in at.warning[0].value)
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
    # Two saved sets: both rankings side by side, and the questions they answer differently.
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
    # Named by its question, not by the technical path.
    assert any(e.value.startswith("Hur stor är satsningen totalt") for e in at.error), [e.value for e in at.error]


def stored(app_db, trashed: bool = False) -> dict:
    """The saved answer sets by name, straight from the page's database."""
    engine = open_database(app_db)
    try:
        with session_factory(engine).begin() as session:
            return {s.name: s for s in list_answer_sets(session, trashed=trashed)}
    finally:
        engine.dispose()


def history(app_db, document_id: int) -> list[tuple[int, str, int | None]]:
    engine = open_database(app_db)
    try:
        with session_factory(engine).begin() as session:
            return [(v.number, v.event, v.source_version) for v in list_versions(session, document_id)]
    finally:
        engine.dispose()


def saved_answers(app_db, document_id: int, version: int | None = None) -> dict:
    engine = open_database(app_db)
    try:
        with session_factory(engine).begin() as session:
            return dict(load_answers(session, document_id, version))
    finally:
        engine.dispose()


def save_as(at, name: str):
    at.text_input(key="qs_name").input(name).run()
    return at.button(key="qs_save").click().run()


def two_versions(open_page, lang: str = "sv"):
    """A set saved twice: version 1 the bond persona, version 2 the same with another purpose."""
    at = save_as(answer_all(open_page(PAGE, lang), PERSONAS["social_bond"]), "Workshop")
    at.radio(key="qa_purpose").set_value("test_new_method").run()
    return at.button(key="qs_save").click().run()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_history_shows_every_version_and_restoring_adds_one(open_page, app_db, lang):
    at = two_versions(open_page, lang)
    document_id = stored(app_db)["Workshop"].id
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == [2, 1]
    assert at.button(key="qs_restore").disabled  # the latest version is already current
    at.selectbox(key=f"qs_pick_{document_id}_2").set_value(1).run()
    assert any(("Svaren i version 1" if lang == "sv" else "The answers in version 1") in e.label for e in at.expander)
    at.button(key="qs_restore").click().run()
    assert not at.exception
    assert history(app_db, document_id) == [(3, "restored", 1), (2, "saved", None), (1, "created", None)]
    assert saved_answers(app_db, document_id) == saved_answers(app_db, document_id, 1)
    assert saved_answers(app_db, document_id, 2)["purpose"] == "test_new_method"
    assert list(at.dataframe[0].value.iloc[:, 0]) == [3, 2, 1]


def test_an_older_version_can_be_opened_in_the_questions_without_saving(open_page, app_db):
    at = two_versions(open_page)
    document_id = stored(app_db)["Workshop"].id
    at.selectbox(key=f"qs_pick_{document_id}_2").set_value(1).run()
    at.button(key="qs_open_version").click().run()
    assert not at.exception
    assert answers(at)["purpose"] == PERSONAS["social_bond"]["purpose"]
    assert history(app_db, document_id)[0][0] == 2  # opening stores nothing


def test_renaming_adds_a_version_and_bad_names_are_explained(open_page, app_db):
    at = save_as(answer_all(open_page(PAGE), PERSONAS["iop"]), "Första")
    at = save_as(at, "Andra")
    sets = stored(app_db)
    first = sets["Första"]
    at.selectbox(key="qs_open").set_value(first.id).run()
    rename = f"qs_rename_{first.id}_1"
    for bad, words in (("   ", "namn"), ("Andra", "Andra")):
        at.text_input(key=rename).input(bad).run()
        at.button(key="qs_rename_button").click().run()
        assert not at.exception
        assert any(words in e.value for e in at.error), [e.value for e in at.error]
    at.text_input(key=rename).input("Workshop i mars").run()
    at.button(key="qs_rename_button").click().run()
    assert not at.exception
    assert set(stored(app_db)) == {"Workshop i mars", "Andra"}
    assert history(app_db, first.id)[0] == (2, "renamed", None)
    assert saved_answers(app_db, first.id) == saved_answers(app_db, first.id, 1)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_set_goes_to_the_trash_only_when_confirmed_and_comes_back(open_page, app_db, lang):
    at = save_as(open_page(PAGE, lang), "Slängs")
    document_id = stored(app_db)["Slängs"].id
    assert at.button(key="qs_trash_button").disabled
    at.checkbox(key=f"qs_trash_confirm_{document_id}").check().run()
    at.button(key="qs_trash_button").click().run()
    assert not at.exception
    assert stored(app_db) == {}
    assert set(stored(app_db, trashed=True)) == {"Slängs"}
    assert any(("Papperskorgen" if lang == "sv" else "Trash") in e.label and "(1)" in e.label for e in at.expander)
    at.button(key=f"qs_untrash_{document_id}").click().run()
    assert not at.exception
    assert set(stored(app_db)) == {"Slängs"}
    assert stored(app_db, trashed=True) == {}
    assert at.selectbox(key="qs_open").value == document_id
    assert history(app_db, document_id) == [(1, "created", None)]


def test_the_comparison_can_pick_an_older_version_of_each_set(open_page, app_db):
    at = two_versions(open_page)
    at = save_as(answer_all(at, PERSONAS["iop"]), "IOP")
    sets = stored(app_db)
    workshop, iop = sets["Workshop"].id, sets["IOP"].id
    at.selectbox(key="qs_compare_a").set_value(workshop).run()
    at.selectbox(key="qs_compare_b").set_value(iop).run()
    version_box = at.selectbox(key=f"qs_compare_a_version_{workshop}_2")
    assert version_box.value == 2
    assert version_box.options == ["Version 2 (senaste)", "Version 1"]
    differing_latest = at.dataframe[-1].value
    version_box.set_value(1).run()
    assert not at.exception
    firsts = [m.value for m in at.markdown if m.value.startswith("**Förstahandsval")]
    assert firsts[0] == "**Förstahandsval: Social obligation**", firsts
    # The table of differing answers now reads version 1 on the left: another purpose than version 2.
    differing_first = at.dataframe[-1].value
    assert list(differing_first.columns) == ["Fråga", "Vänster: Workshop, version 1", "Höger: IOP, version 1"]
    assert list(differing_latest.columns)[1] == "Vänster: Workshop, version 2"
    purpose = differing_first.iloc[:, 0] == "Vad vill ni åstadkomma med satsningen?"
    assert list(differing_first[purpose].iloc[:, 1]) != list(differing_latest[purpose].iloc[:, 1])


def test_the_result_links_to_every_ranked_instrument_and_to_the_money_comparison(open_page):
    at = answer_all(open_page(PAGE, "en"), PERSONAS["iop"])
    links = [(link.proto.page, link.proto.label, link.proto.query_string) for link in at.get("page_link")]
    assert any(page == "jamfor_instrument" for page, _, _ in links), links
    catalogue = [(label, query) for page, label, query in links if page == "instrumenten"]
    # All eight in ranking order, each opening its own entry in English.
    numbered = [(label, query) for label, query in catalogue if label.startswith(tuple(f"{n}. " for n in range(1, 9)))]
    assert len(numbered) == 8
    assert numbered[0] == ("1. Idea-based public partnership (IOP)", "instrument=iop&lang=en")
    assert any(label.endswith("(excluded)") for label, _ in numbered)
    assert ("Read about Idea-based public partnership (IOP)", "instrument=iop&lang=en") in catalogue


def test_a_stored_version_that_no_longer_validates_is_explained_by_its_question(open_page, app_db):
    # As if a range had been tightened after saving: the stored volume is now refused.
    engine = open_database(app_db)
    with session_factory(engine).begin() as session:
        bad = create_document(session, "answers", "Gammal", {"format": "utfallskompassen.answers/1",
                                                             "answers": {"volume_msek": -4.0}})
    engine.dispose()
    at = open_page(PAGE)
    assert not at.exception
    assert any(e.value.startswith("De här sparade svaren") and "Hur stor är satsningen totalt" in e.value
               for e in at.error), [e.value for e in at.error]
    at.button(key="qs_open_button").click().run()
    assert not at.exception
    assert answers(at) == {}
    assert sum("Hur stor är satsningen totalt" in e.value for e in at.error) >= 2
    assert at.selectbox(key="qs_open").value == bad.document_id


def test_presenter_mode_shows_questions_and_result_side_by_side_with_the_saved_sets(open_page):
    at = open_page(PAGE, "en")
    at.query_params["present"] = "1"
    at = save_as(answer_all(at.run(), PERSONAS["reserved_procurement"]), "Projector")
    assert not at.exception
    assert at.session_state["presenter"] is True
    assert "Reserved procurement" in headline(at)
    assert any(tab.label == "History of Projector" for tab in at.tabs)


# --- legal figures: the period they are confirmed for, and a warning outside it (issue 13) -------------

@pytest.mark.parametrize(("lang", "day", "warned"), [
    ("sv", date(2026, 3, 1), True), ("en", date(2026, 3, 1), True), ("sv", date(2025, 6, 1), False)])
def test_the_thresholds_warn_when_today_is_outside_their_period(open_page, monkeypatch, lang, day, warned):
    monkeypatch.setattr(legal, "today", lambda: day)
    at = answer_all(open_page(PAGE, lang), PERSONAS["traditional_procurement"])
    assert not at.exception
    assert "juridisk rådgivning" in at.warning[0].value or "legal advice" in at.warning[0].value
    stale = [w.value for w in at.warning if "2024-01-01–2025-12-31" in w.value]
    assert bool(stale) is warned
    if warned:
        assert day.isoformat() in stale[0]
    # The procurement note quotes the limits with their periods, not a hard-coded "2024–25".
    notes = " ".join(m.value for m in at.markdown)
    assert "2024–25" not in notes


def test_the_volume_help_quotes_both_direct_award_limits_with_their_periods(open_page):
    at = open_page(PAGE)
    at.radio(key="qa_mode_widget").set_value("all").run()
    help_text = next(c.value for c in at.caption if "direktupphandlingsgränsen" in c.value)
    assert "700\u00a0000 kr" in help_text
    assert "8\u00a0109\u00a0450 kr" in help_text
    assert "2024-01-01–2025-12-31" in help_text


def test_savings_in_other_budgets_show_the_note_on_pooling_between_kommuner(open_page):
    at = open_page(PAGE)
    at.radio(key="qa_mode_widget").set_value("all").run()
    at.radio(key="qa_savings_location").set_value("other_public_budgets").run()
    assert not at.exception
    assert any("Flera kommuner" in e.label for e in at.expander)
