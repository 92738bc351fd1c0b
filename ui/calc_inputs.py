"""Input widgets of the Långsiktig kalkyl page, grouped the way a procurer thinks.

Each function draws one group from a *base* scenario dict (what was loaded) and returns the
part of the draft scenario it is responsible for, as plain JSON-ready data. The page joins the
parts, and the engine validates the whole; nothing here checks ranges beyond what a widget can
express, so every message about a value comes from one place (engine/scenario.py).

Widget keys carry a *round* number: loading another scenario starts a new round, so widgets
start again from the new base instead of keeping the old values.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from engine.numbers import LARGEST_AMOUNT as MAX_AMOUNT
from engine.payers import KNOWN_PAYERS, payer_label
from engine.savings.narrative import build_effect_profile, describe_effect_profile
from ui.components.number_field import cell_text, number_field, read_cells
from ui.components.percent_input import percent_input, to_percent, to_share
from ui.frame import Translator


def _clean(value: Any) -> Any:
    """A cell from a data editor as JSON data: NaN/None become None, whole floats stay floats."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def payer_options(base: dict[str, Any]) -> list[str]:
    """The budget holders offered in selection lists: the known ones, then any the scenario uses."""
    used = [c.get("payer") for c in base.get("costs", [])]
    used += [p for o in base.get("outcomes", []) for p in o.get("values", {})]
    return list(dict.fromkeys([*KNOWN_PAYERS, *(p for p in used if p)]))


def payer_labels(options: list[str], lang: str) -> dict[str, str]:
    return {p: payer_label(p, lang) for p in options}


def _year_numbers(count: int) -> pd.RangeIndex:
    """Row labels for a table with one row per year: year 1 is the first contract year, as in the
    charts (a range index, so a row the user adds is numbered on from the last)."""
    return pd.RangeIndex(1, count + 1)


def intake_editor(t: Translator, base: dict[str, Any], key: str) -> list[float]:
    """Participants starting each year (row 1 = year 1)."""
    frame = pd.DataFrame({"participants": [cell_text(v) for v in base["intake"]]},
                         index=_year_numbers(len(base["intake"])), dtype=object)
    edited = st.data_editor(
        frame, key=key, num_rows="dynamic", hide_index=False, width="stretch",
        column_config={"_index": st.column_config.NumberColumn(t("calc.year_column"), disabled=True),
                       "participants": st.column_config.TextColumn(t("calc.intake_column"),
                                                                   help=t("calc.intake_help"))},
    )
    counts = read_cells(edited["participants"], key=key, column=t("calc.intake_column"), low=0, high=MAX_AMOUNT)
    return [count or 0.0 for count in counts]


def costs_editor(t: Translator, base: dict[str, Any], key: str, lang: str) -> list[dict[str, Any]]:
    """Cost items: who pays, delivery or other, per participant or per year (and which years)."""
    columns = ["name", "payer", "kind", "per_participant", "per_year", "first_year", "last_year"]
    frame = pd.DataFrame([{c: item.get(c) for c in columns} for item in base.get("costs", [])], columns=columns)
    for column in ("per_participant", "per_year"):
        frame[column] = [cell_text(v) for v in frame[column]]
    for column in ("first_year", "last_year"):
        frame[column] = [cell_text(v, group=False) for v in frame[column]]
    frame = frame.astype(object)
    options = payer_options(base)
    kinds = {"delivery": t("calc.kind_delivery"), "other": t("calc.kind_other")}
    edited = st.data_editor(
        frame, key=key, num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "name": st.column_config.TextColumn(t("calc.cost_name"), help=t("calc.cost_name_help")),
            "payer": st.column_config.SelectboxColumn(t("calc.cost_payer"), options=options,
                                                      format_func=payer_labels(options, lang).__getitem__,
                                                      help=t("calc.cost_payer_help")),
            "kind": st.column_config.SelectboxColumn(t("calc.cost_kind"), options=list(kinds),
                                                     format_func=kinds.__getitem__, help=t("calc.cost_kind_help"),
                                                     default="delivery"),
            "per_participant": st.column_config.TextColumn(t("calc.cost_per_participant"),
                                                           help=t("calc.cost_per_participant_help")),
            "per_year": st.column_config.TextColumn(t("calc.cost_per_year"), help=t("calc.cost_per_year_help")),
            "first_year": st.column_config.TextColumn(t("calc.cost_first_year"), help=t("calc.cost_years_help")),
            "last_year": st.column_config.TextColumn(t("calc.cost_last_year"), help=t("calc.cost_years_help")),
        },
    )
    numbers = {
        "per_participant": read_cells(edited["per_participant"], key=f"{key}_pp", column=t("calc.cost_per_participant"),
                                      low=0, high=MAX_AMOUNT),
        "per_year": read_cells(edited["per_year"], key=f"{key}_py", column=t("calc.cost_per_year"), low=0,
                               high=MAX_AMOUNT),
        "first_year": read_cells(edited["first_year"], key=f"{key}_fy", column=t("calc.cost_first_year"), low=1,
                                 high=60, whole=True),
        "last_year": read_cells(edited["last_year"], key=f"{key}_ly", column=t("calc.cost_last_year"), low=1,
                                high=60, whole=True),
    }
    costs = []
    for index, row in enumerate(edited.to_dict("records")):
        item = {c: _clean(row.get(c)) for c in columns} | {c: read[index] for c, read in numbers.items()}
        if all(item[c] is None for c in columns):
            continue  # an empty row the user added and left
        cost: dict[str, Any] = {"name": item["name"] or "", "payer": item["payer"] or "", "kind": item["kind"] or "delivery"}
        for field in ("per_participant", "per_year"):
            if item[field] is not None:
                cost[field] = float(item[field])
        for field in ("first_year", "last_year"):
            if item[field] is not None:
                cost[field] = int(item[field])
        costs.append(cost)
    return costs


def outcome_inputs(t: Translator, outcome: dict[str, Any], index: int, key: str, lang: str,
                   payers: list[str]) -> dict[str, Any]:
    """One outcome: what is counted, baseline, effect and its range, how long it lasts, deadweight, values."""
    k = f"{key}_o{index}"
    left, right = st.columns(2)
    name = left.text_input(t("calc.outcome_name"), outcome.get("name", ""), key=f"{k}_name", max_chars=200,
                           help=t("calc.outcome_name_help"))
    unit = right.text_input(t("calc.outcome_unit"), outcome.get("unit", ""), key=f"{k}_unit", max_chars=200,
                            help=t("calc.outcome_unit_help"))
    baseline = number_field(t("calc.baseline"), float(outcome.get("baseline", 0.0)), low=0.0, high=MAX_AMOUNT,
                            key=f"{k}_baseline", help=t("calc.baseline_help"), container=left)
    deadweight = percent_input(t("calc.deadweight"), outcome.get("deadweight", 0.0), key=f"{k}_deadweight",
                               help=t("calc.deadweight_help"), container=right)
    effect = percent_input(t("calc.effect"), outcome.get("effect", 0.0), key=f"{k}_effect",
                           help=t("calc.effect_help"), container=left)
    low_default, high_default = outcome.get("effect_range") or [outcome.get("effect", 0.0)] * 2
    low = percent_input(t("calc.effect_low"), low_default, key=f"{k}_low", help=t("calc.effect_range_help"),
                        container=right)
    high = percent_input(t("calc.effect_high"), high_default, key=f"{k}_high", help=t("calc.effect_range_help"),
                         container=right)

    profile = _profile_inputs(t, outcome.get("effect_profile", [1.0]), k)

    st.markdown(f"**{t('calc.values_heading')}**")
    values_frame = pd.DataFrame({"payer": list(outcome.get("values", {})),
                                 "value": [cell_text(v) for v in outcome.get("values", {}).values()]}, dtype=object)
    edited = st.data_editor(
        values_frame, key=f"{k}_values", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "payer": st.column_config.SelectboxColumn(t("calc.value_payer"), options=payers,
                                                      format_func=payer_labels(payers, lang).__getitem__,
                                                      help=t("calc.value_payer_help")),
            "value": st.column_config.TextColumn(t("calc.value_amount"), help=t("calc.value_amount_help")),
        },
    )
    amounts = read_cells(edited["value"], key=f"{k}_values", column=t("calc.value_amount"), low=0, high=MAX_AMOUNT)
    values: dict[str, float] = {}
    for row, value in zip(edited.to_dict("records"), amounts, strict=True):
        payer = _clean(row.get("payer"))
        if payer is None and value is None:
            continue
        values[payer or ""] = float(value or 0.0)

    result: dict[str, Any] = {"name": name, "unit": unit, "baseline": float(baseline),
                              "effect": effect, "effect_profile": profile,
                              "deadweight": deadweight, "values": values}
    if outcome.get("effect_range") is not None or low != high:
        result["effect_range"] = [low, high]
    return result


def _profile_inputs(t: Translator, profile: list[float], k: str) -> list[float]:
    described = describe_effect_profile(profile)
    modes = {"build": t("calc.profile_build"), "edit": t("calc.profile_edit")}
    mode = st.radio(t("calc.profile_mode"), list(modes), index=0 if described else 1, horizontal=True,
                    format_func=modes.__getitem__, key=f"{k}_profile_mode", help=t("calc.profile_help"))
    if mode == "build":
        ramp, full, fade = described or (0, len(profile), 0)
        a, b, c = st.columns(3)
        ramp = number_field(t("calc.ramp_up"), ramp, low=0, high=60, whole=True, key=f"{k}_ramp",
                            help=t("calc.ramp_up_help"), container=a)
        full = number_field(t("calc.full_years"), full, low=0, high=60, whole=True, key=f"{k}_full",
                            help=t("calc.full_years_help"), container=b)
        fade = number_field(t("calc.fade_out"), fade, low=0, high=60, whole=True, key=f"{k}_fade",
                            help=t("calc.fade_out_help"), container=c)
        built = build_effect_profile(int(ramp or 0), int(full or 0), int(fade or 0))
        st.caption(t("calc.profile_preview", profile=" · ".join(f"{round(v * 100)}" for v in built)))
        return built
    frame = pd.DataFrame({"share": [cell_text(to_percent(v)) for v in profile]}, index=_year_numbers(len(profile)),
                         dtype=object)
    edited = st.data_editor(frame, key=f"{k}_profile_table", num_rows="dynamic", hide_index=False, width="stretch",
                            column_config={"_index": st.column_config.NumberColumn(t("calc.year_column"), disabled=True),
                                           "share": st.column_config.TextColumn(t("calc.profile_share"))})
    shares = read_cells(edited["share"], key=f"{k}_profile_table", column=t("calc.profile_share"), low=0, high=100,
                        percent=True)
    return [to_share(v) for v in shares if v is not None] or [0.0]


def time_inputs(t: Translator, base: dict[str, Any], key: str) -> dict[str, Any]:
    """Horizon, contract period, discount rate (with its source), optimism bias, price year."""
    left, right = st.columns(2)
    horizon = number_field(t("field.horizon_years"), int(base["horizon_years"]), low=1, high=60, whole=True,
                           key=f"{key}_horizon", help=t("field.horizon_years_help"), container=left)
    contract = number_field(t("field.contract_years"), int(base["contract_years"]), low=1, high=60, whole=True,
                            key=f"{key}_contract", help=t("field.contract_years_help"), container=right)
    rate = percent_input(t("field.discount_rate"), base["discount_rate"], high=25.0, step=0.1, decimals=2,
                         key=f"{key}_rate", help=t("field.discount_rate_help"), container=left)
    bias = percent_input(t("calc.optimism_bias"), base.get("optimism_bias", 0.0), key=f"{key}_bias",
                         help=t("calc.optimism_bias_help"), container=right)
    price_year = number_field(t("field.price_year"), int(base["price_year"]), low=1990, high=2100, whole=True,
                              group=False, key=f"{key}_price_year", help=t("field.price_year_help"), container=left)
    st.caption(t("calc.discount_source"))
    return {"horizon_years": int(horizon or 1), "contract_years": int(contract or 1), "discount_rate": rate,
            "optimism_bias": bias, "price_year": int(price_year or base["price_year"])}


def uncertainty_inputs(t: Translator, base: dict[str, Any], key: str) -> dict[str, Any] | None:
    """Ranges (in % of the base value) for all values and all costs, for the Monte Carlo."""
    current = base.get("uncertainty") or {}
    value_low, value_high = current.get("value_range") or [1.0, 1.0]
    cost_low, cost_high = current.get("cost_range") or [1.0, 1.0]
    a, b, c, d = st.columns(4)
    multiplier = {"high": 1000.0, "step": 5.0}
    value_low = percent_input(t("calc.value_low"), value_low, key=f"{key}_value_low",
                              help=t("calc.value_range_help"), container=a, **multiplier)
    value_high = percent_input(t("calc.value_high"), value_high, key=f"{key}_value_high",
                               help=t("calc.value_range_help"), container=b, **multiplier)
    cost_low = percent_input(t("calc.cost_low"), cost_low, key=f"{key}_cost_low",
                             help=t("calc.cost_range_help"), container=c, **multiplier)
    cost_high = percent_input(t("calc.cost_high"), cost_high, key=f"{key}_cost_high",
                              help=t("calc.cost_range_help"), container=d, **multiplier)
    ranges = {}
    if "value_range" in current or value_low != 1 or value_high != 1:
        ranges["value_range"] = [value_low, value_high]
    if "cost_range" in current or cost_low != 1 or cost_high != 1:
        ranges["cost_range"] = [cost_low, cost_high]
    return ranges or None
