"""Effektmål: per outcome a target that can be measured, checked for power, forecast and evaluated."""

import streamlit as st

from engine.errors import InputError
from engine.scenario import parse_scenario, scenario_to_dict
from engine.storage import DocumentNotFound, VersionConflict, save_scenario, save_targets
from engine.storage.targets import load_targets, restore_targets, target_versions
from engine.targets.annex import annex_docx, annex_xlsx
from engine.targets.design import (
    FORMAT_ID,
    default_design,
    design_to_dict,
    parse_target_design,
    parse_targets_document,
    power_question,
    target_checks,
    with_defaults,
    write_back,
)
from engine.targets.power import analyse_power, power_curve
from ui import state, target_state
from ui.components.document_history import HistoryTexts, document_history
from ui.components.number_field import field_problems
from ui.components.problem_list import ProblemSlots, problem_list
from ui.components.scenario_source_picker import Source, load_source_content, scenario_source_picker
from ui.components.working_copy import (
    discard_row,
    open_scenario_copy,
    open_scenario_version,
    refused_scenario,
    scenario_conflict,
    scenario_saved,
    unsaved_notice,
)
from ui.db import reading, transaction
from ui.frame import page_frame
from ui.scenario_views import chart_footnote, download_file_name
from ui.target_inputs import definition_inputs, history_input, panel_input, statistics_inputs, target_inputs
from ui.target_saving import save_designs, targets_conflict
from ui.target_views import (
    EVALUATIONS,
    FORECAST_METHODS,
    checks_view,
    did_view,
    forecast_view,
    its_view,
    quick_power_view,
    statistics_view,
)
from ui.text import escape_markdown

#: How this page words the history of its target designs (ui.components.document_history).
HISTORY_TEXTS = HistoryTexts(
    pick="targets.history.pick", version="targets.history.version", open="targets.history.open",
    open_help="targets.history.open_help", restore="targets.history.restore",
    restore_help="targets.history.restore_help")

#: This page's rounds of the open scenario's working copy (it shows the scenario, and edits its targets).
SCENARIO_COPY = "targets_scenario"

t = page_frame("nav.targets")
lang = state.language()
presenter = state.presenter_mode()
st.title(t("targets.title"))
st.write(t("targets.lead"))

with st.expander(t("targets.quick.heading"), icon=":material/calculate:"):
    st.caption(t("targets.quick.lead"))
    quick_power_view(t, lang)

# --- which scenario -------------------------------------------------------------------------------
source = scenario_source_picker(t, "targets.source")
# The scenario with any unsaved edits made on Långsiktig kalkyl or Jämför instrument.
scenario_copy = open_scenario_copy(SCENARIO_COPY, source, lambda: load_source_content(t, source, lang))
try:
    scenario = parse_scenario(scenario_copy.base, lang)
except InputError as problems:
    problem_list(t, problems, t("compare.fix_on_calc"))
    st.page_link("pages/kalkyl.py", label=t("nav.savings"), icon=":material/trending_up:")
    unsaved_notice(t, scenario_copy, True, st.container())
    st.stop()
if scenario_copy.changed:
    st.caption(t("targets.scenario_unsaved"))
if target_state.loaded() != source:
    target_state.load(source, lang)
elif state.just_entered():
    target_state.reenter()

if source.is_example:
    st.info(t("targets.example_note"))
if not scenario.outcomes:
    st.info(t("targets.no_outcomes"))
    st.stop()
stem = download_file_name(scenario.name).removesuffix(".json")
# Under every exported chart: which scenario, which version, which prices.
footnote = chart_footnote(scenario.name, scenario.price_year, lang, version=open_scenario_version(),
                          unsaved=scenario_copy.changed)
if toast := st.session_state.pop("targets_toast", None):
    st.toast(toast)

# --- saved versions of the targets: look back, open one in the cards, restore one ----------------
with st.expander(t("targets.history.heading"), icon=":material/history:"):
    document_id = target_state.document_id()
    try:
        with reading() as session:
            history = target_versions(session, document_id) if document_id is not None else []
    except DocumentNotFound:
        history = []
    if not history:
        st.caption(t("targets.history.none"))
    else:
        choice = document_history(t, history, HISTORY_TEXTS, key="targets", lang=lang)
        picked, numbers = choice.picked, [info.number for info in history]
        opening = choice.action is not None and choice.action.kind == "open"
        restoring = choice.action is not None and choice.action.kind == "restore"
        if opening or restoring:
            try:
                with transaction() as session:
                    if restoring:
                        restored = restore_targets(session, document_id, picked, based_on=history[0].number)
                    chosen = load_targets(session, document_id, None if restoring else picked, lang)
            except (DocumentNotFound, InputError, VersionConflict):
                st.error(t("targets.history.failed"))
            else:
                target_state.open_designs([d.model_dump(mode="json") for d in chosen.designs],
                                          None if restoring or picked == numbers[0] else picked)
                target_state.set_version(restored.number if restoring else numbers[0])
                if restoring:
                    st.session_state["targets_toast"] = t("targets.history.restored", version=picked,
                                                          new=restored.number)
                st.rerun()
if (shown := target_state.open_version()) is not None and history:
    st.info(t("targets.history.opened", version=shown, latest=history[0].number, next=history[0].number + 1))
remembered = {d.get("outcome"): d for d in target_state.base_designs()}
if missing := [name for name in remembered if name not in {o.name for o in scenario.outcomes}]:
    st.warning(t("targets.history.other_outcomes", names=", ".join(f"“{escape_markdown(name)}”" for name in missing)))

# --- one card per outcome -------------------------------------------------------------------------
changes_area = st.container()
designs, cards = [], []
for index, outcome in enumerate(scenario.outcomes):
    key = f"{target_state.round_key()}_{index}"
    base = with_defaults(remembered.get(outcome.name) or design_to_dict(default_design(scenario, index)))
    with st.container(border=True):
        st.subheader(t("targets.card_title", number=index + 1, name=escape_markdown(outcome.name)))
        slots = ProblemSlots()
        with st.expander(t("targets.card.definition"), expanded=False):
            definition = definition_inputs(t, base, key)
            for field in ("counted", "unit", "data_source", "data_source_note", "validated_by", "frequency"):
                slots.add(field)
        with st.expander(t("targets.card.target"), expanded=True):
            target = target_inputs(t, base, key)
            for field in ("baseline", "baseline_year", "baseline_source", "counterfactual", "target_kind", "target",
                          "time_to_effect_months", "measurement_window_months", "price"):
                slots.add(field)
        with st.expander(t("targets.card.statistics"), expanded=True):
            statistics = statistics_inputs(t, base, key)
            for field in ("metric", "sd", "correlation", "planned_n", "power", "alpha", "ratio"):
                slots.add(field)
        card = {"outcome": outcome.name, **definition, **target, **statistics}
        cards.append(card)
        if any(field.startswith(f"{key}_") for field in field_problems()):
            st.error(t("number.summary"), icon=":material/error:")
            continue
        try:
            design = parse_target_design(card, lang)
            answer = analyse_power(power_question(design), lang)
            curve = power_curve(power_question(design), lang)
        except InputError as problems:
            slots.show(t, problems, summary_key="targets.fix_to_continue")
            continue
        designs.append(design)

        st.markdown(f"**{t('targets.card.checks')}**")
        checks_view(t, target_checks(design, scenario, answer, lang), lang)
        st.markdown(f"**{t('targets.card.statistics_results')}**")
        statistics_view(t, design, answer, curve, stem, key, lang, presenter, footnote)

        with st.expander(t("targets.card.forecast")):
            st.caption(t("targets.forecast.lead", years=scenario.contract_years))
            methods = {m: t(f"targets.forecast.method_{m}") for m in FORECAST_METHODS}
            method = st.selectbox(t("targets.forecast.method"), list(methods), format_func=methods.get,
                                  key=f"{key}_method", help=t("targets.forecast.method_help"))
            history = history_input(t, f"{key}_history", lang, proportion=design.metric == "proportion")
            if history is not None:
                forecast_view(t, design, history, scenario.contract_years, method, stem, key, lang, presenter,
                              footnote)

        with st.expander(t("targets.card.evaluation")):
            evaluations = {e: t(f"targets.eval.kind_{e}") for e in EVALUATIONS}
            evaluation = st.radio(t("targets.eval.kind"), list(evaluations), format_func=evaluations.get,
                                  horizontal=True, key=f"{key}_evaluation")
            start = st.text_input(t("targets.eval.start"), key=f"{key}_start", help=t("targets.eval.start_help"))
            if evaluation == "its":
                followed = history_input(t, f"{key}_its", lang)
                if followed is not None and not start.strip():
                    st.info(t("targets.eval.need_start"))
                elif followed is not None:
                    its_view(t, design, followed, start, stem, key, lang, presenter, footnote)
            else:
                read = panel_input(t, f"{key}_did", lang)
                if read is not None:
                    panel, units = read
                    treated = st.selectbox(t("targets.eval.treated"), list(panel.group_names), key=f"{key}_treated")
                    if start.strip():
                        did_view(t, design, panel, start, treated, lang, units)
                    else:
                        st.info(t("targets.eval.need_start"))

# Unsaved edits of the cards are kept as a draft (also across a reload), with a way back.
if target_state.keep_cards(cards):
    discard_row(t, changes_area, t("targets.unsaved_changes"), "targets_discard",
                lambda: target_state.discard(source, lang))

# --- save, write back, annex ----------------------------------------------------------------------
if len(designs) != len(scenario.outcomes):
    st.stop()
st.divider()
st.subheader(t("targets.finish_heading"))
document = parse_targets_document({"format": FORMAT_ID, "name": t("targets.document_name", name=scenario.name),
                                   "scenario_ref": source.token, "designs": [design_to_dict(d) for d in designs]}, lang)
waiting = targets_conflict(t, document, cards, source, lang)
save_column, write_column = st.columns(2)
if save_column.button(t("targets.save"), type="primary", icon=":material/save:", key="targets_save",
                      help=t("targets.save_help"), disabled=waiting):
    save_designs(t, document, cards, target_state.version())
if write_column.button(t("targets.write_back"), icon=":material/input:", key="targets_write_back",
                       help=t("targets.write_back_help")):
    try:
        result = write_back(scenario, designs, lang)
    except InputError as problems:
        problem_list(t, problems, t("targets.write_back_failed"))
    else:
        try:
            with transaction() as session:
                info = save_scenario(session, result.scenario, source.document_id,
                                     based_on=open_scenario_version())
                saved_source = Source.saved(info.document_id)
                save_targets(session, document.model_copy(update={"scenario_ref": saved_source.token}),
                             None if source.is_example else target_state.document_id())
        except VersionConflict as refused:
            # Nothing was written; the scenario's choice (keep, take, copy) stands below.
            refused_scenario(result.scenario, refused)
        target_state.cards_saved(cards)
        scenario_saved(scenario_copy, saved_source, scenario_to_dict(result.scenario), info.number)
        st.session_state["targets_notice"] = t("targets.written", name=escape_markdown(result.scenario.name),
                                               version=info.number,
                                               unpriced=", ".join(map(escape_markdown, result.unpriced)) or "–")
        st.rerun()
if notice := st.session_state.pop("targets_notice", None):
    st.success(notice)
scenario_conflict(t, scenario_copy, None)

st.markdown(f"**{t('targets.annex_heading')}**")
left, right = st.columns(2)
annex_title = t("targets.annex_title", name=scenario.name)


def _docx() -> bytes:
    return annex_docx(designs, lang, annex_title)


def _xlsx() -> bytes:
    return annex_xlsx(designs, lang)


# Callables: the files are made only when a button is clicked, not on every rerun.
left.download_button(t("targets.download_docx"), _docx, file_name=f"{stem}-effektmal.docx",
                     icon=":material/description:", on_click="ignore",
                     mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
right.download_button(t("targets.download_xlsx"), _xlsx, file_name=f"{stem}-effektmal.xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      icon=":material/table:", on_click="ignore")
