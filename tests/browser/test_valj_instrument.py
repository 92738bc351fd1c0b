"""Välj instrument in the real browser: answer a persona one question at a time, go back and
forward without losing answers, see the first choice; then the catalogue through its deep link."""

from playwright.sync_api import expect

from engine.i18n import translate
from engine.questionnaire.scoring import load_questionnaire
from tests.browser.helpers import assert_no_exception, goto, wait_for_app
from tests.engine.test_questionnaire import PERSONAS


def question_radio(page, question):
    # The radio group of this question (the page also has the mode and language switches).
    return page.locator('[data-testid="stRadio"]').filter(has_text=translate(f"questionnaire.q.{question.id}", "sv"))


def answer(page, question, value) -> None:
    if question.kind == "choice":
        label = translate(f"questionnaire.q.{question.id}.o.{value}", "sv")
        question_radio(page, question).get_by_text(label, exact=True).click()
    else:
        field = page.get_by_role("textbox").first
        field.fill(str(value))
        field.press("Enter")
    wait_for_app(page, settle_ms=300)


def test_a_persona_answered_one_at_a_time_gets_its_instrument_and_back_keeps_answers(page, app_server):
    goto(page, app_server, "valj_instrument", lang="sv")
    assert_no_exception(page, app_server.log_path)
    persona = PERSONAS["social_outcomes_contract"]
    questions = load_questionnaire().questions
    for number, question in enumerate(questions, start=1):
        expect(page.get_by_text(f"Fråga {number} av {len(questions)}", exact=True)).to_be_visible()
        answer(page, question, persona[question.id])
        if number < len(questions):
            page.get_by_role("button", name="Nästa").click()
            wait_for_app(page, settle_ms=300)
    expect(page.get_by_text(f"{len(questions)} av {len(questions)} frågor besvarade", exact=True)).to_be_visible()
    expect(page.locator("h4").first).to_contain_text("Förstahandsval: Socialt utfallskontrakt (SIB)")

    # Two steps back: the answer given there is still selected.
    for _ in range(2):
        page.get_by_role("button", name="Föregående").click()
        wait_for_app(page, settle_ms=300)
    expect(page.get_by_text(f"Fråga {len(questions) - 2} av {len(questions)}", exact=True)).to_be_visible()
    kept = translate(f"questionnaire.q.{questions[-3].id}.o.{persona[questions[-3].id]}", "sv")
    expect(question_radio(page, questions[-3]).get_by_role("radio", name=kept)).to_be_checked()
    page.get_by_role("button", name="Nästa").click()
    wait_for_app(page, settle_ms=300)
    expect(page.locator("h4").first).to_contain_text("Socialt utfallskontrakt (SIB)")

    # The same answers on one page.
    page.get_by_text("Alla på en sida", exact=True).click()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_text(f"Fråga {len(questions)} av {len(questions)}", exact=True)).to_be_visible()
    expect(page.locator("h4").first).to_contain_text("Socialt utfallskontrakt (SIB)")
    expect(page.get_by_text("Detta är vägledning, inte juridisk rådgivning")).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    assert_no_exception(page, app_server.log_path)


def test_the_catalogue_opens_one_instrument_from_a_link_in_english(page, app_server):
    goto(page, app_server, "instrumenten?instrument=social_bond", lang="en")
    assert_no_exception(page, app_server.log_path)
    expect(page.locator("h2")).to_have_count(1)
    expect(page.locator("h2").first).to_contain_text("Social bond")
    expect(page.get_by_role("link", name="SEB (2020-06-16)")).to_be_visible()
