"""On a phone (390 x 844 CSS px), in both languages: the questionnaire's first screen shows the question's
options, "Nästa" and the progress without scrolling, and no chart title of the calculation is cut.

Measured in the real browser with the page never scrolled, so what is checked is what a phone shows when
the page opens.
"""

import pytest
from playwright.sync_api import expect

from engine.i18n import translate
from engine.questionnaire.scoring import load_questionnaire
from tests.browser.helpers import assert_no_exception, goto, wait_for_app

PHONE = {"width": 390, "height": 844}

# Streamlit scrolls inside stMain, not the document: its scrollTop says whether anything scrolled.
_SCROLLED = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"

# Every title and subtitle of a chart on screen that reaches past the right (or left) edge of its SVG.
_CUT_TITLES = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(plot => plot.getBoundingClientRect().width > 0)
  .map(plot => {
    const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
    const titles = [...plot.querySelectorAll('[class*="gtitle"]')];
    return {count: titles.length,
            cut: titles.filter(t => { const r = t.getBoundingClientRect();
                                      return r.right > svg.right + 1 || r.left < svg.left - 1; })
                       .map(t => t.textContent)};
  })"""


def _open_on_phone(page, app_server, path, lang):
    page.set_viewport_size(PHONE)
    goto(page, app_server, path, lang=lang)
    assert_no_exception(page, app_server.log_path)


def _in_view(page, locator, what):
    box = locator.bounding_box()
    assert box is not None, f"{what} is not shown"
    where = f"top {box['y']:.0f}, bottom {box['y'] + box['height']:.0f} px"
    assert box["y"] >= 0, f"{what} is above the first screen: {where}"
    assert box["y"] + box["height"] <= PHONE["height"], f"{what} is below the first screen: {where}"


def _first_input(page, question, lang):
    """The first option of a choice question, or the number field of a number question."""
    if question.kind == "choice":
        label = translate(f"questionnaire.q.{question.id}.o.{question.options[0]}", lang)
        radios = page.locator('[data-testid="stRadio"]').filter(
            has_text=translate(f"questionnaire.q.{question.id}", lang))
        return radios.get_by_text(label, exact=True)
    return page.get_by_role("textbox").first


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_question_shows_its_options_next_and_the_progress_on_the_first_screen(page, app_server, lang):
    _open_on_phone(page, app_server, "valj_instrument", lang)
    questions = load_questionnaire().questions
    total = len(questions)
    next_button = page.get_by_role("button", name=translate("questionnaire.page.next", lang))
    bar = page.get_by_role("progressbar")

    # The first question answered: the count and the bar move on, and Nästa leads to question 2.
    _in_view(page, _first_input(page, questions[0], lang), "the first option")
    _first_input(page, questions[0], lang).click()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_text(translate("questionnaire.page.progress", lang, answered=1, total=total),
                            exact=True)).to_be_visible()
    assert float(bar.get_attribute("aria-valuenow")) > 0

    for number, question in enumerate(questions, start=1):
        step = page.get_by_text(translate("questionnaire.page.step", lang, n=number, total=total), exact=True)
        expect(step).to_be_visible()
        _in_view(page, step, f"'Question {number} of {total}'")
        _in_view(page, bar, f"the progress bar at question {number}")
        _in_view(page, _first_input(page, question, lang), f"the first answer of question {number} ({question.id})")
        _in_view(page, next_button, f"the Next button at question {number} ({question.id})")
        assert page.evaluate(_SCROLLED) == 0
        if number < total:
            next_button.click()
            wait_for_app(page, settle_ms=300)
    assert_no_exception(page, app_server.log_path)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_chart_title_of_the_calculation_is_cut_on_a_phone(page, app_server, lang):
    _open_on_phone(page, app_server, "kalkyl", lang)
    tabs = page.get_by_role("tab")
    assert tabs.count() >= 4  # over time, per year, who pays, uncertainty, ...
    for index in range(tabs.count()):
        name = tabs.nth(index).inner_text()
        tabs.nth(index).click()
        wait_for_app(page, settle_ms=300)
        # plotly lays out its titles after the script has finished
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')].some("
            "p => p.getBoundingClientRect().width > 0 && p.querySelector('[class*=\"gtitle\"]'))")
        charts = page.evaluate(_CUT_TITLES)
        assert charts, f"tab {name!r} shows no chart"
        assert all(chart["count"] for chart in charts), f"tab {name!r} shows a chart without a title"
        assert [title for chart in charts for title in chart["cut"]] == [], f"cut in tab {name!r}"
    assert_no_exception(page, app_server.log_path)
