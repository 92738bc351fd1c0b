"""The questionnaire's inputs: one question at a time or all on one page, answers kept across both.

The answers live in one plain (non-widget) session-state key, ``questionnaire_answers``, because
Streamlit forgets a widget's value when the widget is not drawn (another mode, another page).
Each widget is set from that dict before it is drawn and copies its value back on change.
"""

from __future__ import annotations

import streamlit as st

from engine.questionnaire.legal import legal_params
from engine.questionnaire.scoring import Question, Questionnaire
from ui import state
from ui.components.number_field import field_problems, number_field
from ui.frame import Translator

ANSWERS = "questionnaire_answers"
MODE = "questionnaire_mode"
STEP = "questionnaire_step"
MODES = ("one", "all")


def answers() -> dict:
    """The current answers ``{question id: option id or number}``; unanswered questions are absent."""
    return st.session_state.setdefault(ANSWERS, {})


def replace_answers(new: dict) -> None:
    st.session_state[ANSWERS] = dict(new)


def _widget_key(question_id: str) -> str:
    return f"qa_{question_id}"


def _copy(question_id: str) -> None:
    value = st.session_state[_widget_key(question_id)]
    current = answers()
    if value is None:
        current.pop(question_id, None)
    else:
        current[question_id] = value


def _clear(question_id: str) -> None:
    answers().pop(question_id, None)


def mode_toggle(t: Translator) -> str:
    """The user's choice between one question at a time and all on one page (remembered)."""
    st.session_state.setdefault(MODE, "one")
    st.session_state["qa_mode_widget"] = st.session_state[MODE]
    labels = {mode: t(f"questionnaire.page.mode_{mode}") for mode in MODES}
    st.radio(t("questionnaire.page.mode"), MODES, format_func=labels.get, horizontal=True, key="qa_mode_widget",
             on_change=_copy_mode)
    return st.session_state[MODE]


def _copy_mode() -> None:
    st.session_state[MODE] = st.session_state["qa_mode_widget"]


def question_widget(t: Translator, question: Question, with_help: bool = True) -> None:
    """One question as a radio (choice) or a number field, empty when unanswered; with its help text
    under it unless ``with_help`` is false (one at a time puts the help under the buttons instead)."""
    key = _widget_key(question.id)
    label = t(f"questionnaire.q.{question.id}")
    if question.kind == "choice":
        st.session_state[key] = answers().get(question.id)
        labels = {o: t(f"questionnaire.q.{question.id}.o.{o}") for o in question.options}
        st.radio(label, question.options, index=None, format_func=labels.get, key=key,
                 on_change=_copy, args=(question.id,))
    else:
        _number_question(t, question, label, key)
    if with_help:
        st.caption(_help(t, question))


def _help(t: Translator, question: Question) -> str:
    """The question's help text; it may quote the direct-award limits and their periods."""
    return t(f"questionnaire.q.{question.id}.help", **legal_params(state.language()))


def _number_question(t: Translator, question: Question, label: str, key: str) -> None:
    """A question answered with a number, typed the Swedish or English way (number_field). The
    field's text is kept while it is being corrected; it is set from the answers only when the
    answers changed elsewhere (another mode, a loaded answer set, a reload)."""
    answer = answers().get(question.id)
    synced = f"{key}_synced"  # the answer as this field last left it
    if key in st.session_state and st.session_state.get(synced) != answer:
        del st.session_state[key]  # changed elsewhere: the field starts again from the answer
    unit = t(f"questionnaire.q.{question.id}.unit")
    value = number_field(f"{label} ({unit})", answer, key=key, low=question.minimum, high=question.maximum,
                         required=False, placeholder=t("questionnaire.page.unanswered"),
                         on_read=lambda new: _store(question.id, new))
    if key not in field_problems():  # else the message stands at the field and the answer stays
        _store(question.id, value)
    st.session_state[synced] = answers().get(question.id)


def _store(question_id: str, value: float | None) -> None:
    if value is None:
        answers().pop(question_id, None)
    else:
        answers()[question_id] = value


def _step(total: int) -> int:
    """The index of the question shown one at a time, kept within the questionnaire."""
    return min(max(int(st.session_state.setdefault(STEP, 0)), 0), total - 1)


def progress(t: Translator, questionnaire: Questionnaire) -> None:
    """How many questions are answered, as a bar; one at a time also says which question is shown.

    On a phone every line above the question pushes its options and buttons further down, so one
    at a time gets a single line: the question's number in bold, then the count, each in its own
    element (the browser tests find them by their exact text).
    """
    done = sum(1 for q in questionnaire.questions if q.id in answers())
    total = len(questionnaire.questions)
    answered = t("questionnaire.page.progress", answered=done, total=total)
    if st.session_state.get(MODE, "one") == "one":
        step = t("questionnaire.page.step", n=_step(total) + 1, total=total)
        st.progress(done / total, text=f"**{step}** · :gray[{answered}]")
    else:
        st.progress(done / total, text=answered)


def one_at_a_time(t: Translator, questionnaire: Questionnaire) -> None:
    """The current question, then back, forward and clear, then its help text; the step is remembered
    like the answers, and :func:`progress` shows which question it is.

    The buttons come straight after the options and sit in one row that wraps (columns would stack
    them on a phone), so that on a 390 x 844 screen the options and "Nästa" are in view without
    scrolling past the help text.
    """
    total = len(questionnaire.questions)
    step = _step(total)
    question = questionnaire.questions[step]
    question_widget(t, question, with_help=False)
    with st.container(horizontal=True, gap="small"):
        st.button(t("questionnaire.page.back"), key="qa_back", icon=":material/arrow_back:", disabled=step == 0,
                  on_click=_move, args=(-1, total))
        st.button(t("questionnaire.page.next"), key="qa_next", icon=":material/arrow_forward:",
                  icon_position="right", disabled=step == total - 1, on_click=_move, args=(1, total),
                  type="primary")
        st.button(t("questionnaire.page.clear"), key="qa_clear", icon=":material/backspace:", type="tertiary",
                  disabled=question.id not in answers(), on_click=_clear, args=(question.id,))
    st.caption(_help(t, question))


def _move(delta: int, total: int) -> None:
    st.session_state[STEP] = min(max(st.session_state.get(STEP, 0) + delta, 0), total - 1)


def all_questions(t: Translator, questionnaire: Questionnaire) -> None:
    for number, question in enumerate(questionnaire.questions, start=1):
        with st.container(border=True):
            st.markdown(f"**{t('questionnaire.page.step', n=number, total=len(questionnaire.questions))}**")
            question_widget(t, question)
