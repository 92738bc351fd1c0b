"""Rendering on the Effektmål page: statistics, checks, forecast and evaluation of one target card.

Each function takes engine results (or calls one engine function per view) and draws them; numbers are
formatted by engine.i18n, sentences come from the catalogs.
"""

from __future__ import annotations

import math

import streamlit as st

from engine.errors import InputError
from engine.i18n import format_number, format_probability
from engine.targets.charts import forecast_chart, its_chart, power_curve_chart
from engine.targets.design import Check, TargetDesign
from engine.targets.evaluation import difference_in_differences, effect_sentence, interrupted_time_series
from engine.targets.forecast import forecast_baseline, target_line
from engine.targets.history import History, Panel
from engine.targets.power import PowerAnswer, PowerCurve
from ui.components.chart_with_downloads import chart_with_downloads
from ui.frame import Translator
from ui.text import escape_markdown

FORECAST_METHODS = ("auto", "trend", "holt")
EVALUATIONS = ("its", "did")


def _decimals(*values: float) -> int:
    """Decimals that suit the largest of the values (so numbers read side by side share them).

    >>> _decimals(10.0, 9.9), _decimals(3.8, 3.34), _decimals(250.0), _decimals(0.05, 0.04)
    (1, 2, 0, 3)
    """
    largest = max((abs(v) for v in values), default=0.0)
    return 0 if largest >= 100 else 1 if largest >= 10 else 2 if largest >= 0.1 else 3


def _amount(value: float | None, lang: str, *like: float) -> str:
    """``value`` with decimals chosen from it and the values ``like`` it is shown next to."""
    if value is None or not math.isfinite(value):
        return "–"
    return format_number(value, lang, _decimals(value, *like))


def statistics_view(t: Translator, design: TargetDesign, answer: PowerAnswer, curve: PowerCurve, stem: str, key: str,
                    lang: str, presenter: bool) -> None:
    """Required n, achieved power and MDE as metrics, a sentence, and the power curve."""
    columns = st.columns(3)
    columns[0].metric(t("targets.stats.needed"), format_number(answer.n_per_group, lang),
                      help=t("targets.stats.needed_help", comparison=format_number(answer.n_comparison, lang))
                      if design.metric != "paired" else t("targets.stats.needed_paired_help"))
    columns[1].metric(t("targets.stats.achieved"), format_probability(answer.achieved_power or 0.0, lang),
                      help=t("targets.stats.achieved_help"))
    columns[2].metric(t("targets.stats.mde"), _amount(answer.mde, lang) + (f" {design.unit}" if design.unit else ""),
                      help=t("targets.stats.mde_help", size=_amount(answer.mde_effect_size, lang)))
    st.caption(t(f"targets.stats.explain_{design.metric}", size=_amount(answer.effect_size, lang),
                 baseline=_amount(design.baseline, lang, design.target_level),
                 target=_amount(design.target_level, lang, design.baseline)))
    chart_with_downloads(t, power_curve_chart(curve, lang, presenter=presenter), f"{stem}-styrka", f"{key}_power", lang)


def checks_view(t: Translator, checks: tuple[Check, ...], lang: str) -> None:
    if not checks:
        st.success(t("targets.checks.none"), icon=":material/check_circle:")
    for check in checks:
        st.warning(escape_markdown(check.message(lang)), icon=":material/warning:")


def forecast_view(t: Translator, design: TargetDesign, history: History, years: int, method: str, stem: str, key: str,
                  lang: str, presenter: bool) -> None:
    forecast = forecast_baseline(history, years, method=method)
    target = (target_line(forecast, reduction=design.target) if design.target_kind == "relative"
              else target_line(forecast, level=design.target))
    ends = [v for v in (forecast.mean[-1], forecast.lower[-1], forecast.upper[-1]) if math.isfinite(v)]
    st.write(t(f"targets.forecast.chosen_{forecast.chosen_by}", method=t(f"targets.forecast.method_{forecast.method}"),
               slope=_amount(forecast.slope_per_year, lang), unit=design.unit,
               first=forecast.periods[0], last=forecast.periods[-1],
               mean=_amount(forecast.mean[-1], lang, *ends), low=_amount(forecast.lower[-1], lang, *ends),
               high=_amount(forecast.upper[-1], lang, *ends)))
    chart_with_downloads(t, forecast_chart(history, forecast, target, design.unit, lang, presenter=presenter),
                         f"{stem}-prognos", f"{key}_forecast", lang)


def its_view(t: Translator, design: TargetDesign, history: History, start: str, stem: str, key: str, lang: str,
             presenter: bool) -> None:
    try:
        estimate = interrupted_time_series(history, start, lang=lang)
    except InputError as problems:
        for problem in problems.problems:
            st.error(problem.message)
        return
    st.info(escape_markdown(effect_sentence(estimate, design.unit, lang)))
    details = dict(estimate.details)
    st.caption(t("targets.eval.its_details", step=_amount(details["step"], lang),
                 slope=_amount(details["slope_change"], lang), n=estimate.observations))
    chart_with_downloads(t, its_chart(history, estimate, start, design.unit, lang, presenter=presenter),
                         f"{stem}-tidsserie", f"{key}_its", lang)


def did_view(t: Translator, design: TargetDesign, panel: Panel, start: str, treated: str, lang: str) -> None:
    try:
        estimate = difference_in_differences(panel, start, treated, lang=lang)
    except InputError as problems:
        for problem in problems.problems:
            st.error(problem.message)
        return
    st.info(escape_markdown(effect_sentence(estimate, design.unit, lang)))
    means = dict(estimate.details)
    st.caption(t("targets.eval.did_details", tb=_amount(means["treated_before"], lang),
                 ta=_amount(means["treated_after"], lang), ob=_amount(means["other_before"], lang),
                 oa=_amount(means["other_after"], lang), n=estimate.observations))
