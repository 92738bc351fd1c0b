"""Input widgets of the Effektmål page: one target card's fields, and the follow-up data.

Each function draws widgets from a *base* design dict (what was loaded or defaulted) and returns plain
JSON-ready data; the engine validates it (engine/targets/design.py), so every message about a value
comes from one place. Widget keys carry the page's round number and the outcome index, so loading
another scenario starts every widget again from the new base.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from engine.errors import InputError
from engine.numbers import LARGEST_AMOUNT as MAX_AMOUNT
from engine.targets.design import COUNTERFACTUALS, DATA_SOURCES, FREQUENCIES
from engine.targets.history import (
    History,
    Panel,
    check_upload_size,
    history_from_rows,
    panel_from_rows,
    read_history_csv,
)
from engine.targets.panel_units import read_panel_with_units
from ui.components.number_field import number_field
from ui.components.percent_input import percent_input
from ui.frame import Translator
from ui.text import escape_markdown

METRIC_CHOICES: tuple[str, ...] = ("proportion", "mean", "paired")


def _labels(t: Translator, prefix: str, options: tuple[str, ...]) -> dict[str, str]:
    return {option: t(f"{prefix}.{option}") for option in options}


def definition_inputs(t: Translator, base: dict[str, Any], key: str) -> dict[str, Any]:
    """What is counted, unit, data source, who validates, how often it is measured."""
    left, right = st.columns(2)
    counted = left.text_input(t("targets.f.counted"), base.get("counted", ""), key=f"{key}_counted",
                              help=t("targets.f.counted_help"))
    unit = right.text_input(t("targets.f.unit"), base.get("unit", ""), key=f"{key}_unit")
    sources = _labels(t, "targets.source", DATA_SOURCES)
    source = left.selectbox(t("targets.f.data_source"), list(sources), index=list(sources).index(base["data_source"]),
                            format_func=sources.get, key=f"{key}_source")
    note = right.text_input(t("targets.f.data_source_note"), base.get("data_source_note", ""), key=f"{key}_note",
                            help=t("targets.f.data_source_note_help"))
    validated = left.text_input(t("targets.f.validated_by"), base.get("validated_by", ""), key=f"{key}_validated",
                                help=t("targets.f.validated_by_help"))
    every = _labels(t, "targets.every", FREQUENCIES)
    frequency = right.selectbox(t("targets.f.frequency"), list(every), index=list(every).index(base["frequency"]),
                                format_func=every.get, key=f"{key}_frequency")
    return {"counted": counted, "unit": unit, "data_source": source, "data_source_note": note,
            "validated_by": validated, "frequency": frequency}


def target_inputs(t: Translator, base: dict[str, Any], key: str) -> dict[str, Any]:
    """Baseline with year and source, counterfactual method, target, time to effect, window, price."""
    left, middle, right = st.columns(3)
    baseline = number_field(t("targets.f.baseline"), float(base["baseline"]), low=0.0, high=MAX_AMOUNT,
                            key=f"{key}_baseline", help=t("targets.f.baseline_help"), container=left)
    year = number_field(t("targets.f.baseline_year"), int(base["baseline_year"]), low=1990, high=2100, whole=True,
                        group=False, key=f"{key}_year", container=middle)
    source = right.text_input(t("targets.f.baseline_source"), base.get("baseline_source", ""), key=f"{key}_bsource")
    methods = _labels(t, "targets.counterfactual", COUNTERFACTUALS)
    counterfactual = st.selectbox(t("targets.f.counterfactual"), list(methods),
                                  index=list(methods).index(base["counterfactual"]), format_func=methods.get,
                                  key=f"{key}_counterfactual", help=t("targets.f.counterfactual_help"))
    kinds = {"relative": t("targets.f.kind_relative"), "absolute": t("targets.f.kind_absolute")}
    kind = st.radio(t("targets.f.target_kind"), list(kinds), index=list(kinds).index(base["target_kind"]),
                    format_func=kinds.get, horizontal=True, key=f"{key}_kind")
    left, middle, right = st.columns(3)
    if kind == "relative":
        share = base["target"] if base["target_kind"] == "relative" else 0.10
        target = percent_input(t("targets.f.target_relative"), float(share), key=f"{key}_target_rel", container=left)
    else:
        shown = base["target"] if base["target_kind"] == "absolute" else base["baseline"] * (1 - base["target"])
        target = number_field(t("targets.f.target_absolute"), float(shown), low=0.0, high=MAX_AMOUNT,
                              key=f"{key}_target_abs", container=left)
    months_to_effect = number_field(t("targets.f.time_to_effect"), int(base["time_to_effect_months"]), low=0,
                                    high=240, whole=True, key=f"{key}_tte", help=t("targets.f.time_to_effect_help"),
                                    container=middle)
    window = number_field(t("targets.f.window"), int(base["measurement_window_months"]), low=1, high=240, whole=True,
                          key=f"{key}_window", help=t("targets.f.window_help"), container=right)
    price = number_field(t("targets.f.price"), base.get("price"), low=0.0, high=MAX_AMOUNT, required=False,
                         key=f"{key}_price", help=t("targets.f.price_help"), placeholder=t("targets.f.no_price"))
    data: dict[str, Any] = {"baseline": baseline, "baseline_year": int(year or base["baseline_year"]),
                            "baseline_source": source, "counterfactual": counterfactual, "target_kind": kind,
                            "target": float(target or 0.0), "time_to_effect_months": int(months_to_effect or 0),
                            "measurement_window_months": int(window or 1)}
    if price is not None:
        data["price"] = float(price)
    return data


def statistics_inputs(t: Translator, base: dict[str, Any], key: str) -> dict[str, Any]:
    """The statistical design: metric, spread, significance, power, planned group, group ratio."""
    metrics = _labels(t, "targets.metric", METRIC_CHOICES)
    left, middle, right = st.columns(3)
    metric = left.selectbox(t("targets.f.metric"), list(metrics), index=list(metrics).index(base["metric"]),
                            format_func=metrics.get, key=f"{key}_metric", help=t("targets.f.metric_help"))
    data: dict[str, Any] = {"metric": metric}
    if metric != "proportion":
        sd = number_field(t("targets.f.sd"), base.get("sd"), low=0.0, high=MAX_AMOUNT, required=False,
                          key=f"{key}_sd", help=t("targets.f.sd_help"), container=middle)
        if sd is not None:
            data["sd"] = float(sd)
    if metric == "paired":
        data["correlation"] = number_field(t("targets.f.correlation"), float(base.get("correlation", 0.5)),
                                           low=-0.99, high=0.99, key=f"{key}_correlation",
                                           help=t("targets.f.correlation_help"), container=right)
    left, middle, right = st.columns(3)
    data["planned_n"] = int(number_field(t("targets.f.planned_n"), int(base.get("planned_n") or 2), low=2,
                                         high=10_000_000, whole=True, key=f"{key}_n",
                                         help=t("targets.f.planned_n_help"), container=left) or 2)
    data["power"] = percent_input(t("targets.f.power"), base["power"], low=1.0, high=99.0, step=5.0,
                                  key=f"{key}_power", container=middle)
    data["alpha"] = percent_input(t("targets.f.alpha"), base["alpha"], low=0.1, high=50.0, key=f"{key}_alpha",
                                  help=t("targets.f.alpha_help"), container=right)
    if metric != "paired":
        data["ratio"] = float(number_field(t("targets.f.ratio"), float(base.get("ratio", 1.0)), low=0.1, high=100.0,
                                           key=f"{key}_ratio", help=t("targets.f.ratio_help")) or 1.0)
    return data


# --------------------------------------------------------------------------- follow-up data


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple[object, ...]]:
    return [tuple(None if pd.isna(cell) else cell for cell in row) for row in frame[columns].itertuples(index=False)]


def _blank(rows: list[tuple[object, ...]]) -> bool:
    return not any(str(cell).strip() for row in rows for cell in row if cell is not None)


def history_input(t: Translator, key: str, lang: str, *, proportion: bool = False) -> History | None:
    """A history from an uploaded CSV (wins when given) or the table; problems are shown here, under the
    input, and None is returned. None without a message when nothing has been entered yet."""
    upload = st.file_uploader(t("targets.data.upload"), type=["csv", "txt"], key=f"{key}_upload",
                              help=t("targets.data.upload_help"))
    frame = st.data_editor(pd.DataFrame({"period": pd.Series(dtype="str"), "value": pd.Series(dtype="str")}),
                           num_rows="dynamic", hide_index=True, width="stretch", key=f"{key}_table",
                           column_config={"period": st.column_config.TextColumn(t("targets.data.period")),
                                          "value": st.column_config.TextColumn(t("targets.data.value"))},
                           disabled=upload is not None)
    try:
        if upload is not None:
            check_upload_size(upload.size, lang)
            history = read_history_csv(upload.getvalue(), lang, proportion=proportion)
            if history.by_position:  # say which columns were read, since their headings were not the expected ones
                st.caption(t("targets.data.no_headings") if history.columns == ("1", "2") else
                           t("targets.data.by_position", period=escape_markdown(history.columns[0]),
                             value=escape_markdown(history.columns[1])))
            return history
        rows = _rows(frame, ["period", "value"])
        if _blank(rows):
            st.caption(t("targets.data.empty"))
            return None
        return history_from_rows(rows, lang, proportion=proportion)
    except InputError as problems:
        for problem in problems.problems:
            st.error(escape_markdown(problem.message))  # may quote the file's own text
        return None


def panel_input(t: Translator, key: str, lang: str) -> tuple[Panel, tuple[str, ...]] | None:
    """A panel (period, group, value) from an uploaded CSV or the table, as :func:`history_input`, with
    the file's optional unit ids (one per panel row; empty without the column, and for the table)."""
    upload = st.file_uploader(t("targets.data.upload_panel"), type=["csv", "txt"], key=f"{key}_upload",
                              help=t("evaluation.upload_panel_help"))
    frame = st.data_editor(pd.DataFrame({"period": pd.Series(dtype="str"), "group": pd.Series(dtype="str"),
                                         "value": pd.Series(dtype="str")}),
                           num_rows="dynamic", hide_index=True, width="stretch", key=f"{key}_table",
                           column_config={"period": st.column_config.TextColumn(t("targets.data.period")),
                                          "group": st.column_config.TextColumn(t("targets.data.group")),
                                          "value": st.column_config.TextColumn(t("targets.data.value"))},
                           disabled=upload is not None)
    try:
        if upload is not None:
            check_upload_size(upload.size, lang, "panel")
            return read_panel_with_units(upload.getvalue(), lang)
        rows = _rows(frame, ["period", "group", "value"])
        if _blank(rows):
            st.caption(t("targets.data.empty"))
            return None
        return panel_from_rows(rows, lang), ()
    except InputError as problems:
        for problem in problems.problems:
            st.error(escape_markdown(problem.message))  # may quote the file's own text
        return None
