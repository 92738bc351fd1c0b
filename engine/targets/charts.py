"""Plotly figures for effect targets: power curve, baseline forecast with the target, interrupted time series.

Styled with :mod:`engine.output.style` like every chart (same fonts, grid, title and legend placement, number
format and presenter sizes). Every trace has a stable role in ``meta`` and the marks tests look for a ``name``.

>>> from engine.targets.power import PowerQuestion, power_curve
>>> figure = power_curve_chart(power_curve(PowerQuestion("mean", baseline=10, target=5, sd=10, n=40)), "sv")
>>> [trace.meta for trace in figure.data], [shape.name for shape in figure.layout.shapes]
(['power_curve'], ['wanted_power', 'required_n', 'planned_n'])

The forecast chart keeps the periods in time order although the band is drawn first:

>>> from engine.targets.forecast import forecast_baseline
>>> history = History(("2019", "2020", "2021"), (3.0, 2.8, 2.7), "year", (2019, 2020, 2021))
>>> chart = forecast_chart(history, forecast_baseline(history, 2, method="trend"), None, "dagar", "sv")
>>> list(chart.layout.xaxis.categoryarray), [trace.meta for trace in chart.data]
(['2019', '2020', '2021', '2022', '2023'], ['forecast_band', 'history', 'forecast'])
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, translate
from engine.output.chart_text import chart_text
from engine.output.style import BAND_COLOUR, MUTED_TEXT, NET_COLOUR, apply_style, set_titles, sizes_for
from engine.targets.evaluation import EffectEstimate
from engine.targets.forecast import Forecast
from engine.targets.history import History, parse_period
from engine.targets.power import PowerCurve

_CURVE_COLOUR = "#0072B2"  # Okabe-Ito blue
_TARGET_COLOUR = "#D55E00"  # vermillion: the target stands out from the data
_PLANNED_COLOUR = "#009E73"


def _vertical(fig: go.Figure, name: str, x: float, label: str, colour: str, sizes, dash: str) -> None:
    fig.add_shape(type="line", name=name, xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                  line={"color": colour, "width": sizes.line, "dash": dash})
    fig.add_annotation(name=f"{name}_label", text=label, xref="x", yref="paper", x=x, y=1, xanchor="left",
                       yanchor="top", xshift=4, showarrow=False, font={"size": sizes.font, "color": colour},
                       bgcolor="rgba(255, 255, 255, 0.85)")


def power_curve_chart(curve: PowerCurve, lang: str = DEFAULT_LANGUAGE, *, presenter: bool = False) -> go.Figure:
    """Achieved power (0..100 %) against participants per group, with the wanted power, the required
    group size and the planned group size marked."""
    sizes = sizes_for(presenter)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=list(curve.n), y=[p * 100 for p in curve.power], mode="lines", meta="power_curve",
        name=translate("targets.chart.power", lang), line={"color": _CURVE_COLOUR, "width": sizes.line * 1.5},
        customdata=[format_percent(p, lang, 0) for p in curve.power],
        hovertemplate=translate("targets.chart.power_hover", lang, n="%{x}", power="%{customdata}") + "<extra></extra>",
    ))
    fig.add_shape(type="line", name="wanted_power", xref="paper", yref="y", x0=0, x1=1, y0=curve.wanted_power * 100,
                  y1=curve.wanted_power * 100, line={"color": MUTED_TEXT, "width": sizes.line, "dash": "dot"})
    _vertical(fig, "required_n", curve.required_n,
              translate("targets.chart.required", lang, n=format_number(curve.required_n, lang)), NET_COLOUR, sizes,
              "dash")
    if curve.planned_n is not None:
        _vertical(fig, "planned_n", curve.planned_n,
                  translate("targets.chart.planned", lang, n=format_number(curve.planned_n, lang)), _PLANNED_COLOUR,
                  sizes, "solid")
    fig.update_layout(showlegend=False)
    set_titles(fig, translate("targets.chart.power_title", lang),
               translate("targets.chart.power_subtitle", lang, wanted=format_percent(curve.wanted_power, lang, 0)))
    fig.update_xaxes(title={"text": translate("targets.chart.n_axis", lang)}, rangemode="tozero")
    fig.update_yaxes(title={"text": translate("targets.chart.power_axis", lang)}, range=[0, 102], ticksuffix=" %"
                     if lang == "sv" else "%")
    return apply_style(fig, lang, presenter)


def forecast_chart(history: History, forecast: Forecast, target: Sequence[float] | None, unit: str,
                   lang: str = DEFAULT_LANGUAGE, *, presenter: bool = False) -> go.Figure:
    """The measured history, the forecast without the intervention with its prediction band, and the
    target line over the forecast periods."""
    sizes = sizes_for(presenter)
    fig = go.Figure()
    band_x = list(forecast.periods) + list(reversed(forecast.periods))
    band_y = list(forecast.upper) + list(reversed(forecast.lower))
    fig.add_trace(go.Scatter(x=band_x, y=band_y, fill="toself", fillcolor=BAND_COLOUR, line={"width": 0},
                             hoverinfo="skip", meta="forecast_band",
                             name=translate("targets.chart.band", lang, level=format_percent(forecast.level, lang, 0))))
    fig.add_trace(go.Scatter(x=list(history.periods), y=list(history.values), mode="lines+markers", meta="history",
                             name=translate("targets.chart.history", lang),
                             line={"color": NET_COLOUR, "width": sizes.line}, marker={"size": sizes.marker}))
    fig.add_trace(go.Scatter(x=[history.periods[-1], *forecast.periods], y=[history.values[-1], *forecast.mean],
                             mode="lines", meta="forecast", name=translate(f"targets.chart.forecast_{forecast.method}", lang),
                             line={"color": _CURVE_COLOUR, "width": sizes.line * 1.5, "dash": "dash"}))
    if target is not None:
        fig.add_trace(go.Scatter(x=list(forecast.periods), y=list(target), mode="lines", meta="target",
                                 name=translate("targets.chart.target", lang),
                                 line={"color": _TARGET_COLOUR, "width": sizes.line * 1.5}))
    set_titles(fig, translate("targets.chart.forecast_title", lang), translate("targets.chart.forecast_subtitle", lang))
    # Periods are categories: the band is drawn first, so the order must be given, not inferred.
    fig.update_xaxes(title={"text": translate("targets.chart.period_axis", lang)}, type="category",
                     categoryorder="array", categoryarray=[*history.periods, *forecast.periods])
    fig.update_yaxes(title={"text": chart_text(unit) or translate("targets.chart.value_axis", lang)})
    return apply_style(fig, lang, presenter)


def its_chart(history: History, estimate: EffectEstimate, start: str, unit: str, lang: str = DEFAULT_LANGUAGE, *,
              presenter: bool = False) -> go.Figure:
    """Follow-up data with the segmented fit and the continued pre-trend (the counterfactual)."""
    sizes = sizes_for(presenter)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=list(history.periods), y=list(history.values), mode="markers", meta="observed",
                             name=translate("targets.chart.observed", lang),
                             marker={"color": NET_COLOUR, "size": sizes.marker + 2}))
    fig.add_trace(go.Scatter(x=list(history.periods), y=list(estimate.fitted), mode="lines", meta="fitted",
                             name=translate("targets.chart.fitted", lang),
                             line={"color": _CURVE_COLOUR, "width": sizes.line * 1.5}))
    parsed = parse_period(start)
    first = parsed[1] if parsed else history.index[0]
    after = [i for i, index in enumerate(history.index) if index >= first]
    fig.add_trace(go.Scatter(x=[history.periods[i] for i in after], y=[estimate.counterfactual[i] for i in after],
                             mode="lines", meta="counterfactual", name=translate("targets.chart.counterfactual", lang),
                             line={"color": _TARGET_COLOUR, "width": sizes.line * 1.5, "dash": "dash"}))
    set_titles(fig, translate("targets.chart.its_title", lang), translate("targets.chart.its_subtitle", lang))
    fig.update_xaxes(title={"text": translate("targets.chart.period_axis", lang)}, type="category")
    fig.update_yaxes(title={"text": chart_text(unit) or translate("targets.chart.value_axis", lang)})
    return apply_style(fig, lang, presenter)
