"""Creating a workshop: title, organisation, date, and the scenario and answer set it starts from.

An example scenario is copied into a saved scenario named after the workshop, so that estimate
rounds can add versions to it without touching the example. The facilitator link is then opened
(its secret in the URL) and shown with a warning to keep it.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from engine.examples import example_ids, load_example
from engine.questionnaire.scoring import AnswersError
from engine.storage import (
    DocumentNotFound,
    get_document,
    list_answer_sets,
    list_scenarios,
    load_answers,
    save_scenario,
)
from engine.storage.workshops import MAX_TITLE, WorkshopSetup, create_workshop
from ui import state
from ui.db import reading, transaction
from ui.frame import Translator

NO_CHOICE = ""


def create_form(t: Translator) -> None:
    """The form; on success the page reruns as the new workshop's facilitator screen."""
    with reading() as session:
        scenarios = list_scenarios(session)
        answer_sets = list_answer_sets(session)
    scenario_names = {NO_CHOICE: t("workshop.create.no_scenario")}
    scenario_names |= {f"example:{e}": t("calc.source_example", title=t(f"examples.{e}.title")) for e in example_ids()}
    scenario_names |= {f"saved:{s.id}": t("calc.source_saved", name=s.name, version=s.latest_version) for s in scenarios}
    set_names = {NO_CHOICE: t("workshop.create.no_answers")}
    set_names |= {str(a.id): a.name for a in answer_sets}

    with st.form("workshop_create"):
        title = st.text_input(t("workshop.create.name"), max_chars=MAX_TITLE, placeholder=t("workshop.create.name_hint"))
        organisation = st.text_input(t("workshop.create.organisation"), max_chars=MAX_TITLE)
        day = st.date_input(t("workshop.create.date"), value=date.today(), format="YYYY-MM-DD")
        scenario_choice = st.selectbox(t("workshop.create.scenario"), list(scenario_names),
                                       format_func=scenario_names.get, help=t("workshop.create.scenario_help"))
        answers_choice = st.selectbox(t("workshop.create.answers"), list(set_names), format_func=set_names.get,
                                      help=t("workshop.create.answers_help"))
        submitted = st.form_submit_button(t("workshop.create.submit"), type="primary", icon=":material/add:")
    if not submitted:
        return
    if not title.strip():
        st.error(t("workshop.create.name_missing"), icon=":material/error:")
        return
    try:
        secret = _create(t, title, organisation, day, scenario_choice, answers_choice)
    except (DocumentNotFound, AnswersError):
        st.error(t("workshop.create.start_gone"), icon=":material/link_off:")
        return
    st.query_params["f"] = secret
    # The facilitator's screen is for the big screen: it opens in presenter mode (switchable as always).
    st.session_state[state.PRESENTER] = True
    state.write_url()
    st.rerun()


def _create(t: Translator, title: str, organisation: str, day: date, scenario_choice: str, answers_choice: str) -> str:
    """Create the workshop (and the scenario copy of an example) in one transaction; its secret."""
    with transaction() as session:
        scenario_id: int | None = None
        if scenario_choice.startswith("example:"):
            example = load_example(scenario_choice.removeprefix("example:"))
            copy = example.model_copy(update={"name": t("workshop.create.scenario_copy", title=title.strip(),
                                                        example=example.name)[:200]})
            scenario_id = save_scenario(session, copy, event="duplicated").document_id
        elif scenario_choice.startswith("saved:"):
            scenario_id = int(scenario_choice.removeprefix("saved:"))
            summary = get_document(session, scenario_id)
            if summary.kind != "scenario" or summary.trashed_at is not None:
                raise DocumentNotFound(scenario_choice)
        agreed: dict = {}
        answer_set_id = int(answers_choice) if answers_choice else None
        if answer_set_id is not None:
            agreed = dict(load_answers(session, answer_set_id))
        setup = WorkshopSetup(title=title, date=day.isoformat() if isinstance(day, date) else date.today().isoformat(),
                              organisation=organisation, scenario_id=scenario_id, answer_set_id=answer_set_id,
                              agreed=agreed)
        return create_workshop(session, setup).facilitator_secret
