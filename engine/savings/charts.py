"""Plotly figures for the savings model and its uncertainty, in Swedish or English.

Every builder takes an engine result and ``lang`` and returns a new
:class:`plotly.graph_objects.Figure`; nothing is drawn or written here, so the same figure goes
to the screen (``st.plotly_chart``) and to a PNG/SVG file (:mod:`engine.output.export`). The builders
follow the conventions of :mod:`engine.output.style` (years and the contract window, amounts and
units, signs, colours, identifiers in ``meta`` and ``name``, presenter sizes) and draw with its
helpers.

>>> from engine.scenario import parse_scenario
>>> from engine.savings.model import project_savings
>>> scenario = parse_scenario({
...     "format": "utfallskompassen.scenario/1", "name": "Exempel", "price_year": 2025,
...     "discount_rate": 0.0, "horizon_years": 3, "contract_years": 1, "intake": [10],
...     "costs": [{"name": "Insats", "payer": "kommun", "per_participant": 1000}],
...     "outcomes": [{"name": "Dagar", "baseline": 10, "effect": 0.5, "effect_profile": [1, 1, 1],
...                   "values": {"kommun": 50, "stat": 50}}]})
>>> figure = benefits_costs_chart(project_savings(scenario), "sv")
>>> [trace.meta for trace in figure.data]
['benefit:kommun', 'benefit:stat', 'cost:kommun', 'net']
>>> [(trace.name, trace.showlegend) for trace in figure.data][:3]  # one legend entry per payer
[('Kommunen', True), ('Staten', True), ('Kommunen', False)]
>>> [(s.name, s.x0, s.x1) for s in figure.layout.shapes]
[('contract_window', 0.5, 1.5)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from engine.i18n import (
    DEFAULT_LANGUAGE,
    format_number,
    format_percent,
    format_probability,
    normalise_language,
    translate,
)
from engine.output.chart_text import chart_text
from engine.output.style import (
    BAND_COLOUR,
    BASE_FONT_SIZE,
    LABEL_BACKGROUND,
    NET_COLOUR,
    TEXT_COLOUR,
    Scale,
    amount_axis,
    amount_axis_layout,
    apply_style,
    empty_figure,
    merged,
    padded_range,
    payer_colours,
    scale_for,
    set_titles,
    sizes_for,
    style_layout,
    titles_layout,
    total_line,
    wrap_label,
    year_axis_layout,
)
from engine.payers import payer_label
from engine.savings.model import SavingsProjection
from engine.savings.uncertainty import SavingsSimulation, TornadoRow, tornado_label

__all__ = [
    # The builders.
    "benefits_costs_chart",
    "cumulative_chart",
    "fan_chart",
    "tornado_chart",
    "who_pays_who_saves_chart",
]

# Tornado ends: light and dark, told apart by lightness alone (Paul Tol's cyan and indigo).
_LOW_COLOUR = "#88CCEE"
_HIGH_COLOUR = "#332288"


# --------------------------------------------------------------------------- builders


def _year_figure(traces: list, lang: str, presenter: bool, *, horizon: int, contract_years: int, amount_key: str,
                 scale: Scale, title: str, subtitle: str, showlegend: bool = True,
                 marks: Sequence[tuple[dict, dict]] = (), **layout: object) -> go.Figure:
    """A chart over the model years as :func:`apply_style`, :func:`year_axis`, :func:`amount_axis` (y)
    and :func:`set_titles` draw it, then ``marks`` (pairs of a shape and its label) and ``layout``.

    The layout is put together as plain data and the figure made in one step: plotly checks every
    property it is given, and each update of a finished figure (``update_layout``, ``add_shape``
    ...) costs about as much as making the whole figure. The cumulative chart, redrawn on every
    change on the calculation page, took some 80 ms step by step and takes under 10 ms this way.
    """
    sizes = sizes_for(presenter)
    style, axis = style_layout(lang, presenter, traces, showlegend=showlegend)
    x_axis, window, window_label = year_axis_layout(horizon, contract_years, lang, sizes)
    figure_layout = merged(style, {
        "xaxis": merged(axis, x_axis),
        "yaxis": merged(axis, amount_axis_layout(amount_key, scale, lang)),
        "shapes": [window, *(shape for shape, _ in marks)],
        "annotations": [window_label, *(label for _, label in marks)],
    })
    if not showlegend:
        figure_layout["showlegend"] = False
    figure_layout = merged(figure_layout, titles_layout(figure_layout, title, subtitle))
    return go.Figure(data=traces, layout=merged(figure_layout, layout))


def cumulative_chart(projection: SavingsProjection, lang: str = DEFAULT_LANGUAGE, *,
                     presenter: bool = False) -> go.Figure:
    """When does it pay off: the cumulative discounted net CDN(t) of all payers by year.

    One line with a point per year (SEK, present value at the start of year 1, summed over years
    1..t), the contract window shaded, the zero line, and, when the projection breaks even, a
    dashed vertical line ``break_even`` at ``projection.break_even_year`` with its label. When it
    never breaks even, the subtitle says so instead.

    Trace roles (``meta``): ``cumulative_net``.
    """
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    cdn = projection.cumulative_discounted_net
    scale = scale_for(cdn)
    line = total_line("cumulative_net", translate("charts.cumulative.trace", lang), projection.years.tolist(), cdn,
                      scale, lang, sizes)
    subtitle = translate("charts.cumulative.subtitle", lang, price_year=projection.price_year)
    year = projection.break_even_year
    marks: list[tuple[dict, dict]] = []
    if year is None:
        subtitle += ". " + translate("charts.cumulative.no_break_even", lang, years=projection.horizon_years)
    else:
        # Bottom right of the line: after break-even the curve is above zero, so this corner is free.
        # In the last half of the horizon the label stands left of the line, or it would run off the chart.
        late = year > projection.horizon_years / 2
        marks.append((
            {"type": "line", "name": "break_even", "xref": "x", "yref": "paper", "x0": year, "x1": year, "y0": 0,
             "y1": 1, "line": {"color": NET_COLOUR, "width": sizes.line * 0.6, "dash": "dash"}},
            {"name": "break_even_label", "text": translate("charts.break_even", lang, year=year), "xref": "x",
             "yref": "paper", "x": year, "y": 0, "xanchor": "right" if late else "left", "yanchor": "bottom",
             "xshift": -6 if late else 6, "yshift": 6, "showarrow": False,
             "font": {"size": sizes.font, "color": TEXT_COLOUR}, "bgcolor": LABEL_BACKGROUND},
        ))
    return _year_figure([line], lang, presenter, horizon=projection.horizon_years,
                        contract_years=projection.contract_years, amount_key="charts.axis.cumulative", scale=scale,
                        title=translate("charts.cumulative.title", lang), subtitle=subtitle, showlegend=False,
                        marks=marks, hovermode="x unified")


def benefits_costs_chart(projection: SavingsProjection, lang: str = DEFAULT_LANGUAGE, *,
                         presenter: bool = False) -> go.Figure:
    """Benefits and costs per year, stacked by budget holder, with the net line.

    Benefits B_p(t) are solid bars above zero, costs K_p(t) hatched bars below zero (drawn as
    −K_p(t)), each in the payer's colour; the black line is N(t) = benefits − costs. Amounts are
    SEK per year in ``price_year`` prices, *not* discounted. Payers with nothing in a series get
    no bar trace for it. The legend has one entry per payer (its benefit and cost bars are one
    legend group, so a click hides both) and one for the net; hover texts say which is which.
    The contract window is shaded.

    Trace roles (``meta``): ``benefit:<payer>`` for each payer with benefits, then
    ``cost:<payer>`` for each payer with costs (both in ``projection.payers`` order), then ``net``.
    """
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    colours = payer_colours(projection.payers)
    scale = scale_for(projection.benefits, projection.costs, projection.net_by_year)
    years = projection.years.tolist()
    traces = []
    in_legend: set[str] = set()
    for kind, rows, sign in (("benefit", projection.benefits_by_payer, 1.0),
                             ("cost", projection.costs_by_payer, -1.0)):
        for payer, series in zip(projection.payers, rows, strict=True):
            if not np.any(series):
                continue
            colour = colours[payer]
            marker: dict[str, object] = {"color": colour, "line": {"color": colour, "width": 1}}
            if kind == "cost":
                marker["pattern"] = {"shape": "/", "fgcolor": colour, "bgcolor": "white", "solidity": 0.45}
            label = chart_text(payer_label(payer, lang))
            what = translate(f"charts.flows.{kind}", lang, payer=label)
            traces.append(go.Bar(
                meta=f"{kind}:{payer}", name=label, legendgroup=payer, showlegend=payer not in in_legend,
                x=years, y=scale.scaled(sign * series), marker=marker,
                customdata=[scale.text(v, lang) for v in series],
                hovertemplate=f"{what}: %{{customdata}}<extra></extra>",
            ))
            in_legend.add(payer)
    net_name = translate("charts.net", lang)
    traces.append(total_line("net", net_name, years, projection.net_by_year, scale, lang, sizes, net_name))
    return _year_figure(traces, lang, presenter, horizon=projection.horizon_years,
                        contract_years=projection.contract_years, amount_key="charts.axis.per_year", scale=scale,
                        title=translate("charts.flows.title", lang),
                        subtitle=translate("charts.flows.subtitle", lang, price_year=projection.price_year),
                        barmode="relative", hovermode="x unified")


def who_pays_who_saves_chart(projection: SavingsProjection, lang: str = DEFAULT_LANGUAGE, *,
                             presenter: bool = False) -> go.Figure:
    """Per budget holder: present value of its costs, of its benefits and its net, side by side.

    Horizontal bars, one group per payer (``projection.payers`` order, top to bottom): costs
    PV(K_p) drawn to the left as a negative amount (hatched, labelled as a positive cost),
    benefits PV(B_p) to the right (solid), both in the payer's colour, and the net
    PV(B_p) − PV(K_p) in black. Each bar carries its amount as text, so "the savings land
    elsewhere" reads without hovering. SEK, present value at the start of year 1 over the whole
    horizon. The figure grows with the number of payers.

    Trace roles (``meta``): ``costs``, ``benefits``, ``net`` (one bar per payer in each).
    """
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    payers = list(projection.payers)
    height = round((170 + 105 * max(1, len(payers))) * sizes.font / BASE_FONT_SIZE)
    fig = go.Figure(layout={"height": max(height, 300)})
    set_titles(fig, translate("charts.who_pays.title", lang),
               translate("charts.who_pays.subtitle", lang, years=projection.horizon_years,
                      price_year=projection.price_year))
    if not payers:
        return empty_figure(apply_style(fig, lang, presenter), lang, sizes)
    colours = [payer_colours(payers)[p] for p in payers]
    labels = [wrap_label(chart_text(payer_label(p, lang)), 24) for p in payers]
    costs = [projection.pv_costs_by_payer[p] for p in payers]
    benefits = [projection.pv_benefits_by_payer[p] for p in payers]
    net = [projection.npv_by_payer[p] for p in payers]
    scale = scale_for(costs, benefits, net)
    series = (
        ("costs", "charts.who_pays.costs", [-c for c in costs], costs,
         {"color": colours, "line": {"color": colours, "width": 1},
          "pattern": {"shape": "/", "fgcolor": colours, "bgcolor": "white", "solidity": 0.45}}),
        ("benefits", "charts.who_pays.benefits", benefits, benefits,
         {"color": colours, "line": {"color": colours, "width": 1}}),
        ("net", "charts.net", net, net, {"color": NET_COLOUR}),
    )
    drawn_all: list[float] = []
    for role, key, drawn, shown, marker in series:
        name = translate(key, lang)
        texts = [scale.text(v, lang) for v in shown]
        drawn_all += scale.scaled(drawn)
        fig.add_trace(go.Bar(
            meta=role, name=name, orientation="h", y=labels, x=scale.scaled(drawn), marker=marker,
            text=texts, textposition="outside", cliponaxis=False,
            textfont={"size": sizes.font, "color": TEXT_COLOUR},
            customdata=texts, hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
        ))
    apply_style(fig, lang, presenter)
    amount_axis(fig, "x", "charts.axis.present_value", scale, lang)
    fig.update_xaxes(range=padded_range(drawn_all, 0.3))
    fig.update_yaxes(autorange="reversed", showgrid=False, zeroline=False, ticks="", showline=False)
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.08, hovermode="y unified")
    return fig


def fan_chart(simulation: SavingsSimulation, lang: str = DEFAULT_LANGUAGE, *,
              presenter: bool = False) -> go.Figure:
    """Uncertainty of the cumulative discounted net: the P10–P90 band and the median by year.

    The band holds 8 of 10 Monte Carlo draws in each year (each year's percentiles are taken
    separately, so an edge is not the path of one draw); the black line is the median. SEK,
    present value at the start of year 1. The contract window is shaded, and the subtitle gives
    in words the probabilities of breaking even within the contract period and within the
    horizon, in whole percent (``<1 %`` and ``>99 %`` rather than rounding to 0 or 100).

    Trace roles (``meta``): ``p10``, ``p90`` (filled down to p10: the band), ``p50``.
    """
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    years = simulation.years.tolist()
    scale = scale_for(simulation.cdn_p10, simulation.cdn_p90, simulation.cdn_p50)
    traces = []
    edge = {"width": 0.5, "color": "rgba(0, 0, 0, 0.35)"}
    median = translate("charts.fan.median", lang)
    for role, values, extra in (
        ("p10", simulation.cdn_p10, {"name": "P10", "showlegend": False}),
        ("p90", simulation.cdn_p90, {"name": translate("charts.fan.band", lang), "fill": "tonexty",
                                     "fillcolor": BAND_COLOUR}),
    ):
        traces.append(go.Scatter(
            meta=role, x=years, y=scale.scaled(values), mode="lines", line=edge, **extra,
            customdata=[scale.text(v, lang) for v in values],
            hovertemplate=f"{role.upper()}: %{{customdata}}<extra></extra>",
        ))
    traces.append(total_line("p50", median, years, simulation.cdn_p50, scale, lang, sizes, median))
    return _year_figure(traces, lang, presenter, horizon=len(years), contract_years=simulation.contract_years,
                        amount_key="charts.axis.cumulative", scale=scale, title=translate("charts.fan.title", lang),
                        subtitle=translate("charts.fan.subtitle", lang, years=len(years),
                                           p_contract=format_probability(simulation.p_break_even_within_contract, lang),
                                           p_horizon=format_probability(simulation.p_break_even_within_horizon, lang)),
                        hovermode="x unified")


def _parameter_value(row: TornadoRow, value: float, lang: str) -> str:
    """A tornado parameter value as people read it: shares in percent, multipliers as ×0,8.

    >>> row = TornadoRow("cost_multiplier", None, 0.8, 1.0, 1.25, 0, 0, 0)
    >>> _parameter_value(row, 0.8, "sv"), _parameter_value(row, 1.25, "en"), _parameter_value(row, 1.0, "sv")
    ('×0,8', '×1.25', '×1')
    """
    if row.parameter in ("value_multiplier", "cost_multiplier"):
        text = format_number(value, lang, 2).rstrip("0").rstrip(",.")
        return "×" + text
    return format_percent(value, lang)


def tornado_chart(rows: Sequence[TornadoRow], lang: str = DEFAULT_LANGUAGE, *,
                  presenter: bool = False) -> go.Figure:
    """One-at-a-time sensitivity: for each parameter the NPV at its low and its high value.

    Horizontal bars start at the base-case NPV (the black vertical line, in the legend with its
    amount) and end at the NPV with that one parameter at its low end (light) or high end
    (dark); the parameter value is written at the end of each bar. Rows are sorted by swing
    |NPV(high) − NPV(low)|, the largest on top; labels come from
    :func:`engine.savings.uncertainty.tornado_label`. SEK, present value. The figure grows with the rows.

    Trace roles (``meta``): ``low``, ``high`` (one bar per row in each), ``base_npv``.
    """
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    ordered = sorted(rows, key=lambda row: row.swing, reverse=True)
    height = round((190 + 62 * max(1, len(ordered))) * sizes.font / BASE_FONT_SIZE)
    fig = go.Figure(layout={"height": max(height, 300)})
    set_titles(fig, translate("charts.tornado.title", lang), translate("charts.tornado.subtitle", lang))
    if not ordered:
        return empty_figure(apply_style(fig, lang, presenter), lang, sizes)
    base = ordered[0].npv_base
    scale = scale_for([base], [r.npv_low for r in ordered], [r.npv_high for r in ordered])
    labels = [chart_text(tornado_label(r, lang)) for r in ordered]
    # Positions rather than label categories, so two rows with the same label stay two rows.
    positions = list(range(len(ordered)))
    tolerance = 1e-9 * max(abs(e) for r in ordered for e in (r.npv_base, r.npv_low, r.npv_high))
    flat = [abs(r.npv_low - r.npv_base) <= tolerance and abs(r.npv_high - r.npv_base) <= tolerance for r in ordered]
    for end, colour in (("low", _LOW_COLOUR), ("high", _HIGH_COLOUR)):
        end_name = translate(f"charts.tornado.{end}", lang)
        npvs = [r.npv_low if end == "low" else r.npv_high for r in ordered]
        values = [_parameter_value(r, r.low if end == "low" else r.high, lang) for r in ordered]
        hover = [f"{label}<br>{end_name} ({value}): {scale.text(npv, lang)}"
                 for label, value, npv in zip(labels, values, npvs, strict=True)]
        # Both ends of a parameter that changes nothing would be written on the same spot: write
        # the range once instead ("0 %–15 %").
        texts = [
            ("" if end == "low" else f"{_parameter_value(r, r.low, lang)}–{value}") if is_flat else value
            for r, value, is_flat in zip(ordered, values, flat, strict=True)
        ]
        fig.add_trace(go.Bar(
            meta=end, name=end_name, orientation="h", y=positions,
            base=[r.npv_base / scale.divisor for r in ordered],
            x=[(npv - r.npv_base) / scale.divisor for npv, r in zip(npvs, ordered, strict=True)],
            marker={"color": colour, "line": {"color": colour, "width": 1}},
            text=texts, textposition="outside", cliponaxis=False,
            textfont={"size": round(sizes.font * 0.9), "color": TEXT_COLOUR},
            customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        ))
    base_name = translate("charts.tornado.base", lang, amount=scale.text(base, lang))
    fig.add_trace(go.Scatter(
        meta="base_npv", name=base_name, mode="lines", x=[base / scale.divisor] * 2,
        y=[-0.5, len(ordered) - 0.5], line={"color": NET_COLOUR, "width": sizes.line * 0.6},
        hovertemplate=f"{base_name}<extra></extra>",
    ))
    apply_style(fig, lang, presenter)
    amount_axis(fig, "x", "charts.axis.npv", scale, lang)
    ends = [base, *(r.npv_low for r in ordered), *(r.npv_high for r in ordered)]
    fig.update_xaxes(range=padded_range([e / scale.divisor for e in ends], 0.12))
    fig.update_yaxes(tickmode="array", tickvals=positions, ticktext=[wrap_label(label, 30) for label in labels],
                     range=[len(ordered) - 0.5, -0.5], showgrid=False, zeroline=False, ticks="", showline=False)
    fig.update_layout(barmode="overlay", bargap=0.35, hovermode="closest")
    return fig
