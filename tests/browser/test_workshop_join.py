"""Joining a workshop on a phone (390 x 844), in both languages: the join code typed in, three answers
with the options and "Nästa" in view without scrolling, a reload that resumes on the same question
with the answers kept, an estimate round that appears by itself when the facilitator opens it, and
the same address opened in another browser, which is refused and shows none of the answers.

Each phone is its own browser context (its own cookies, so its own device id). Screenshots go to
tests/browser/screenshots/workshop_join_<lang>_<step>.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from engine.examples import load_example
from engine.i18n import translate
from engine.questionnaire.scoring import load_questionnaire
from engine.storage import open_database, save_scenario, session_factory
from engine.storage import workshops as ws
from engine.workshop.codes import format_join_code
from engine.workshop.rounds import RoundTarget
from tests.browser.conftest import SCREENSHOT_DIR
from tests.browser.helpers import assert_no_exception, goto, wait_for_app

PHONE = {"width": 390, "height": 844}
_SCROLLED = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"


@pytest.fixture
def database(app_server):
    """Sessions on the app server's own database."""
    engine = open_database(f"sqlite:///{app_server.log_path.parent / 'app.db'}")
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def workshop(database):
    """A fresh open workshop on the IPS example scenario."""
    with database.begin() as session:
        scenario = save_scenario(session, load_example("ips"))
        created = ws.create_workshop(session, ws.WorkshopSetup(
            title="Barn och unga i Exempelstad", date="2026-12-02", organisation="Exempelstads kommun",
            scenario_id=scenario.document_id))
    return created.workshop


def _in_view(locator, what: str) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{what} is not shown"
    where = f"top {box['y']:.0f}, bottom {box['y'] + box['height']:.0f} px"
    assert box["y"] >= 0, f"{what} is above the first screen: {where}"
    assert box["y"] + box["height"] <= PHONE["height"], f"{what} is below the first screen: {where}"


def _shot(page, lang: str, step: str) -> None:
    """The page as tall as its main area (the folded sidebar's height would only add white); first
    checked for Streamlit's English-only hints and for error boxes."""
    assert page.locator('[data-testid="InputInstructions"]:visible').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]:visible').count() == 0
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": PHONE["width"], "height": max(PHONE["height"], int(height))})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.screenshot(path=str(SCREENSHOT_DIR / f"workshop_join_{lang}_{step}.png"))
    page.set_viewport_size(PHONE)


def _option(page, question, option: str, lang: str):
    return page.get_by_role("radio", name=translate(f"questionnaire.q.{question.id}.o.{option}", lang), exact=True)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_phone_joins_answers_reloads_and_a_copied_link_is_refused(browser, app_server, database, workshop, lang):
    def tr(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    questions = load_questionnaire().questions
    phone = browser.new_context(viewport=PHONE)
    other = browser.new_context(viewport=PHONE)
    try:
        page = phone.new_page()
        goto(page, app_server, "delta", lang=lang)
        code_field = page.get_by_role("textbox", name=tr("join.code"))
        code_field.fill(format_join_code(workshop.join_code).lower())
        _shot(page, lang, "0_code")
        code_field.press("Enter")  # as a phone keyboard's "Go" does
        wait_for_app(page, settle_ms=300)
        assert_no_exception(page, app_server.log_path)
        # On a phone Streamlit keeps the sidebar folded: the page has the whole width.
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.get_attribute("data-collapsed") == "true"
        assert sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 0
        expect(page.get_by_text("Barn och unga i Exempelstad", exact=True)).to_be_visible()
        page.get_by_role("textbox", name=tr("join.name")).fill("Wilma Östberg")
        page.get_by_text(tr("workshop.role.kommun"), exact=True).click()
        _shot(page, lang, "1_join_form")
        page.get_by_role("button", name=tr("join.go")).click()

        next_button = page.get_by_role("button", name=tr("questionnaire.page.next"))
        chosen = []
        for number, question in enumerate(questions[:3], start=1):
            step = page.get_by_text(re.compile(re.escape(tr("questionnaire.page.step", n=number, total=19))))
            expect(step).to_be_visible()
            wait_for_app(page)
            option = _option(page, question, question.options[0], lang)
            _in_view(step, f"'question {number} of 19'")
            _in_view(page.get_by_text(tr(f"questionnaire.q.{question.id}.o.{question.options[-1]}"), exact=True),
                     f"the last option of question {number}")
            _in_view(next_button, f"the Next button at question {number}")
            assert page.evaluate(_SCROLLED) == 0
            if number == 3:
                _shot(page, lang, "2_question")
            page.get_by_text(tr(f"questionnaire.q.{question.id}.o.{question.options[0]}"), exact=True).click()
            expect(option).to_be_checked()
            wait_for_app(page, settle_ms=300)
            chosen.append((question, question.options[0]))
            next_button.click()
            wait_for_app(page, settle_ms=300)
        assert_no_exception(page, app_server.log_path)
        assert "p=" in page.url
        with database() as session:
            [(wilma, answers)] = ws.all_answers(session, workshop.id)
        assert (wilma.name, wilma.step) == ("Wilma Östberg", 3)
        assert answers == {question.id: option_id for question, option_id in chosen}

        # A reload: the same participant, on the fourth question, the third answer kept.
        link = page.url
        page.reload(wait_until="domcontentloaded")
        wait_for_app(page)
        expect(page.get_by_text(re.compile(re.escape(tr("questionnaire.page.step", n=4, total=19))))).to_be_visible()
        page.get_by_role("button", name=tr("questionnaire.page.back")).click()
        wait_for_app(page, settle_ms=300)
        question, option_id = chosen[-1]
        expect(_option(page, question, option_id, lang)).to_be_checked()
        expect(page.get_by_text(re.compile("Wilma Östberg"))).to_be_visible()
        _shot(page, lang, "3_resumed")
        assert_no_exception(page, app_server.log_path)

        # The facilitator opens a round: it appears above the question without a touch.
        with database.begin() as session:
            ws.open_round(session, workshop.id, RoundTarget("effect", 0), scenario_version=1)
        expect(page.get_by_text(tr("join.round.heading", number=1))).to_be_visible(timeout=15_000)
        wait_for_app(page)
        for part in ("low", "most_likely", "high"):
            _in_view(page.get_by_role("textbox", name=tr(f"workshop.round.{part}")), f"the field {part}")
        _in_view(page.get_by_role("button", name=tr("join.round.send")), "the send button")
        _shot(page, lang, "5_round")
        assert_no_exception(page, app_server.log_path)

        # The same address in another browser: refused, none of her answers, the join form.
        elsewhere = other.new_page()
        elsewhere.goto(link, wait_until="domcontentloaded")
        wait_for_app(elsewhere)
        expect(elsewhere.get_by_text(tr("join.link_elsewhere"))).to_be_visible()
        assert elsewhere.get_by_role("progressbar").count() == 0
        assert elsewhere.get_by_text("Wilma").count() == 0
        for question, option_id in chosen:
            assert _option(elsewhere, question, option_id, lang).count() == 0
        expect(elsewhere.get_by_role("textbox", name=tr("join.name"))).to_have_value("")
        _shot(elsewhere, lang, "4_refused")
        assert_no_exception(elsewhere, app_server.log_path)
    finally:
        phone.close()
        other.close()
