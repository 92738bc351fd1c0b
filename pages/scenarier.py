"""Scenarier: create, upload, edit, save, history, restore, trash and download scenarios."""

import json

import streamlit as st

from engine.errors import InputError
from engine.scenario import (
    MAX_NAME_LENGTH,
    Scenario,
    blank_scenario,
    field_label,
    parse_scenario,
    scenario_to_dict,
    scenario_to_json,
)
from engine.storage import (
    DocumentNotFound,
    VersionConflict,
    duplicate_scenario,
    get_version,
    list_scenarios,
    list_versions,
    rename_scenario,
    restore_document,
    restore_version,
    save_scenario,
    trash_document,
)
from ui import state
from ui.bank_views import origin_caption, publish_missing, publish_section
from ui.components import save_conflict
from ui.components.document_history import HistoryTexts, document_history, rename_input, trash_button
from ui.components.number_field import field_problems, number_field
from ui.components.percent_input import percent_input
from ui.components.problem_list import ProblemSlots, problem_list
from ui.db import reading, transaction
from ui.frame import page_frame
from ui.scenario_views import download_file_name, format_time, read_upload
from ui.text import escape_markdown, toast_name
from ui.trash_views import empty_trash_section, just_emptied

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
            st.toast(t("scenarios.created", name=toast_name(scenario.name)))

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
            st.toast(t("scenarios.imported", name=toast_name(scenario.name)))
            st.rerun()

# --- the saved scenarios -----------------------------------------------------------------------
#: Where a refused save of the edit form waits for the user's choice (ui/components/save_conflict.py).
EDIT_CONFLICT = "scenarier_edit"


def stored_json(payload: dict) -> str:
    """A stored version exactly as stored (also one that no longer validates), as a JSON file."""
    return json.dumps(payload, ensure_ascii=False, indent=2)


def save_edited(edited: Scenario, based_on: int, changes: dict) -> None:
    """Save the form as the next version of the open scenario, if ``based_on`` is still the newest.
    Otherwise keep a conflict for the user to decide, whose "mine" is the newest version with the
    fields this user changed (``changes``): the form holds only the basics, so what someone else
    changed elsewhere is never reverted by keeping mine. Reruns either way."""
    chosen = state.open_scenario_id()
    assert chosen is not None
    try:
        with transaction() as session:
            saved_version = save_scenario(session, edited, chosen, based_on=based_on)
    except VersionConflict as refused:
        with transaction() as session:
            newest = get_version(session, chosen, refused.latest.number).payload
        save_conflict.remember(EDIT_CONFLICT, save_conflict.Conflict.of(chosen, newest | changes, refused))
        st.rerun()
    st.session_state[f"scenarios_form_base_{chosen}"] = saved_version.number
    st.toast(t("scenarios.saved", version=saved_version.number))
    st.rerun()


def resolve_edit_conflict(choice: save_conflict.Choice, conflict: save_conflict.Conflict) -> None:
    """Carry out the user's choice after a refused save of the edit form, and rerun."""
    chosen = conflict.document_id
    if choice == "keep":
        try:
            mine = parse_scenario(conflict.mine, lang)
        except InputError as exc:
            # Their other changes and mine do not fit together (a shorter horizon than their contract):
            # nothing is saved; the problems are named and the choice stays open.
            save_conflict.remember(EDIT_CONFLICT, conflict)
            problem_list(t, exc, heading=t("scenarios.keep_invalid"))
            return
        save_edited(mine, conflict.latest_number, {})
    if choice == "take":
        st.session_state[f"scenarios_form_base_{chosen}"] = conflict.latest_number
        st.toast(t("conflict.taken", number=conflict.latest_number))
        st.rerun()
    name = t("conflict.copy_name", name=conflict.mine.get("name", ""))[:MAX_NAME_LENGTH]
    with transaction() as session:
        created = save_scenario(session, parse_scenario(conflict.mine | {"name": name}, lang))
    state.set_open_scenario(created.document_id)
    st.toast(t("conflict.copied", name=toast_name(name)))
    st.rerun()


def trash_scenario(chosen: int, name: str) -> None:
    """The trash button of the open scenario (with its confirmation)."""
    if trash_button(t, HISTORY_TEXTS, key="scenario", document_id=chosen, name=name) is not None:
        with transaction() as session:
            trash_document(session, chosen)
        state.set_open_scenario(None)
        st.toast(t("scenarios.trashed", name=toast_name(name)))
        st.rerun()


def version_history(history: list) -> None:
    """The open scenario's versions: contents, restore (only of a version that passes today's
    checks, and only if no one saved since the history was drawn) and download as stored."""
    chosen = history[0].document_id

    def show_contents(version: int) -> None:
        with reading() as session:
            st.json(get_version(session, chosen, version).payload, expanded=False)

    choice = document_history(t, history, HISTORY_TEXTS, key="scenario", lang=lang, contents=show_contents)
    picked = choice.picked
    with reading() as session:
        old = get_version(session, chosen, picked)
    try:
        valid = scenario_to_json(parse_scenario(old.payload, lang))
    except InputError as exc:
        valid = None
        problem_list(t, exc, heading=t("scenarios.version_invalid", version=picked))
    if choice.action is not None and choice.action.kind == "restore":
        if valid is None:
            st.error(t("scenarios.restore_invalid", version=picked))
        else:
            try:
                with transaction() as session:
                    restored = restore_version(session, chosen, picked, based_on=history[0].number)
            except VersionConflict as refused:
                st.warning(t("scenarios.restore_conflict", number=refused.latest.number))
            else:
                st.session_state[f"scenarios_form_base_{chosen}"] = restored.number
                st.toast(t("scenarios.restored", version=picked, new=restored.number))
                st.rerun()
    st.download_button(t("scenarios.download_version", version=picked) if valid is not None
                       else t("scenarios.download_version_as_stored", version=picked),
                       valid if valid is not None else stored_json(old.payload),
                       file_name=download_file_name(old.info.name, picked), mime="application/json",
                       key="download_version")



with reading() as session:
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
    origin_caption(t, next(s.origin for s in saved if s.id == chosen))

    # The form edits the version it was first drawn from, until the user saves or takes a newer
    # one: when someone else saves meanwhile, what this user typed stays in the form.
    form_base_key = f"scenarios_form_base_{chosen}"
    try:
        with reading() as session:
            latest = get_version(session, chosen)
            history = list_versions(session, chosen)
            form_base = get_version(session, chosen, st.session_state.get(form_base_key, latest.info.number))
    except DocumentNotFound:
        st.warning(t("scenarios.gone"))
        state.set_open_scenario(None)
        st.stop()
    st.session_state[form_base_key] = form_base.info.number
    invalid: InputError | None = None
    try:
        scenario = parse_scenario(form_base.payload, lang)
    except InputError as exc:
        # A stored version that no longer validates (a rule was tightened): say so, keep the data as
        # it is, and still offer its history, a download as stored and the restore of a valid version.
        invalid = exc

    edit_tab, history_tab, manage_tab = st.tabs(
        [t("scenarios.tab_edit"), t("scenarios.tab_history"), t("scenarios.tab_manage")])

    with edit_tab:
        conflict = save_conflict.pending(EDIT_CONFLICT, chosen)
        if conflict is not None:
            choice = save_conflict.conflict_choice(t, EDIT_CONFLICT, conflict, form_base.payload, latest.payload,
                                                   lambda path: field_label(path, lang))
            if choice is not None:
                save_conflict.forget(EDIT_CONFLICT)
                resolve_edit_conflict(choice, conflict)
        elif form_base.info.number != latest.info.number:
            newer, show = st.columns([3, 1], vertical_alignment="center")
            newer.info(t("scenarios.newer_version", number=latest.info.number, base=form_base.info.number),
                       icon=":material/group:")
            if show.button(t("scenarios.show_newest", number=latest.info.number), key="show_newest"):
                st.session_state[form_base_key] = latest.info.number
                st.rerun()
    if invalid is not None:
        with edit_tab:
            problem_list(t, invalid, heading=t("scenarios.stored_invalid"))
            st.download_button(t("scenarios.download_as_stored"), stored_json(form_base.payload),
                               file_name=download_file_name(form_base.info.name), mime="application/json",
                               key="download_latest", icon=":material/download:")
        with history_tab:
            version_history(history)
        with manage_tab:
            trash_scenario(chosen, form_base.info.name)
        st.stop()

    with edit_tab:
        suffix = f"{chosen}_{form_base.info.number}"
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
                edited = parse_scenario(form_base.payload | edits, lang)
            except InputError as exc:
                slots.show(t, exc)
            else:
                changes = {field: value for field, value in scenario_to_dict(edited).items()
                           if form_base.payload.get(field) != value}
                save_edited(edited, form_base.info.number, changes)
        st.download_button(t("scenarios.download"), scenario_to_json(scenario),
                           file_name=download_file_name(scenario.name), mime="application/json",
                           key="download_latest", icon=":material/download:")

    with history_tab:
        version_history(history)

    with manage_tab:
        if st.button(t("scenarios.duplicate"), key="duplicate_button", icon=":material/content_copy:"):
            with transaction() as session:
                copy = duplicate_scenario(session, chosen, t("scenarios.copy_name", name=latest.info.name)[:200], lang)
            state.set_open_scenario(copy.document_id)
            st.rerun()
        renaming = rename_input(t, HISTORY_TEXTS, key="scenario", document_id=chosen, name=latest.info.name,
                                newest=latest.info.number)
        rename_slots = ProblemSlots()
        rename_slots.add("name")
        if renaming is not None:
            try:
                with transaction() as session:
                    renamed = rename_scenario(session, chosen, renaming.name or "", lang)
            except InputError as exc:
                rename_slots.show(t, exc)
            else:
                st.session_state[form_base_key] = renamed.number  # the form follows the user's own rename
                st.rerun()
        st.divider()
        publish_section(t, chosen, latest.info.number, publish_missing(latest.payload, lang))
        st.divider()
        trash_scenario(chosen, latest.info.name)

# --- the trash -----------------------------------------------------------------------------------
with st.expander(t("scenarios.trash_heading", count=len(trashed)), expanded=just_emptied()):
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
    empty_trash_section(t)
