"""Jämför instrument: what each instrument means in money for every party, and who bears the risk."""

import streamlit as st

from engine.errors import InputError
from engine.i18n import format_number
from engine.instruments.charts import fund_chart, investor_chart, payments_chart, public_distribution_chart
from engine.instruments.contract import contract_cash_flows
from engine.instruments.finance import suggested_prices
from engine.instruments.model import default_outcome_payer
from engine.instruments.reading import describe_warning, investor_over_draws, parties_reading, risk_reading
from engine.instruments.tables import table_unit
from engine.savings.narrative import expected_vs_simulated
from engine.savings.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED
from engine.scenario import parse_scenario, scenario_to_json
from ui import cached, print_view, state
from ui import contract_inputs as inputs
from ui.components.chart_with_downloads import chart_with_downloads
from ui.components.number_field import field_problems
from ui.components.problem_list import ProblemSlots, problem_list
from ui.components.scenario_source_picker import load_source_content, scenario_source_picker
from ui.components.working_copy import (
    keep_scenario,
    open_scenario_copy,
    open_scenario_version,
    save_open_scenario,
    scenario_conflict,
    unsaved_notice,
)
from ui.frame import page_frame
from ui.scenario_views import chart_footnote, download_file_name
from ui.text import escape_markdown

#: Warnings about one outcome's price, shown under that price as well as with the results.
PRICE_WARNINGS = ("price_above_value", "no_value_to_payer")
CATALOGUE_PAGE = "pages/instrumenten.py"
CALC_PAGE = "pages/kalkyl.py"
PAGE = "pages/jamfor_instrument.py"
#: Where this page keeps the scenario it edits (ui.components.working_copy).
WORKING_COPY = "compare"

t = page_frame("nav.compare", printable=True)
lang = state.language()
if state.print_view():
    print_view.compare_print(t, lang, PAGE)
    st.stop()
presenter = state.presenter_mode()
st.title(t("compare.title"))
st.write(t("compare.lead"))

# --- what to compare ------------------------------------------------------------------------------
source = scenario_source_picker(t, "compare.source", "compare.source_help")
print_view.print_link(t, PAGE)
copy = open_scenario_copy(WORKING_COPY, source, lambda: load_source_content(t, source, lang))
base, key = copy.base, copy.key
changes_area = st.container()
try:
    base_scenario = parse_scenario(base, lang)
except InputError as problems:
    # Unsaved edits from Långsiktig kalkyl that do not hold together yet: fix them there first.
    problem_list(t, problems, t("compare.fix_on_calc"))
    st.page_link(CALC_PAGE, label=t("nav.savings"), icon=":material/trending_up:")
    unsaved_notice(t, copy, True, st.container())
    st.stop()
contract = base.get("contract") or {"instrument": inputs.DEFAULT_INSTRUMENT}
if source.is_example:
    st.info(t("calc.example_note"))

# Results first. In presenter mode the reading and the table span the screen (eight rows of
# figures need the width), with the inputs beside the warnings and charts below them.
headline_area = st.container()
if presenter:
    inputs_area, results_area = st.columns([2, 3], gap="large")
else:
    results_area, inputs_area = st.container(), st.container()

# --- contract design --------------------------------------------------------------------------------
inputs_area.subheader(t("compare.inputs_heading"))
slots = ProblemSlots()
with inputs_area:
    instrument = inputs.instrument_input(t, contract, key)
    slots.add("contract.instrument")
    with st.expander(t("compare.group_payments"), expanded=True):
        payer = inputs.payer_input(t, base, contract, default_outcome_payer(base_scenario), key, lang)
        slots.add("contract.outcome_payer")
        prices, price_slots = inputs.price_inputs(t, base, contract, suggested_prices(base_scenario, payer), key, lang)
        slots.add("contract.prices")
        terms = inputs.payment_inputs(t, contract, base["horizon_years"], base["contract_years"], key, lang)
        for field in ("fixed_share", "threshold", "cap", "payment_window"):
            slots.add(f"contract.{field}")
    with st.expander(t("compare.group_transaction")):
        terms |= inputs.transaction_inputs(t, contract, key)
        slots.add("contract.transaction_costs")
    with st.expander(t("compare.group_internal"), expanded=instrument == "internal_outcomes_contract"):
        terms |= inputs.internal_inputs(t, contract, key)
    with st.expander(t("compare.group_investor"), expanded=instrument == "social_outcomes_contract"):
        terms |= inputs.investor_inputs(t, contract, key)
        slots.add("contract.investor_required_return")
    with st.expander(t("compare.group_fund"), expanded=instrument == "social_investment_fund"):
        terms |= inputs.fund_inputs(t, contract, key)
        slots.add("contract.fund_repayment_share")
    with st.expander(t("compare.group_bond"), expanded=instrument == "social_bond"):
        terms |= inputs.bond_inputs(t, contract, key)
        for field in ("return_cap", "return_floor", "maturity_year"):
            slots.add(f"contract.{field}")
    with st.expander(t("compare.group_iop"), expanded=instrument == "iop"):
        terms |= inputs.iop_inputs(t, contract, key)
        slots.add("contract.grant_share")

draft = {**base, "contract": {"instrument": instrument, "outcome_payer": payer, "prices": prices, **terms}}
problems: InputError | None = None
try:
    scenario = parse_scenario(draft, lang)
except InputError as found:
    problems = found
unreadable = field_problems()
unsaved = keep_scenario(copy, draft, None if problems or unreadable else scenario)
unsaved_notice(t, copy, unsaved, changes_area)
if problems or unreadable:
    with headline_area:
        if problems:
            slots.show(t, problems, summary_key="compare.fix_to_compare")
        else:
            st.error(t("number.summary"), icon=":material/error:")
    st.stop()

# --- results ------------------------------------------------------------------------------------------
result = contract_cash_flows(scenario)
for warning in result.warnings:
    if warning.code in PRICE_WARNINGS and warning.params["outcome"] in price_slots:
        price_slots[warning.params["outcome"]].warning(escape_markdown(describe_warning(warning, lang)),
                                                       icon=":material/warning:")

comparison = cached.comparison(scenario_to_json(scenario), DEFAULT_DRAWS, DEFAULT_SEED)
stem = download_file_name(scenario.name).removesuffix(".json")
# Under every exported chart: which scenario, which version, which prices.
footnote = chart_footnote(scenario.name, scenario.price_year, lang, version=open_scenario_version(), unsaved=unsaved)
with headline_area:
    st.subheader(t("compare.results_heading"))
    with st.container(border=True):
        st.markdown(f"#### {escape_markdown(risk_reading(comparison, instrument, lang))}")
        rest = parties_reading(comparison, instrument, lang)
        if rest:
            st.markdown(escape_markdown(rest))
        link = {"instrument": instrument, "lang": lang} | ({"present": "1"} if presenter else {})
        st.page_link(CATALOGUE_PAGE, label=t("compare.catalogue_link", instrument=t(f"instruments.name.{instrument}")),
                     icon=":material/menu_book:", query_params=link)
    st.caption(t("compare.risk_note", draws=format_number(DEFAULT_DRAWS, lang)) + " " + expected_vs_simulated(lang))
    inputs.comparison_table(t, comparison, lang, presenter, stem)
    with st.expander(t("compare.parties_heading")):
        inputs.parties_table(t, comparison, lang, presenter, stem)
    inputs.financing_table(t, cached.financing(scenario_to_json(scenario)), table_unit(comparison), lang, presenter,
                           stem)

with results_area:

    inputs.contract_warnings(t, result.warnings, lang)

    tabs = st.tabs([t("compare.tab_distribution"), t("compare.tab_payments"), t("compare.tab_investor"),
                    t("compare.tab_fund")])
    with tabs[0]:
        chart_with_downloads(t, public_distribution_chart(comparison, lang, presenter=presenter),
                             f"{stem}-instrument", "instr_distribution", lang, footnote)
    with tabs[1]:
        chart_with_downloads(t, payments_chart(result, lang, presenter=presenter), f"{stem}-utfallsbetalningar",
                             "instr_payments", lang, footnote)
    with tabs[2]:
        st.caption(t("compare.investor_note"))
        if (words := investor_over_draws(comparison.instruments["social_outcomes_contract"], lang)) is not None:
            st.write(words)
        chart_with_downloads(t, investor_chart(contract_cash_flows(scenario, "social_outcomes_contract"), lang,
                                               presenter=presenter), f"{stem}-investerare", "instr_investor", lang,
                             footnote)
    with tabs[3]:
        st.caption(t("compare.fund_note"))
        chart_with_downloads(t, fund_chart(contract_cash_flows(scenario, "social_investment_fund"), lang,
                                           presenter=presenter), f"{stem}-fond", "instr_fund", lang, footnote)

    st.divider()
    label = t("calc.save_new") if source.is_example else t("calc.save_version")
    waiting = scenario_conflict(t, copy, scenario)
    if not waiting and st.button(label, type="primary", key=f"{key}_save", icon=":material/save:",
                                 help=t("compare.save_help")):
        save_open_scenario(t, copy, scenario)
