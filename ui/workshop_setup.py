"""Creating a workshop: title, organisation, date, and the scenario and answer set it starts from.

An example scenario is copied into a saved scenario named after the workshop, so that estimate
rounds can add versions to it without touching the example. The facilitator link is then opened
(its secret in the URL) and shown with a warning to keep it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from engine.examples import example_ids, load_example
from engine.questionnaire.scoring import AnswersError
from engine.storage import (
    DocumentNotFound,
    VersionConflict,
    get_document,
    list_answer_sets,
    list_scenarios,
    load_answers,
    save_scenario,
)
from engine.storage import workshops as store
from engine.storage.workshops import MAX_TITLE, Workshop, WorkshopSetup, create_workshop
from ui import state
from ui.auth import current_owner
from ui.db import reading, transaction
from ui.frame import Translator

NO_CHOICE = ""


def create_form(t: Translator) -> None:
    """The form; on success the page reruns as the new workshop's facilitator screen."""
    with reading() as session:
        scenarios = list_scenarios(session)
        answer_sets = list_answer_sets(session)
    scenario_names = {NO_CHOICE: t("workshop.create.no_scenario")} | scenario_choices(t, scenarios)
    set_names = {NO_CHOICE: t("workshop.create.no_answers")}
    set_names |= {str(a.id): a.name for a in answer_sets}

    with st.form("workshop_create"):
        title = st.text_input(t("workshop.create.name"), max_chars=MAX_TITLE, placeholder=t("workshop.create.name_hint"))
        # Under sign-in the facilitator's own organisation is the likely organiser.
        organisation = st.text_input(t("workshop.create.organisation"), current_owner().organisation or "",
                                     max_chars=MAX_TITLE)
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
    st.session_state[_JUST_CREATED] = True
    state.write_url()
    st.rerun()


#: Set when a workshop was just created, so that its screen opens at the top.
_JUST_CREATED = "workshop_just_created"
#: Scrolls the page's main area to the top (the element holding the script is not shown).
_TO_TOP = ('<style>.stElementContainer:has(> .stHtml > [data-uk-to-top]) {display: none;}</style>'
           '<script data-uk-to-top>document.querySelector(\'[data-testid="stMain"]\')?.scrollTo(0, 0);</script>')


def open_at_top() -> None:
    """On the first run of a workshop's screen after it was created: start at the top. Streamlit
    keeps the scroll position of the create form, which left the title and the views off a
    projector's screen."""
    if st.session_state.pop(_JUST_CREATED, False):
        st.html(_TO_TOP, unsafe_allow_javascript=True)


def _create(t: Translator, title: str, organisation: str, day: date, scenario_choice: str, answers_choice: str) -> str:
    """Create the workshop (and the scenario copy of an example) in one transaction; its secret."""
    with transaction() as session:
        scenario_id = chosen_scenario(session, t, scenario_choice, title)
        agreed: dict = {}
        answer_set_id = int(answers_choice) if answers_choice else None
        if answer_set_id is not None:
            agreed = dict(load_answers(session, answer_set_id))
        setup = WorkshopSetup(title=title, date=day.isoformat() if isinstance(day, date) else date.today().isoformat(),
                              organisation=organisation, scenario_id=scenario_id, answer_set_id=answer_set_id,
                              agreed=agreed)
        return create_workshop(session, setup).facilitator_secret


def scenario_choices(t: Translator, scenarios: list) -> dict[str, str]:
    """The scenarios a workshop can use: every example and every saved scenario, by their text form."""
    choices = {f"example:{e}": t("calc.source_example", title=t(f"examples.{e}.title")) for e in example_ids()}
    return choices | {f"saved:{s.id}": t("calc.source_saved", name=s.name, version=s.latest_version) for s in scenarios}


def chosen_scenario(session, t: Translator, choice: str, title: str) -> int | None:
    """The saved scenario ``choice`` names (an example is first copied into one named after the
    workshop); None for no choice; DocumentNotFound for a scenario that is gone or trashed."""
    if choice.startswith("example:"):
        example = load_example(choice.removeprefix("example:"))
        copy = example.model_copy(update={"name": t("workshop.create.scenario_copy", title=title.strip(),
                                                    example=example.name)[:200]})
        return save_scenario(session, copy, event="duplicated").document_id
    if choice.startswith("saved:"):
        scenario_id = int(choice.removeprefix("saved:"))
        summary = get_document(session, scenario_id)
        if summary.kind != "scenario" or summary.trashed_at is not None:
            raise DocumentNotFound(choice)
        return scenario_id
    return None


def attach_scenario(t: Translator, workshop: Workshop) -> None:
    """For a workshop without a scenario: choose one, saved as the workshop's next version."""
    with reading() as session:
        scenarios = list_scenarios(session)
    names = scenario_choices(t, scenarios)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        choice = st.selectbox(t("workshop.create.scenario"), list(names), format_func=names.get,
                              key="workshop_attach_scenario", width=520)
        if not st.button(t("workshop.rounds.use_scenario"), icon=":material/link:", key="workshop_attach"):
            return
    try:
        with transaction() as session:
            scenario_id = chosen_scenario(session, t, choice, workshop.setup.title)
            store.save_setup(session, workshop.id, replace(workshop.setup, scenario_id=scenario_id),
                             based_on=workshop.version)
    except DocumentNotFound:
        st.error(t("workshop.create.start_gone"), icon=":material/link_off:")
        return
    except VersionConflict:
        st.error(t("workshop.rounds.attach_conflict"), icon=":material/sync_problem:")
        return
    st.rerun()
