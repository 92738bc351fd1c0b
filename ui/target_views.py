"""Rendering on the Effektmål page: statistics, checks, forecast and evaluation of one target card.

Each function takes engine results (or calls one engine function per view) and draws them; numbers are
formatted by engine.i18n, sentences come from the catalogs.
"""

from __future__ import annotations

import math

import streamlit as st

from engine.errors import InputError
from engine.i18n import format_measure, format_number, format_probability
from engine.numbers import LARGEST_AMOUNT as MAX_AMOUNT
from engine.targets.charts import forecast_chart, its_chart, power_curve_chart
from engine.targets.design import Check, TargetDesign
from engine.targets.evaluation import (
    EffectEstimate,
    difference_in_differences,
    effect_sentence,
    evaluation_warnings,
    inference_sentence,
    interrupted_time_series,
)
from engine.targets.forecast import forecast_baseline, target_line
from engine.targets.history import History, Panel
from engine.targets.power import PowerAnswer, PowerCurve, PowerQuestion, analyse_power, mde_text
from ui.components.chart_with_downloads import chart_with_downloads
from ui.components.number_field import field_problems, number_field
from ui.components.percent_input import percent_input
from ui.frame import Translator
from ui.text import escape_markdown

FORECAST_METHODS = ("auto", "trend", "holt")
EVALUATIONS = ("its", "did")


def statistics_view(t: Translator, design: TargetDesign, answer: PowerAnswer, curve: PowerCurve, stem: str, key: str,
                    lang: str, presenter: bool, footnote: str | None = None) -> None:
    """Required n, achieved power and MDE as metrics, a sentence, and the power curve (its exported
    images with ``footnote``, as the forecast's and the time series')."""
    columns = st.columns(3)
    columns[0].metric(t("targets.stats.needed"), format_number(answer.n_per_group, lang),
                      help=t("targets.stats.needed_help", comparison=format_number(answer.n_comparison, lang))
                      if design.metric != "paired" else t("targets.stats.needed_paired_help"))
    columns[1].metric(t("targets.stats.achieved"), format_probability(answer.achieved_power or 0.0, lang),
                      help=t("targets.stats.achieved_help"))
    columns[2].metric(t("targets.stats.mde"), escape_markdown(mde_text(answer, design.unit, lang)),
                      help=t("targets.stats.mde_help", size=format_measure(answer.mde_effect_size, lang)))
    st.caption(t(f"targets.stats.explain_{design.metric}", size=format_measure(answer.effect_size, lang),
                 baseline=format_measure(design.baseline, lang, design.target_level),
                 target=format_measure(design.target_level, lang, design.baseline)))
    chart_with_downloads(t, power_curve_chart(curve, lang, presenter=presenter), f"{stem}-styrka", f"{key}_power", lang,
                         footnote)


def checks_view(t: Translator, checks: tuple[Check, ...], lang: str) -> None:
    if not checks:
        st.success(t("targets.checks.none"), icon=":material/check_circle:")
    for check in checks:
        st.warning(escape_markdown(check.message(lang)), icon=":material/warning:")


def forecast_view(t: Translator, design: TargetDesign, history: History, years: int, method: str, stem: str, key: str,
                  lang: str, presenter: bool, footnote: str | None = None) -> None:
    forecast = forecast_baseline(history, years, method=method)
    target = (target_line(forecast, reduction=design.target) if design.target_kind == "relative"
              else target_line(forecast, level=design.target))
    ends = [v for v in (forecast.mean[-1], forecast.lower[-1], forecast.upper[-1]) if math.isfinite(v)]
    st.write(t(f"targets.forecast.chosen_{forecast.chosen_by}", method=t(f"targets.forecast.method_{forecast.method}"),
               slope=format_measure(forecast.slope_per_year, lang), unit=escape_markdown(design.unit),
               first=forecast.periods[0], last=forecast.periods[-1],
               mean=format_measure(forecast.mean[-1], lang, *ends), low=format_measure(forecast.lower[-1], lang, *ends),
               high=format_measure(forecast.upper[-1], lang, *ends)))
    chart_with_downloads(t, forecast_chart(history, forecast, target, design.unit, lang, presenter=presenter),
                         f"{stem}-prognos", f"{key}_forecast", lang, footnote)


def its_view(t: Translator, design: TargetDesign, history: History, start: str, stem: str, key: str, lang: str,
             presenter: bool, footnote: str | None = None) -> None:
    try:
        estimate = interrupted_time_series(history, start, lang=lang)
    except InputError as problems:
        for problem in problems.problems:
            st.error(escape_markdown(problem.message))  # may quote the typed start period
        return
    st.info(escape_markdown(effect_sentence(estimate, design.unit, lang)))
    details = dict(estimate.details)
    st.caption(t("evaluation.its_details", step=format_measure(details["step"], lang),
                 slope=format_measure(details["slope_change"], lang), n=estimate.observations))
    _how_and_warnings(estimate, lang)
    chart_with_downloads(t, its_chart(history, estimate, start, design.unit, lang, presenter=presenter),
                         f"{stem}-tidsserie", f"{key}_its", lang, footnote)


def did_view(t: Translator, design: TargetDesign, panel: Panel, start: str, treated: str, lang: str,
             units: tuple[str, ...] = ()) -> None:
    try:
        estimate = difference_in_differences(panel, start, treated, lang=lang, units=units or None)
    except InputError as problems:
        for problem in problems.problems:
            st.error(escape_markdown(problem.message))  # may quote the typed start or group
        return
    st.info(escape_markdown(effect_sentence(estimate, design.unit, lang)))
    means = dict(estimate.details)
    st.caption(t("evaluation.did_details", tb=format_measure(means["treated_before"], lang),
                 ta=format_measure(means["treated_after"], lang), ob=format_measure(means["other_before"], lang),
                 oa=format_measure(means["other_after"], lang), n=estimate.observations))
    _how_and_warnings(estimate, lang)


def _how_and_warnings(estimate: EffectEstimate, lang: str) -> None:
    """How the interval was made, then what it cannot carry: the page must not promise more than the
    method gives (a short series, strong autocorrelation, one comparison group)."""
    st.caption(inference_sentence(estimate, lang))
    for warning in evaluation_warnings(estimate, lang):
        st.warning(warning, icon=":material/info:")


def quick_power_view(t: Translator, lang: str) -> None:
    """A power calculator from the numbers alone, without a scenario: a share, a mean of two groups or
    before-after on the same people; participants needed, and with a planned group its power and the
    smallest effect it detects. Problems stand under the inputs."""
    metrics = {m: t(f"targets.metric.{m}") for m in ("proportion", "mean", "paired")}
    metric = st.radio(t("targets.f.metric"), list(metrics), format_func=metrics.get, horizontal=True,
                      key="quick_metric", help=t("targets.f.metric_help"))
    left, middle, right = st.columns(3)
    if metric == "proportion":
        baseline = percent_input(t("targets.quick.baseline_share"), 0.30, key="quick_baseline_share", decimals=1,
                                 container=left)
        target = percent_input(t("targets.quick.target_share"), 0.40, key="quick_target_share", decimals=1,
                               container=middle)
        sd = None
    else:
        baseline = number_field(t("targets.quick.baseline"), 12.0, low=-MAX_AMOUNT, high=MAX_AMOUNT,
                                key="quick_baseline", container=left)
        target = number_field(t("targets.quick.target"), 10.0, low=-MAX_AMOUNT, high=MAX_AMOUNT, key="quick_target",
                              container=middle)
        sd = number_field(t("targets.f.sd"), 6.0, low=0.0, high=MAX_AMOUNT, key="quick_sd",
                          help=t("targets.quick.sd_help"), container=right)
    left, middle, right = st.columns(3)
    n = number_field(t("targets.quick.n"), None, low=2, high=10_000_000, whole=True, required=False, key="quick_n",
                     placeholder=t("targets.quick.n_none"), help=t("targets.f.planned_n_help"), container=left)
    power = percent_input(t("targets.f.power"), 0.8, low=1.0, high=99.0, step=5.0, key="quick_power",
                          container=middle)
    alpha = percent_input(t("targets.f.alpha"), 0.05, low=0.1, high=50.0, key="quick_alpha",
                          help=t("targets.f.alpha_help"), container=right)
    if any(field.startswith("quick_") for field in field_problems()):
        return  # the message stands at the field; no answer from a value the user did not write
    question = PowerQuestion(metric=metric, baseline=float(baseline or 0.0), target=float(target or 0.0),
                             sd=None if sd is None else float(sd), alpha=float(alpha or 0.0),
                             power=float(power or 0.0), n=None if n is None else int(n))
    try:
        answer = analyse_power(question, lang)
    except InputError as problems:
        for problem in problems.problems:
            st.error(escape_markdown(problem.message))
        return
    columns = st.columns(3)
    columns[0].metric(t("targets.stats.needed"), format_number(answer.n_per_group, lang),
                      help=t("targets.stats.needed_paired_help") if metric == "paired"
                      else t("targets.stats.needed_help", comparison=format_number(answer.n_comparison, lang)))
    columns[1].metric(t("targets.stats.achieved"), "–" if answer.achieved_power is None
                      else format_probability(answer.achieved_power, lang), help=t("targets.stats.achieved_help"))
    columns[2].metric(t("targets.stats.mde"), mde_text(answer, "", lang),
                      help=t("targets.stats.mde_help", size=format_measure(answer.mde_effect_size, lang)))
