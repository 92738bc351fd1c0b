"""Välj instrument: the questionnaire, one question at a time or all at once, and the recommendation."""

import streamlit as st

from engine.errors import InputError
from engine.questionnaire.scoring import load_questionnaire, parse_answers, recommend
from ui import answer_draft, state
from ui.frame import page_frame
from ui.questionnaire_inputs import all_questions, answers, mode_toggle, one_at_a_time, progress
from ui.questionnaire_result import problem_text, result, saved_sets
from ui.text import escape_markdown

t = page_frame("nav.choose")
lang = state.language()
presenter = state.presenter_mode()
st.title(t("nav.choose"))
st.write(t("questionnaire.page.lead"))

questionnaire = load_questionnaire()
answer_draft.restore()
if presenter:
    questions_area, result_area = st.columns([2, 3], gap="large")
else:
    questions_area, result_area = st.container(), st.container()

with questions_area:
    mode = mode_toggle(t)
    progress(t, questionnaire)
    if mode == "one":
        one_at_a_time(t, questionnaire)
    else:
        all_questions(t, questionnaire)

answer_draft.keep(answers())
try:
    current = parse_answers({"answers": answers()}, lang)
except InputError as problems:
    with result_area:
        st.error(t("questionnaire.page.fix"))
        for problem in problems.problems:
            st.error(escape_markdown(problem_text(t, problem)))
    st.stop()

with result_area:
    result(t, recommend(current), lang, presenter)
st.divider()
saved_sets(t, current, lang)
