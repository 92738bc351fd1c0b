"""Input widgets, session state and result tables of the "Jämför instrument" page.

Each function draws one group of contract terms from the *base* contract (what was loaded) and
returns its part of the ``contract`` block as plain JSON-ready data; the engine validates the
whole scenario, so every message about a value comes from one place (engine/scenario.py).
Shares are shown in percent and stored as shares 0..1 (``percent_input``). Widget keys carry the
working copy's round (``key``), so loading another scenario starts the widgets again from the new base.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from engine.i18n import format_sek
from engine.instruments.financing import FinancingSplit, suggested_transaction_costs
from engine.instruments.reading import describe_warning
from engine.instruments.results import InstrumentComparison
from engine.instruments.tables import (
    PARTY_COLUMNS,
    TABLE_COLUMNS,
    comparison_export,
    comparison_rows,
    parties_export,
    party_rows,
    table_amount,
    table_unit,
)
from engine.numbers import LARGEST_AMOUNT as MAX_AMOUNT
from engine.savings.narrative import signed_amount
from engine.scenario import INSTRUMENTS
from ui.calc_inputs import payer_labels, payer_options
from ui.components.number_field import cell_text, number_field, read_cells
from ui.components.percent_input import percent_input
from ui.components.table_with_downloads import Table, table_downloads, table_with_downloads
from ui.frame import Translator
from ui.text import escape_markdown

#: Shown first when a scenario has no contract block: the instrument the app is about.
DEFAULT_INSTRUMENT = "social_outcomes_contract"


# --- widgets ---------------------------------------------------------------------------------------

def instrument_input(t: Translator, contract: dict[str, Any], key: str) -> str:
    """Which instrument the contract uses (the comparison shows all eight anyway)."""
    labels = {i: t(f"instruments.name.{i}") for i in INSTRUMENTS}
    current = contract.get("instrument", DEFAULT_INSTRUMENT)
    return st.selectbox(t("compare.instrument"), list(INSTRUMENTS), index=list(INSTRUMENTS).index(current),
                        format_func=labels.__getitem__, key=f"{key}_instrument", help=t("compare.instrument_help"))


def payer_input(t: Translator, scenario: dict[str, Any], contract: dict[str, Any], default_payer: str,
                key: str, lang: str) -> str:
    """Who pays for outcomes (the outcome payer)."""
    options = payer_options(scenario)
    current = contract.get("outcome_payer") or default_payer
    if current not in options:
        options.append(current)
    return st.selectbox(t("compare.outcome_payer"), options, index=options.index(current),
                        format_func=payer_labels(options, lang).__getitem__, key=f"{key}_payer",
                        help=t("compare.outcome_payer_help"))


def price_inputs(t: Translator, scenario: dict[str, Any], contract: dict[str, Any], suggested: dict[str, float],
                 key: str, lang: str) -> tuple[dict[str, float], dict[str, Any]]:
    """A price per measured unit for each outcome, with the suggested price under it.

    Returns the prices (outcomes left at 0 are not priced) and a place under each price where the
    page can show that price's warning, by outcome name.
    """
    prices: dict[str, float] = {}
    slots: dict[str, Any] = {}
    current = contract.get("prices", {})
    for index, outcome in enumerate(scenario.get("outcomes", [])):
        name = outcome.get("name", "")
        unit = outcome.get("unit")
        # "kr per enhet (dagar)": the scenario's unit is often a plural noun, so it goes in brackets.
        shown = escape_markdown(name)  # a widget label is Markdown
        label = (t("compare.price", outcome=shown, unit=escape_markdown(unit)) if unit
                 else t("compare.price_no_unit", outcome=shown))
        value = number_field(label, float(current.get(name, 0.0)), low=0.0, high=MAX_AMOUNT,
                             key=f"{key}_price_{index}", help=t("compare.price_help")) or 0.0
        ceiling = suggested.get(name, 0.0)
        st.caption(t("compare.suggested_price", price=format_sek(ceiling, lang)) if ceiling > 0
                   else t("compare.no_suggested_price"))
        slots[name] = st.container()
        if value > 0:
            prices[name] = float(value)
    return prices, slots


def payment_inputs(t: Translator, contract: dict[str, Any], horizon: int, contract_years: int,
                   key: str, lang: str) -> dict[str, Any]:
    """Fixed share, threshold, cap and payment window."""
    # Pairs of columns, never columns inside columns: in presenter mode the inputs sit in a
    # narrow column of their own, where nested columns squeeze labels to a letter per line.
    left, right = st.columns(2)
    fixed = percent_input(t("compare.fixed_share"), contract.get("fixed_share", 0.0), step=5.0, decimals=0,
                          key=f"{key}_fixed", help=t("compare.fixed_share_help"), container=left)
    threshold = percent_input(t("compare.threshold"), contract.get("threshold", 0.0), step=0.5, decimals=1,
                              key=f"{key}_threshold", help=t("compare.threshold_help"), container=right)
    first, last = contract.get("payment_window") or [1, min(contract_years, horizon)]
    left, right = st.columns(2)
    first = number_field(t("compare.window_first"), int(first), low=1, high=60, whole=True,
                         key=f"{key}_window_first", help=t("compare.window_help"), container=left) or 1
    last = number_field(t("compare.window_last"), int(last), low=1, high=60, whole=True,
                        key=f"{key}_window_last", help=t("compare.window_help"), container=right) or 1
    cap = number_field(t("compare.cap"), contract.get("cap"), low=0.0, high=MAX_AMOUNT, required=False,
                       key=f"{key}_cap", placeholder=t("compare.no_cap"), help=t("compare.cap_help"))
    terms: dict[str, Any] = {"fixed_share": fixed, "threshold": threshold,
                             "payment_window": [int(first), int(last)]}
    if cap is not None:
        terms["cap"] = float(cap)
    return terms


def investor_inputs(t: Translator, contract: dict[str, Any], key: str) -> dict[str, Any]:
    """The investor's required return (social outcomes contract)."""
    required = percent_input(t("compare.required_return"), contract.get("investor_required_return"), high=50.0,
                             required=False, key=f"{key}_required", placeholder=t("compare.not_stated"),
                             help=t("compare.required_return_help"))
    return {} if required is None else {"investor_required_return": required}


def fund_inputs(t: Translator, contract: dict[str, Any], key: str) -> dict[str, Any]:
    """The share of benefits the delivery cost payer returns to the fund each year."""
    share = percent_input(t("compare.fund_share"), contract.get("fund_repayment_share", 0.5), step=5.0, decimals=0,
                          key=f"{key}_fund_share", help=t("compare.fund_share_help"))
    return {"fund_repayment_share": share}


def bond_inputs(t: Translator, contract: dict[str, Any], key: str) -> dict[str, Any]:
    """Return cap and floor (percent over the whole term, floor may be negative) and maturity year."""
    a, b, c = st.columns(3)
    cap = percent_input(t("compare.return_cap"), contract.get("return_cap", 0.10), low=-100.0, decimals=1,
                        key=f"{key}_return_cap", help=t("compare.return_cap_help"), container=a)
    floor = percent_input(t("compare.return_floor"), contract.get("return_floor", -0.20), low=-100.0, decimals=1,
                          key=f"{key}_return_floor", help=t("compare.return_floor_help"), container=b)
    maturity = number_field(t("compare.maturity"), contract.get("maturity_year"), low=1, high=60, whole=True,
                            required=False, key=f"{key}_maturity", placeholder=t("compare.maturity_default"),
                            help=t("compare.maturity_help"), container=c)
    terms: dict[str, Any] = {"return_cap": cap, "return_floor": floor}
    if maturity is not None:
        terms["maturity_year"] = int(maturity)
    return terms


def iop_inputs(t: Translator, contract: dict[str, Any], key: str) -> dict[str, Any]:
    """The public grant's share of delivery costs (IOP)."""
    grant = percent_input(t("compare.grant_share"), contract.get("grant_share", 1.0), step=5.0, decimals=0,
                          key=f"{key}_grant", help=t("compare.grant_share_help"))
    return {"grant_share": grant}


def internal_inputs(t: Translator, contract: dict[str, Any], key: str) -> dict[str, Any]:
    """Whether the internal outcomes contract's provider is the public body's own unit (its result
    then belongs to the public result) or, as by default, an external provider on outcome terms."""
    in_house = st.toggle(t("compare.provider_in_house"), bool(contract.get("provider_in_house", False)),
                         key=f"{key}_in_house", help=t("compare.provider_in_house_help"))
    # Only written when chosen: a scenario file without the field means an external provider.
    return {"provider_in_house": True} if in_house else {}


def transaction_inputs(t: Translator, contract: dict[str, Any], key: str) -> dict[str, Any]:
    """Each instrument's set-up and running transaction costs, as a table. A scenario that has
    none yet starts from the suggested amounts, each a labelled assumption with its reason."""
    current = contract.get("transaction_costs")
    if current is None:
        current = suggested_transaction_costs()
    frame = pd.DataFrame({
        "instrument": [t(f"instruments.short.{i}") for i in INSTRUMENTS],
        "setup": [cell_text(current.get(i, {}).get("setup", 0.0)) for i in INSTRUMENTS],
        "per_year": [cell_text(current.get(i, {}).get("per_year", 0.0)) for i in INSTRUMENTS],
    })
    st.caption(t("compare.transaction_lead"))
    edited = st.data_editor(
        frame, key=f"{key}_transaction", hide_index=True, num_rows="fixed", width="stretch",
        disabled=["instrument"],
        column_config={
            "instrument": st.column_config.TextColumn(t("compare.transaction_instrument")),
            "setup": st.column_config.TextColumn(t("compare.transaction_setup")),
            "per_year": st.column_config.TextColumn(t("compare.transaction_per_year")),
        })
    # The reasons are whole sentences: under the table, where they wrap, not cut in a cell.
    st.markdown(f"**{t('compare.transaction_reason')}**")
    st.markdown("\n".join(f"- {t(f'instruments.short.{i}')}: {t(f'transaction.reason.{i}')}" for i in INSTRUMENTS))
    setups = read_cells(edited["setup"], key=f"{key}_transaction_setup", column=t("compare.transaction_setup"),
                        low=0, high=MAX_AMOUNT)
    yearly = read_cells(edited["per_year"], key=f"{key}_transaction_per_year",
                        column=t("compare.transaction_per_year"), low=0, high=MAX_AMOUNT)
    # Always written (also when all are zero), so that the suggestions are not offered again.
    return {"transaction_costs": {i: {"setup": setup or 0.0, "per_year": per_year or 0.0}
                                  for i, setup, per_year in zip(INSTRUMENTS, setups, yearly, strict=True)
                                  if setup or per_year}}


def financing_table(t: Translator, splits: dict[str, FinancingSplit], unit: str, lang: str,
                    presenter: bool = False, stem: str = "instrument") -> None:
    """How much of each instrument's difference to traditional procurement is timing (financing)
    and how much is in kronor (outcomes, risk, transaction costs), in the comparison's ``unit``,
    with a warning where the public advantage is financing alone; CSV and XLSX downloads (in
    kronor, as numbers) named after ``stem``."""
    st.markdown(f"**{t('compare.split_heading')}**")
    st.caption(t("compare.split_lead") + " " + t("compare.split_unit", unit=t(f"compare.unit.{unit}")))
    shown = [split for split in splits.values() if abs(split.difference) > 0.5 or abs(split.substance) > 0.5]
    if not shown:
        return
    table = pd.DataFrame({
        t("compare.transaction_instrument"): [t(f"instruments.short.{s.instrument}") for s in shown],
        t("compare.split_difference"): [table_amount(s.difference, unit, lang) for s in shown],
        t("compare.split_financing"): [table_amount(s.financing, unit, lang) for s in shown],
        t("compare.split_substance"): [table_amount(s.substance, unit, lang) for s in shown],
    })
    def numbers() -> dict[str, list[object]]:
        kronor = t("compare.unit.kr")
        return {t("exports.col.instrument"): [t(f"instruments.short.{s.instrument}") for s in shown],
                t("exports.col.difference", unit=kronor): [round(s.difference) + 0.0 for s in shown],
                t("exports.col.financing", unit=kronor): [round(s.financing) + 0.0 for s in shown],
                t("exports.col.substance", unit=kronor): [round(s.substance) + 0.0 for s in shown]}

    if presenter:  # a plain table wraps to the column's width on a projector
        st.table(table.set_index(table.columns[0]))
        table_downloads(t, numbers, f"{stem}-finansiering", "compare_split", lang)
    else:
        table_with_downloads(t, table, f"{stem}-finansiering", "compare_split", lang, export=numbers,
                             hide_index=True, width="stretch")
    for split in shown:
        if split.from_financing_alone:
            st.warning(t("compare.split_warning", instrument=t(f"instruments.short.{split.instrument}"),
                         difference=signed_amount(split.difference, lang, beside=[split.substance]),
                         substance=signed_amount(split.substance, lang, beside=[split.difference])),
                       icon=":material/warning:")


# --- result tables -----------------------------------------------------------------------------------

#: Column widths in pixels: together within the 704 px of the centered layout, so no column hides
#: behind a horizontal scroll at 1440 px; the numbers are short because the unit sits in the caption.
_WIDTHS = {"instrument": 190, "party": 150, "expected": 76, "mean": 82, "p10": 62, "p90": 62, "std": 72, "p_loss": 80,
           "risk_share": 78}
_TEXT_COLUMNS = ("instrument", "party")


def _table(t: Translator, rows: list[dict[str, str]], columns: tuple[str, ...], help_keys: dict[str, str],
           unit_text: str, presenter: bool, downloads: tuple[str, str, str, Table]) -> None:
    """Rows of formatted text as a table with short column labels, and its CSV and XLSX downloads
    (``downloads``: file stem, key, language and the table with numbers the files hold).

    On a normal screen: a dataframe with fixed narrow columns and each label explained in its
    help tooltip. In presenter mode the text is larger and the page may be a 1280 px projector,
    so fixed widths would scroll: a plain table that wraps to the width it gets, with the
    explanations in an expander under it.
    """
    frame = pd.DataFrame(rows, columns=list(columns))
    if not presenter:
        config = {
            column: st.column_config.TextColumn(
                t(f"instruments.column.{column}"), help=t(help_keys[column], unit=unit_text), width=_WIDTHS[column],
                alignment="left" if column in _TEXT_COLUMNS else "right")
            for column in columns
        }
        stem, key, lang, export = downloads
        table_with_downloads(t, frame, stem, key, lang, export=export, hide_index=True, column_config=config,
                             width="content")
        return
    # The simulated mean and the spread in kronor are left out here (the expected case is the figure
    # to quote, P10-P90 give the range, the risk share states the spread relative to traditional
    # procurement): seven or eight columns of large text do not fit a 1280 px projector.
    columns = tuple(c for c in columns if c not in ("mean", "std"))
    frame = frame[list(columns)]
    labels = {column: t(f"instruments.column.{column}") for column in columns}
    numbers = [labels[c] for c in columns if c not in _TEXT_COLUMNS]
    styled = frame.rename(columns=labels).style.set_properties(subset=numbers, **{"text-align": "right"})
    st.table(styled, hide_index=True, border="horizontal")
    table_downloads(t, downloads[3], downloads[0], downloads[1], downloads[2])
    with st.expander(t("compare.columns_explained")):
        st.markdown("\n".join(f"- **{labels[c]}**: {t(help_keys[c], unit=unit_text)}" for c in columns))


def comparison_table(t: Translator, comparison: InstrumentComparison, lang: str, presenter: bool = False,
                     stem: str = "instrument") -> None:
    """The comparison of all eight instruments: short column labels, each explained; downloads
    named after ``stem``."""
    unit_text = t(f"compare.unit.{table_unit(comparison)}")
    hint = "" if presenter else " " + t("compare.hover_hint")
    st.caption(t("compare.table_caption", unit=unit_text) + hint)
    _table(t, comparison_rows(comparison, lang), TABLE_COLUMNS,
           {column: f"instruments.column_help.{column}" for column in TABLE_COLUMNS}, unit_text, presenter,
           (f"{stem}-jamforelse", "compare_table", lang, lambda: comparison_export(comparison, lang)))


def parties_table(t: Translator, comparison: InstrumentComparison, lang: str, presenter: bool = False,
                  stem: str = "instrument") -> None:
    """Every other party's expected result and probability of a loss, per instrument; downloads
    named after ``stem``."""
    unit_text = t(f"compare.unit.{table_unit(comparison)}")
    help_keys = {"instrument": "instruments.column_help.instrument", "party": "instruments.column_help.party",
                 "mean": "instruments.column_help.party_mean", "p_loss": "instruments.column_help.party_p_loss"}
    hint = "" if presenter else " " + t("compare.hover_hint")
    st.caption(t("compare.parties_caption", unit=unit_text) + hint)
    _table(t, party_rows(comparison, lang), PARTY_COLUMNS, help_keys, unit_text, presenter,
           (f"{stem}-parter", "compare_parties", lang, lambda: parties_export(comparison, lang)))


def contract_warnings(t: Translator, warnings, lang: str) -> None:
    """The contract's warnings in words under a heading, or that it has none (page and print view)."""
    if warnings:
        st.markdown(f"**{t('compare.warnings_heading')}**")
        for warning in warnings:
            st.warning(escape_markdown(describe_warning(warning, lang)), icon=":material/warning:")
    else:
        st.success(t("compare.no_warnings"))
