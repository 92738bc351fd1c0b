"""Långsiktig kalkyl: who pays, who saves, and when, against the contract period, with uncertainty."""

import streamlit as st

from engine.errors import InputError
from engine.examples import is_assumption, source_label
from engine.i18n import format_percent
from engine.savings.charts import (
    benefits_costs_chart,
    cumulative_chart,
    fan_chart,
    tornado_chart,
    who_pays_who_saves_chart,
)
from engine.savings.model import project_savings
from engine.savings.narrative import (
    expected_vs_simulated,
    missing_parts,
    missing_sentence,
    savings_headline,
    signed_amount,
    uncertainty_sentence,
)
from engine.scenario import (
    MAX_OUTCOMES,
    follow_renamed_outcomes,
    new_outcome,
    parse_scenario,
    scenario_to_dict,
    scenario_to_json,
    widened_effect_range,
)
from ui import cached, print_view, state
from ui.calc_inputs import costs_editor, intake_editor, outcome_inputs, payer_options, time_inputs, uncertainty_inputs
from ui.components.chart_with_downloads import chart_with_downloads
from ui.components.number_field import field_problems
from ui.components.problem_list import ProblemSlots
from ui.components.scenario_source_picker import load_source_content, scenario_source_picker
from ui.components.table_with_downloads import table_with_downloads
from ui.components.working_copy import (
    keep_scenario,
    open_scenario_copy,
    open_scenario_version,
    redraw_scenario,
    restart_scenario,
    save_open_scenario,
    scenario_conflict,
    unsaved_notice,
)
from ui.frame import page_frame
from ui.input_groups import TIME_FIELDS, drawn_group, group_of, group_selector, input_groups, outcome_group, show_group
from ui.scenario_views import chart_footnote, download_file_name
from ui.text import escape_markdown

#: This page's rounds of the open scenario's working copy (ui.components.working_copy).
WORKING_COPY = "calc"
#: The last scenario of the working copy that passed validation (its source and data).
LAST_VALID = "calc_last_valid"
PAGE = "pages/kalkyl.py"

t = page_frame("nav.savings", printable=True)
lang = state.language()
if state.print_view():
    print_view.savings_print(t, lang, PAGE)
    st.stop()
presenter = state.presenter_mode()
st.title(t("calc.title"))
st.write(t("calc.lead"))

# --- what to calculate --------------------------------------------------------------------------
source = scenario_source_picker(t, "calc.source", "calc.source_help")
print_view.print_link(t, PAGE)
copy = open_scenario_copy(WORKING_COPY, source, lambda: load_source_content(t, source, lang))
base, key = copy.base, copy.key
if source.is_example:
    st.info(t("calc.example_note"))
changes_area = st.container()

# Results come first: on a shared screen the answer is what people look at. In presenter mode
# (wide layout) inputs and results stand side by side instead.
if presenter:
    inputs_area, results_area = st.columns([2, 3], gap="large")
else:
    results_area, inputs_area = st.container(), st.container()

# --- inputs ---------------------------------------------------------------------------------------
# One group of inputs is drawn at a time, chosen above it: a change then redraws that group and the
# results, not every field of the scenario (issue 11's speed). The groups not drawn keep their values
# from the working copy's base.
inputs_area.subheader(t("calc.inputs_heading"))
slots = ProblemSlots()
choice_area = inputs_area.container()
inputs = inputs_area.container()
outcomes_in_base = base.get("outcomes", [])
groups = input_groups(len(outcomes_in_base))
group = drawn_group(groups)
intake = base.get("intake", [])
costs = base.get("costs", [])
timing = {field: base[field] for field in TIME_FIELDS if field in base}
ranges = base.get("uncertainty")
if group == "target":
    with inputs:
        intake = intake_editor(t, base, f"{key}_intake")
        slots.add("intake")
elif group == "costs":
    with inputs:
        costs = costs_editor(t, base, f"{key}_costs", lang)
        slots.add("costs")
elif group == "time":
    with inputs:
        timing = time_inputs(t, base, key)
        for field in TIME_FIELDS:
            slots.add(field)
elif group == "uncertainty":
    with inputs:
        ranges = uncertainty_inputs(t, base, key)
        slots.add("uncertainty")
payers = payer_options(base)
outcomes = list(outcomes_in_base)
for index, outcome in enumerate(outcomes_in_base):
    if group == outcome_group(index):
        with inputs:
            outcomes[index] = outcome_inputs(t, outcome, index, key, lang, payers)
            slots.add(f"outcomes[{index}]")
add_column, remove_column = inputs_area.columns(2)
add_outcome = add_column.button(t("calc.add_outcome"), key=f"{key}_add_outcome", icon=":material/add:",
                                disabled=len(outcomes) >= MAX_OUTCOMES,
                                help=t("calc.outcome_limit", limit=MAX_OUTCOMES) if len(outcomes) >= MAX_OUTCOMES else None)
remove_outcome = remove_column.button(t("calc.remove_outcome"), key=f"{key}_remove_outcome",
                                      icon=":material/remove:", disabled=not outcomes)

draft = {key_: value for key_, value in base.items() if key_ not in ("uncertainty",)}
draft |= {"intake": intake, "costs": costs, "outcomes": outcomes, **timing}
draft = follow_renamed_outcomes(draft, [o.get("name", "") for o in outcomes_in_base],
                                [o["name"] for o in outcomes])
if ranges:
    draft["uncertainty"] = ranges

if add_outcome or remove_outcome:
    # Changing the number of outcomes redraws the inputs; carry the current edits over first.
    draft["outcomes"] = [*outcomes, new_outcome(t("calc.new_outcome_name", number=len(outcomes) + 1))] \
        if add_outcome else outcomes[:-1]
    show_group(outcome_group(len(draft["outcomes"]) - 1) if draft["outcomes"] else "target")
    restart_scenario(copy, draft)
    st.rerun()

problems: InputError | None = None
try:
    scenario = parse_scenario(draft, lang)
except InputError as found:
    problems = found
unreadable = field_problems()
# Unsaved edits are kept as a draft (also across a reload); say so, and offer to go back.
unsaved = keep_scenario(copy, draft, None if problems or unreadable else scenario)
unsaved_notice(t, copy, unsaved, changes_area)
# The group selector comes last so that it can mark the groups with a problem.
problem_groups = {group_of(problem.path) for problem in problems.problems} - {None} if problems else set()
if group_selector(t, choice_area, groups, outcomes, problem_groups, can_leave=not unreadable):
    redraw_scenario(copy)
    st.rerun()

if problems or unreadable:
    # The message stands at the field; the results keep the last valid calculation of this working
    # copy, marked as such, so one wrong figure never blanks the answer.
    with results_area:
        if problems:
            slots.show(t, problems, summary_key="calc.fix_to_calculate")
        else:
            st.error(t("number.summary"), icon=":material/error:")
    for index, outcome in enumerate(outcomes):
        wider = widened_effect_range(outcome)
        spot = slots.slot(f"outcomes[{index}].effect_range")
        if wider is not None and spot is not None and spot.button(
                t("calc.widen_range", low=format_percent(wider[0], lang), high=format_percent(wider[1], lang)),
                key=f"{key}_o{index}_widen", icon=":material/expand:"):
            draft["outcomes"][index] = outcome | {"effect_range": wider}
            restart_scenario(copy, draft)
            st.rerun()
    last_valid = st.session_state.get(LAST_VALID)
    if not last_valid or last_valid[0] != source.token:
        st.stop()
    scenario = parse_scenario(last_valid[1], lang)
    results_area.warning(t("calc.showing_last_valid"), icon=":material/history:")
else:
    st.session_state[LAST_VALID] = (source.token, scenario_to_dict(scenario))

# --- results ---------------------------------------------------------------------------------------
with results_area:
    projection = project_savings(scenario)
    scenario_json = scenario_to_json(scenario)
    stem = download_file_name(scenario.name).removesuffix(".json")
    # Under every exported chart: which scenario, which version, which prices.
    footnote = chart_footnote(scenario.name, scenario.price_year, lang, version=open_scenario_version(), unsaved=unsaved)

    st.subheader(t("calc.results_heading"))
    if missing := missing_parts(scenario):
        # Nothing to read yet: say what to add instead of a break-even year for a scenario that does nothing.
        st.info(missing_sentence(missing, lang), icon=":material/add_circle:")
    else:
        with st.container(border=True):
            st.markdown(f"#### {escape_markdown(savings_headline(projection, lang))}")
        # Four figures in a row fit the normal page; in the narrower results column of presenter mode
        # they would be cut to "+1,…", so there they take two rows.
        metrics = st.columns(4) if not presenter else [*st.columns(2), *st.columns(2)]
        metrics[0].metric(t("calc.metric_within"), signed_amount(projection.npv_within_contract, lang, beside=[projection.npv]))
        metrics[1].metric(t("calc.metric_npv", years=scenario.horizon_years), signed_amount(projection.npv, lang, beside=[projection.npv_within_contract]))
        metrics[2].metric(t("calc.metric_bcr"), "–" if projection.benefit_cost_ratio is None
                          else f"{projection.benefit_cost_ratio:.2f}".replace(".", "," if lang == "sv" else "."))
        metrics[3].metric(t("calc.metric_break_even"), t("calc.never", years=scenario.horizon_years) if projection.break_even_year is None
                          else t("calc.year_n", year=projection.break_even_year))

    # Charts of a scenario that does nothing would only show zeros and a "break-even" in year 1.
    if not missing:
        # Only the open tab is built (on_change="rerun"): a change of an input redraws one chart, and the
        # Monte Carlo and the tornado run only when their tab is open, once per scenario content.
        cumulative, flows, payers_tab, fan, tornado_tab = st.tabs(
            [t("calc.tab_cumulative"), t("calc.tab_flows"), t("calc.tab_payers"), t("calc.tab_fan"), t("calc.tab_tornado")],
            key="calc_chart_tab", on_change="rerun")
        if cumulative.open:
            with cumulative:
                chart_with_downloads(t, cumulative_chart(projection, lang, presenter=presenter), f"{stem}-kumulativ",
                                     "cumulative", lang, footnote)
        if flows.open:
            with flows:
                chart_with_downloads(t, benefits_costs_chart(projection, lang, presenter=presenter), f"{stem}-floden",
                                     "flows", lang, footnote)
        if payers_tab.open:
            with payers_tab:
                chart_with_downloads(t, who_pays_who_saves_chart(projection, lang, presenter=presenter), f"{stem}-vem",
                                     "payers", lang, footnote)
        if fan.open:
            with fan, st.spinner(t("calc.simulating")):
                simulation = cached.simulation(scenario_json)
                st.write(uncertainty_sentence(simulation, lang))
                st.caption(expected_vs_simulated(lang))
                chart_with_downloads(t, fan_chart(simulation, lang, presenter=presenter), f"{stem}-osakerhet", "fan", lang,
                                     footnote)
        if tornado_tab.open:
            with tornado_tab, st.spinner(t("calc.simulating")):
                st.write(t("calc.tornado_lead"))
                chart_with_downloads(t, tornado_chart(cached.tornado(scenario_json), lang, presenter=presenter),
                                     f"{stem}-tornado", "tornado", lang, footnote)

    # Sources and assumptions, then saving.
    if scenario.sources:
        with st.expander(t("calc.sources_heading", count=len(scenario.sources))):
            table_with_downloads(
                t, {t("calc.source_field"): [source_label(s.field, lang) for s in scenario.sources],
                    t("calc.source_kind"): [t("calc.assumption") if is_assumption(s) else t("calc.sourced")
                                            for s in scenario.sources],
                    t("calc.source_text"): [s.text for s in scenario.sources]},
                f"{stem}-kallor", "calc_sources", lang, hide_index=True, width="stretch")

    st.divider()
    label = t("calc.save_new") if source.is_example else t("calc.save_version")
    # Someone else saved first: their version, the user's, and the choice stand here instead.
    waiting = scenario_conflict(t, copy, None if problems or unreadable else scenario)
    # Never save the last valid calculation in place of what the fields now say.
    if not waiting and st.button(label, type="primary", key=f"{key}_save", icon=":material/save:",
                                 disabled=bool(problems or unreadable)):
        save_open_scenario(t, copy, scenario)
