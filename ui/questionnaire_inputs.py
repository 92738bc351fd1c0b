"""The questionnaire's inputs: one question at a time or all on one page, answers kept across both.

The answers live in one plain (non-widget) session-state key, ``questionnaire_answers``, because
Streamlit forgets a widget's value when the widget is not drawn (another mode, another page).
Each widget is set from that dict before it is drawn and copies its value back on change.
"""

from __future__ import annotations

import streamlit as st

from engine.questionnaire.scoring import Question, Questionnaire
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


def question_widget(t: Translator, question: Question) -> None:
    """One question as a radio (choice) or a number field, with its help text; empty when unanswered."""
    key = _widget_key(question.id)
    st.session_state[key] = answers().get(question.id)
    label = t(f"questionnaire.q.{question.id}")
    help_text = t(f"questionnaire.q.{question.id}.help")
    if question.kind == "choice":
        labels = {o: t(f"questionnaire.q.{question.id}.o.{o}") for o in question.options}
        st.radio(label, question.options, index=None, format_func=labels.get, key=key,
                 on_change=_copy, args=(question.id,))
    else:
        unit = t(f"questionnaire.q.{question.id}.unit")
        st.number_input(f"{label} ({unit})", min_value=question.minimum, max_value=question.maximum,
                        step=question.step, value=None, key=key, on_change=_copy,
                        args=(question.id,), placeholder=t("questionnaire.page.unanswered"))
    st.caption(help_text)


def progress(t: Translator, questionnaire: Questionnaire) -> None:
    done = sum(1 for q in questionnaire.questions if q.id in answers())
    total = len(questionnaire.questions)
    st.progress(done / total, text=t("questionnaire.page.progress", answered=done, total=total))


def one_at_a_time(t: Translator, questionnaire: Questionnaire) -> None:
    """The current question with back, forward and clear; the step is remembered like the answers."""
    total = len(questionnaire.questions)
    step = min(max(int(st.session_state.setdefault(STEP, 0)), 0), total - 1)
    question = questionnaire.questions[step]
    st.markdown(f"**{t('questionnaire.page.step', n=step + 1, total=total)}**")
    question_widget(t, question)
    back, clear, forward = st.columns(3)
    back.button(t("questionnaire.page.back"), key="qa_back", icon=":material/arrow_back:", disabled=step == 0,
                on_click=_move, args=(-1, total))
    clear.button(t("questionnaire.page.clear"), key="qa_clear", icon=":material/backspace:",
                 disabled=question.id not in answers(), on_click=_clear, args=(question.id,))
    forward.button(t("questionnaire.page.next"), key="qa_next", icon=":material/arrow_forward:",
                   disabled=step == total - 1, on_click=_move, args=(1, total), type="primary")


def _move(delta: int, total: int) -> None:
    st.session_state[STEP] = min(max(st.session_state.get(STEP, 0) + delta, 0), total - 1)


def all_questions(t: Translator, questionnaire: Questionnaire) -> None:
    for number, question in enumerate(questionnaire.questions, start=1):
        with st.container(border=True):
            st.markdown(f"**{t('questionnaire.page.step', n=number, total=len(questionnaire.questions))}**")
            question_widget(t, question)
