"""Scenarier: create, upload, edit, save, history, restore, trash and download scenarios."""

import streamlit as st

from engine.errors import InputError
from engine.scenario import blank_scenario, parse_scenario, scenario_to_json
from engine.storage import (
    DocumentNotFound,
    duplicate_scenario,
    get_version,
    list_scenarios,
    list_versions,
    load_scenario,
    rename_scenario,
    restore_document,
    restore_version,
    save_scenario,
    trash_document,
)
from ui import state
from ui.components.document_history import HistoryTexts, document_history, rename_input, trash_button
from ui.components.number_field import field_problems, number_field
from ui.components.percent_input import percent_input
from ui.components.problem_list import ProblemSlots, problem_list
from ui.db import transaction
from ui.frame import page_frame
from ui.scenario_views import download_file_name, format_time, read_upload
from ui.text import escape_markdown

#: How this page words a scenario's history (ui.components.document_history).
HISTORY_TEXTS = HistoryTexts(
    pick="scenarios.pick_version", version="scenarios.version_label", contents="scenarios.version_contents",
    restore="scenarios.restore", restore_help="scenarios.restore_help", rename_label="scenarios.rename_label",
    rename="scenarios.rename", trash_confirm="scenarios.trash_confirm", trash="scenarios.trash")

t = page_frame("nav.scenarios")
lang = state.language()
st.title(t("scenarios.title"))
st.write(t("scenarios.lead"))

# --- new or uploaded --------------------------------------------------------------------------
new_column, upload_column = st.columns(2)
with new_column, st.container(border=True):
    st.markdown(f"**{t('scenarios.new_heading')}**")
    new_name = st.text_input(t("scenarios.new_name"), value=t("scenarios.new_default_name"),
                             max_chars=200, key="new_name")
    if st.button(t("scenarios.new_button"), key="new_button", icon=":material/add:"):
        try:
            scenario = blank_scenario(new_name)
        except InputError as exc:
            problem_list(t, exc)
        else:
            with transaction() as session:
                created = save_scenario(session, scenario)
            state.set_open_scenario(created.document_id)
            st.toast(t("scenarios.created", name=escape_markdown(scenario.name)))

with upload_column, st.container(border=True):
    st.markdown(f"**{t('scenarios.upload_heading')}**")
    uploaded = st.file_uploader(t("scenarios.upload_label"), type=["json"], help=t("scenarios.upload_help"),
                                key=f"upload_{st.session_state.get('upload_round', 0)}")
    if uploaded is not None and st.button(t("scenarios.upload_button"), key="upload_button",
                                          icon=":material/upload:"):
        try:
            scenario = parse_scenario(read_upload(uploaded, lang), lang)
        except InputError as exc:
            problem_list(t, exc, heading=t("scenarios.upload_refused", file=escape_markdown(uploaded.name)))
        else:
            with transaction() as session:
                created = save_scenario(session, scenario, event="imported")
            state.set_open_scenario(created.document_id)
            # A new uploader key empties the widget, so the same file is not imported twice by accident.
            st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
            st.toast(t("scenarios.imported", name=escape_markdown(scenario.name)))
            st.rerun()

# --- the saved scenarios -----------------------------------------------------------------------
with transaction() as session:
    saved = list_scenarios(session)
    trashed = list_scenarios(session, trashed=True)

st.subheader(t("scenarios.saved_heading"))
if not saved:
    st.info(t("scenarios.none_saved"))
else:
    ids = [summary.id for summary in saved]
    labels = {s.id: t("scenarios.option", name=s.name, version=s.latest_version, time=format_time(s.updated_at, lang))
              for s in saved}
    # The plain key is the truth (actions below may open another scenario); the widget mirrors it.
    chosen = state.open_scenario_id() if state.open_scenario_id() in ids else ids[0]
    state.set_open_scenario(chosen)
    st.session_state["choose_scenario"] = chosen
    st.selectbox(t("scenarios.choose"), ids, format_func=labels.__getitem__, key="choose_scenario",
                 on_change=state.copy_widget_value, args=("choose_scenario", state.OPEN_SCENARIO))

    try:
        with transaction() as session:
            latest = get_version(session, chosen)
            history = list_versions(session, chosen)
            scenario = load_scenario(session, chosen, lang=lang)
    except DocumentNotFound:
        st.warning(t("scenarios.gone"))
        state.set_open_scenario(None)
        st.stop()
    except InputError as exc:
        # A stored version that no longer validates (e.g. a rule was tightened): say so, keep the data.
        problem_list(t, exc, heading=t("scenarios.stored_invalid"))
        st.stop()

    edit_tab, history_tab, manage_tab = st.tabs(
        [t("scenarios.tab_edit"), t("scenarios.tab_history"), t("scenarios.tab_manage")])

    with edit_tab:
        suffix = f"{chosen}_{latest.info.number}"
        with st.form(f"basics_{suffix}"):
            slots = ProblemSlots()
            name = st.text_input(t("field.name"), scenario.name, max_chars=200, key=f"name_{suffix}",
                                 help=t("field.name_help"))
            slots.add("name")
            description = st.text_area(t("field.description"), scenario.description, max_chars=5000,
                                       key=f"description_{suffix}", help=t("field.description_help"))
            slots.add("description")
            left, right = st.columns(2)
            with left:
                horizon = number_field(t("field.horizon_years"), scenario.horizon_years, low=1, high=60, whole=True,
                                       key=f"horizon_{suffix}", help=t("field.horizon_years_help"), in_form=True)
                slots.add("horizon_years")
                rate = percent_input(t("field.discount_rate"), scenario.discount_rate, high=25.0, decimals=2,
                                     key=f"rate_{suffix}", help=t("field.discount_rate_help"), in_form=True)
                slots.add("discount_rate")
            with right:
                contract = number_field(t("field.contract_years"), scenario.contract_years, low=1, high=60,
                                        whole=True, key=f"contract_{suffix}", help=t("field.contract_years_help"),
                                        in_form=True)
                slots.add("contract_years")
                price_year = number_field(t("field.price_year"), scenario.price_year, low=1990, high=2100,
                                          whole=True, group=False, key=f"price_year_{suffix}",
                                          help=t("field.price_year_help"), in_form=True)
                slots.add("price_year")
            submitted = st.form_submit_button(t("scenarios.save"), type="primary", icon=":material/save:")
        if submitted and not field_problems():
            edits = {"name": name, "description": description, "horizon_years": int(horizon or 1),
                     "contract_years": int(contract or 1), "discount_rate": rate,
                     "price_year": int(price_year or scenario.price_year)}
            try:
                edited = parse_scenario(latest.payload | edits, lang)
            except InputError as exc:
                slots.show(t, exc)
            else:
                with transaction() as session:
                    saved_version = save_scenario(session, edited, chosen)
                st.toast(t("scenarios.saved", version=saved_version.number))
                st.rerun()
        st.download_button(t("scenarios.download"), scenario_to_json(scenario),
                           file_name=download_file_name(scenario.name), mime="application/json",
                           key="download_latest", icon=":material/download:")

    with history_tab:
        def show_contents(version: int) -> None:
            with transaction() as session:
                st.json(get_version(session, chosen, version).payload, expanded=False)

        choice = document_history(t, history, HISTORY_TEXTS, key="scenario", lang=lang, contents=show_contents)
        picked = choice.picked
        if choice.action is not None and choice.action.kind == "restore":
            with transaction() as session:
                restored = restore_version(session, chosen, picked)
            st.toast(t("scenarios.restored", version=picked, new=restored.number))
            st.rerun()
        with transaction() as session:
            old = get_version(session, chosen, picked)
        st.download_button(t("scenarios.download_version", version=picked), scenario_to_json(
            parse_scenario(old.payload, lang)), file_name=download_file_name(old.info.name, picked),
            mime="application/json", key="download_version")

    with manage_tab:
        if st.button(t("scenarios.duplicate"), key="duplicate_button", icon=":material/content_copy:"):
            with transaction() as session:
                copy = duplicate_scenario(session, chosen, t("scenarios.copy_name", name=scenario.name)[:200], lang)
            state.set_open_scenario(copy.document_id)
            st.rerun()
        renaming = rename_input(t, HISTORY_TEXTS, key="scenario", document_id=chosen, name=scenario.name,
                                newest=latest.info.number)
        rename_slots = ProblemSlots()
        rename_slots.add("name")
        if renaming is not None:
            try:
                with transaction() as session:
                    rename_scenario(session, chosen, renaming.name or "", lang)
            except InputError as exc:
                rename_slots.show(t, exc)
            else:
                st.rerun()
        st.divider()
        if trash_button(t, HISTORY_TEXTS, key="scenario", document_id=chosen, name=scenario.name) is not None:
            with transaction() as session:
                trash_document(session, chosen)
            state.set_open_scenario(None)
            st.toast(t("scenarios.trashed", name=escape_markdown(scenario.name)))
            st.rerun()

# --- the trash -----------------------------------------------------------------------------------
with st.expander(t("scenarios.trash_heading", count=len(trashed))):
    if not trashed:
        st.write(t("scenarios.trash_empty"))
    for summary in trashed:
        row_text, row_button = st.columns([3, 1])
        row_text.text(t("scenarios.option", name=summary.name, version=summary.latest_version,
                        time=format_time(summary.updated_at, lang)))
        if row_button.button(t("scenarios.untrash"), key=f"untrash_{summary.id}"):
            with transaction() as session:
                restore_document(session, summary.id)
            state.set_open_scenario(summary.id)
            st.rerun()
