"""Print views of Långsiktig kalkyl and Jämför instrument (``?print=1``), for printing to PDF.

People who write the memo to the nämnd print the analysis from the browser. The normal pages hide
four of five charts behind tabs and draw the menu, inputs and buttons, which make a poor printout.
A print view draws the open scenario (with its unsaved edits) read-only: every chart one after
another, the inputs summarised as tables, the sources written out, and no sidebar, widget, button or
download row. A CSS ``@media print`` rule also hides Streamlit's header and toolbar and this view's
own "back" link when the page is printed.

The pages only ask :func:`ui.state.print_view` and call :func:`savings_print` or
:func:`compare_print`; :func:`print_link` is the link on each page that opens its print view on the
same scenario.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from engine.errors import InputError
from engine.examples import example_ids, is_assumption, source_label
from engine.i18n import format_number, format_percent, format_sek
from engine.instruments.charts import fund_chart, investor_chart, payments_chart, public_distribution_chart
from engine.instruments.contract import contract_cash_flows
from engine.instruments.reading import investor_over_draws, parties_reading, risk_reading
from engine.instruments.tables import (
    PARTY_COLUMNS,
    TABLE_COLUMNS,
    comparison_rows,
    party_rows,
    table_amount,
    table_unit,
)
from engine.payers import payer_label
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
from engine.savings.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED
from engine.scenario import INSTRUMENTS, Scenario, parse_scenario, scenario_to_json
from ui import cached, state
from ui.components.scenario_source_picker import Source, load_source_content
from ui.components.working_copy import open_scenario_copy, open_scenario_version
from ui.contract_inputs import contract_warnings
from ui.frame import Translator
from ui.scenario_views import format_time
from ui.text import escape_markdown

#: Width of a chart in the print view, in px: fits an A4 page in portrait with the margins below.
CHART_WIDTH = 660
#: The key of the container with the lead and the back link (Streamlit adds the class st-key-<key>).
_CONTROLS = "print_controls"

PRINT_CSS = f"""
<style>
/* No sidebar in a print view: nothing is drawn in it, and its opening arrow goes too. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {{
  display: none !important; }}
@page {{ size: A4 portrait; margin: 12mm; }}
@media print {{
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  header, .st-key-{_CONTROLS} {{ display: none !important; }}
  [data-testid="stMainBlockContainer"] {{ padding: 0 !important; max-width: none !important; }}
  [data-testid="stPlotlyChart"], [data-testid="stTable"], [data-testid="stMetric"] {{ break-inside: avoid; }}
  h2, h3, h4 {{ break-after: avoid; }}
}}
</style>
"""


def print_link(t: Translator, page: str) -> None:
    """The link that opens ``page``'s print view on the scenario open now (also in a new tab: the
    link carries the workspace and the scenario, as the page's own URL does)."""
    params = {"print": "1", "lang": state.language(), "ws": state.workspace()}
    if token := state.open_source_token():
        params["scenario"] = token
    st.page_link(page, label=t("exports.print_link"), icon=":material/print:", help=t("exports.print_link_help"),
                 query_params=params)


def _open(t: Translator, namespace: str, lang: str) -> tuple[Source, dict[str, Any], bool]:
    """The open scenario as the pages edit it: its source, its content with unsaved edits, and
    whether there are any. Opened in a working copy of its own (``namespace``), so the page's
    widgets start again from the latest edits when the user goes back."""
    source = Source.parse(state.open_source_token())
    if source is None:  # nothing opened in this session yet: the first example, as the pages do
        source = Source.example(example_ids()[0])
        state.set_open_source(source)
    copy = open_scenario_copy(namespace, source, lambda: load_source_content(t, source, lang))
    return source, copy.base, copy.changed


def _header(t: Translator, title_key: str, page: str, scenario: Scenario, source: Source, unsaved: bool,
            lang: str) -> None:
    st.html(PRINT_CSS)
    # Written again so that the address bar shows it: a link within the app changes the query the
    # script sees, not the browser's address, and a reload or a shared address should print too.
    st.query_params["print"] = "1"
    with st.container(key=_CONTROLS):
        st.info(t("exports.print.lead"), icon=":material/print:")
        st.page_link(page, label=t("exports.print.back"), icon=":material/arrow_back:",
                     query_params={"lang": lang, "ws": state.workspace(), "scenario": source.token})
    st.title(t(title_key))
    st.subheader(escape_markdown(scenario.name))
    version = open_scenario_version()
    if version is None:
        which = t("exports.print.example_unsaved" if unsaved else "exports.print.example")
    else:
        which = t("exports.print.version_unsaved" if unsaved else "exports.print.version", version=version)
    st.caption(" · ".join((which, t("exports.print.prices", year=scenario.price_year),
                           t("exports.print.printed", date=format_time(datetime.now().astimezone(), lang)))))
    if scenario.description:
        st.text(scenario.description)


def _chart(figure: go.Figure, key: str) -> None:
    """A chart at a width that fits the printed page, without plotly's toolbar or hover."""
    figure.update_layout(width=CHART_WIDTH)
    st.plotly_chart(figure, width="content", key=f"print_{key}", theme=None,
                    config={"displayModeBar": False, "staticPlot": True})


def _table(columns: dict[str, list[Any]]) -> None:
    """A static table (``st.table`` reads Markdown in its cells, so every text cell is escaped)."""
    frame = pd.DataFrame({escape_markdown(str(heading)): [escape_markdown(c) if isinstance(c, str) else c for c in cells]
                          for heading, cells in columns.items()})
    st.table(frame, hide_index=True, border="horizontal")


def _valid(t: Translator, base: dict[str, Any], lang: str) -> Scenario:
    try:
        return parse_scenario(base, lang)
    except InputError:
        st.warning(t("exports.print.invalid"), icon=":material/error:")
        st.stop()


# --- Långsiktig kalkyl --------------------------------------------------------------------------------

def savings_print(t: Translator, lang: str, page: str) -> None:
    """The print view of Långsiktig kalkyl: headline and key figures, all five charts, the inputs
    and the sources."""
    source, base, unsaved = _open(t, "calc_print", lang)
    scenario = _valid(t, base, lang)
    _header(t, "calc.title", page, scenario, source, unsaved, lang)
    projection = project_savings(scenario)
    scenario_json = scenario_to_json(scenario)

    st.subheader(t("calc.results_heading"))
    if missing := missing_parts(scenario):
        st.info(missing_sentence(missing, lang))
    else:
        st.markdown(f"#### {escape_markdown(savings_headline(projection, lang))}")
        first, second = st.columns(2), st.columns(2)
        first[0].metric(t("calc.metric_within"), signed_amount(projection.npv_within_contract, lang, beside=[projection.npv]))
        first[1].metric(t("calc.metric_npv", years=scenario.horizon_years), signed_amount(projection.npv, lang, beside=[projection.npv_within_contract]))
        second[0].metric(t("calc.metric_bcr"), "–" if projection.benefit_cost_ratio is None
                         else format_number(projection.benefit_cost_ratio, lang, 2))
        second[1].metric(t("calc.metric_break_even"),
                         t("calc.never", years=scenario.horizon_years) if projection.break_even_year is None
                         else t("calc.year_n", year=projection.break_even_year))
        _chart(cumulative_chart(projection, lang), "cumulative")
        _chart(benefits_costs_chart(projection, lang), "flows")
        _chart(who_pays_who_saves_chart(projection, lang), "payers")
        simulation = cached.simulation(scenario_json)
        st.write(uncertainty_sentence(simulation, lang))
        st.caption(expected_vs_simulated(lang))
        _chart(fan_chart(simulation, lang), "fan")
        st.write(t("calc.tornado_lead"))
        _chart(tornado_chart(cached.tornado(scenario_json), lang), "tornado")

    st.subheader(t("exports.print.inputs_heading"))
    _savings_inputs(t, scenario, lang)
    _sources(t, scenario)


def _savings_inputs(t: Translator, scenario: Scenario, lang: str) -> None:
    rows = [
        (t("exports.print.horizon"), t("exports.print.years", years=scenario.horizon_years)),
        (t("exports.print.contract_years"), t("exports.print.years", years=scenario.contract_years)),
        (t("exports.print.discount_rate"), format_percent(scenario.discount_rate, lang)),
        (t("exports.print.price_year"), t("exports.print.prices", year=scenario.price_year)),
        (t("exports.print.intake"), ", ".join(format_number(n, lang) for n in scenario.intake)),
        (t("exports.print.optimism_bias"), format_percent(scenario.optimism_bias, lang)),
    ]
    _table({t("exports.print.col_input"): [r[0] for r in rows], t("exports.print.col_value"): [r[1] for r in rows]})
    if scenario.costs:
        st.markdown(f"**{t('exports.print.costs_heading')}**")
        _table({
            t("exports.print.col_cost"): [c.name for c in scenario.costs],
            t("exports.print.col_payer"): [payer_label(c.payer, lang) for c in scenario.costs],
            t("exports.print.col_per_participant"): ["–" if c.per_participant is None else format_sek(c.per_participant, lang)
                                                     for c in scenario.costs],
            t("exports.print.col_fixed"): ["–" if c.per_year is None else format_sek(c.per_year, lang)
                                           for c in scenario.costs],
        })
    if scenario.outcomes:
        st.markdown(f"**{t('exports.print.outcomes_heading')}**")
        _table({
            t("exports.print.col_outcome"): [o.name for o in scenario.outcomes],
            t("exports.print.col_baseline"): [f"{format_number(o.baseline, lang, 2)} {o.unit or ''}".strip()
                                              for o in scenario.outcomes],
            t("exports.print.col_effect"): [format_percent(o.effect, lang) for o in scenario.outcomes],
            t("exports.print.col_range"): ["–" if o.effect_range is None else
                                           f"{format_percent(o.effect_range[0], lang)}–{format_percent(o.effect_range[1], lang)}"
                                           for o in scenario.outcomes],
            t("exports.print.col_deadweight"): [format_percent(o.deadweight, lang) for o in scenario.outcomes],
            t("exports.print.col_values"): ["; ".join(f"{payer_label(p, lang)}: {format_sek(v, lang)}"
                                                      for p, v in o.values.items()) or "–" for o in scenario.outcomes],
        })


def _sources(t: Translator, scenario: Scenario) -> None:
    """Every source and assumption, written out (on the page they stand in a closed expander)."""
    if not scenario.sources:
        return
    st.subheader(t("calc.sources_heading", count=len(scenario.sources)))
    _table({t("calc.source_field"): [source_label(s.field, state.language()) for s in scenario.sources],
            t("calc.source_kind"): [t("calc.assumption") if is_assumption(s) else t("calc.sourced")
                                    for s in scenario.sources],
            t("calc.source_text"): [s.text + (f" ({s.url})" if s.url else "") for s in scenario.sources]})


# --- Jämför instrument ---------------------------------------------------------------------------------

def compare_print(t: Translator, lang: str, page: str) -> None:
    """The print view of Jämför instrument: the reading, the comparison tables, the warnings, all
    four charts, the contract terms and the sources."""
    source, base, unsaved = _open(t, "compare_print", lang)
    scenario = _valid(t, base, lang)
    _header(t, "compare.title", page, scenario, source, unsaved, lang)
    instrument = scenario.contract.instrument if scenario.contract else "social_outcomes_contract"
    result = contract_cash_flows(scenario)
    scenario_json = scenario_to_json(scenario)
    comparison = cached.comparison(scenario_json, DEFAULT_DRAWS, DEFAULT_SEED)

    st.subheader(t("compare.results_heading"))
    st.markdown(f"#### {escape_markdown(risk_reading(comparison, instrument, lang))}")
    if rest := parties_reading(comparison, instrument, lang):
        st.markdown(escape_markdown(rest))
    unit = table_unit(comparison)
    unit_text = t(f"compare.unit.{unit}")
    st.caption(t("compare.risk_note", draws=format_number(DEFAULT_DRAWS, lang)) + " " + expected_vs_simulated(lang))
    st.caption(t("compare.table_caption", unit=unit_text))
    _rows_table(t, comparison_rows(comparison, lang), TABLE_COLUMNS)
    st.markdown(f"**{t('compare.parties_heading')}**")
    st.caption(t("compare.parties_caption", unit=unit_text))
    _rows_table(t, party_rows(comparison, lang), PARTY_COLUMNS)
    splits = [s for s in cached.financing(scenario_json).values() if abs(s.difference) > 0.5 or abs(s.substance) > 0.5]
    if splits:
        st.markdown(f"**{t('compare.split_heading')}**")
        st.caption(t("compare.split_lead") + " " + t("compare.split_unit", unit=unit_text))
        _table({t("compare.transaction_instrument"): [t(f"instruments.short.{s.instrument}") for s in splits],
                t("compare.split_difference"): [table_amount(s.difference, unit, lang) for s in splits],
                t("compare.split_financing"): [table_amount(s.financing, unit, lang) for s in splits],
                t("compare.split_substance"): [table_amount(s.substance, unit, lang) for s in splits]})

    contract_warnings(t, result.warnings, lang)

    _chart(public_distribution_chart(comparison, lang), "distribution")
    _chart(payments_chart(result, lang), "payments")
    st.caption(t("compare.investor_note"))
    if (words := investor_over_draws(comparison.instruments["social_outcomes_contract"], lang)) is not None:
        st.write(words)
    _chart(investor_chart(contract_cash_flows(scenario, "social_outcomes_contract"), lang), "investor")
    st.caption(t("compare.fund_note"))
    _chart(fund_chart(contract_cash_flows(scenario, "social_investment_fund"), lang), "fund")

    st.subheader(t("exports.print.contract_heading"))
    _contract_inputs(t, scenario, lang)
    st.subheader(t("exports.print.inputs_heading"))
    _savings_inputs(t, scenario, lang)
    _sources(t, scenario)


def _rows_table(t: Translator, rows: list[dict[str, str]], columns: tuple[str, ...]) -> None:
    _table({t(f"instruments.column.{c}"): [row[c] for row in rows] for c in columns})


def _contract_inputs(t: Translator, scenario: Scenario, lang: str) -> None:
    contract = scenario.contract
    if contract is None:
        st.caption(t("exports.print.not_stated"))
        return

    def share(value: float | None) -> str:
        return t("exports.print.not_stated") if value is None else format_percent(value, lang)

    window = contract.payment_window or [1, min(scenario.contract_years, scenario.horizon_years)]
    rows = [
        (t("exports.print.instrument"), t(f"instruments.name.{contract.instrument}")),
        (t("exports.print.outcome_payer"), payer_label(contract.outcome_payer, lang) if contract.outcome_payer
         else t("exports.print.not_stated")),
        *((t("exports.print.price", outcome=name), format_sek(price, lang)) for name, price in contract.prices.items()),
        (t("exports.print.fixed_share"), share(contract.fixed_share)),
        (t("exports.print.threshold"), share(contract.threshold)),
        (t("exports.print.cap"), t("exports.print.no_cap") if contract.cap is None else format_sek(contract.cap, lang)),
        (t("exports.print.payment_window"), t("exports.print.window", first=window[0], last=window[1])),
        (t("exports.print.required_return"), share(contract.investor_required_return)),
        (t("exports.print.fund_share"), share(contract.fund_repayment_share)),
        (t("exports.print.return_cap"), share(contract.return_cap)),
        (t("exports.print.return_floor"), share(contract.return_floor)),
        (t("exports.print.maturity"), t("exports.print.not_stated") if contract.maturity_year is None
         else str(contract.maturity_year)),
        (t("exports.print.grant_share"), share(contract.grant_share)),
        (t("exports.print.provider"), t("exports.print.provider_in_house" if contract.provider_in_house
                                        else "exports.print.provider_external")),
    ]
    _table({t("exports.print.col_input"): [r[0] for r in rows], t("exports.print.col_value"): [r[1] for r in rows]})
    costs = contract.transaction_costs or {}
    if costs:
        st.markdown(f"**{t('exports.print.transaction_heading')}**")
        shown = [i for i in INSTRUMENTS if i in costs]
        _table({t("compare.transaction_instrument"): [t(f"instruments.short.{i}") for i in shown],
                t("compare.transaction_setup"): [format_sek(costs[i].setup, lang) for i in shown],
                t("compare.transaction_per_year"): [format_sek(costs[i].per_year, lang) for i in shown]})
