"""Plotly figures for the instrument comparison and one contract's money, in Swedish or English.

Same conventions as every chart (:mod:`engine.output.style`, whose helpers these builders use): years
1..H on x with the contract period shaded, amounts in real SEK of the price year (millions from
1 000 000 kr), Swedish number format, stable trace roles in ``meta`` and named shapes, and
``presenter=True`` for a projector. Each builder returns a new figure and draws nothing.

>>> from engine.scenario import parse_scenario
>>> from engine.instruments.contract import contract_cash_flows
>>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
...     "discount_rate": 0, "horizon_years": 3, "contract_years": 2, "intake": [10],
...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "effect_profile": [1, 1, 1],
...                   "values": {"kommun": 100}}],
...     "contract": {"instrument": "social_outcomes_contract", "prices": {"o": 120}, "payment_window": [1, 3]}})
>>> figure = investor_chart(contract_cash_flows(s), "en")
>>> [trace.meta for trace in figure.data], figure.layout.title.subtitle.text  # -4 000, +6 000, +6 000
(['cash_flow', 'cumulative'], 'Internal rate of return (IRR): 119%; money<br>multiple 1.80')
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, normalise_language, translate
from engine.instruments.results import ContractResult, InstrumentComparison
from engine.output.chart_text import chart_text
from engine.output.style import (
    NET_COLOUR,
    amount_axis,
    apply_style,
    empty_figure,
    scale_for,
    set_titles,
    sizes_for,
    total_line,
    wrap_label,
    year_axis,
)

#: One colour per instrument family (Okabe-Ito, as in engine.output.style): the public buys the service
#: (grey), pays for outcomes (blue), someone else finances (green), shares with a partner (purple).
_INSTRUMENT_COLOURS: dict[str, str] = {
    "traditional_procurement": "#737373",
    "reserved_procurement": "#999999",
    "outcome_based_procurement": "#0072B2",
    "internal_outcomes_contract": "#56B4E9",
    "social_outcomes_contract": "#009E73",
    "social_investment_fund": "#E69F00",
    "social_bond": "#D55E00",
    "iop": "#CC79A7",
}
_OUTCOME_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
#: The eight boxes need more room than a year chart.
_BOX_HEIGHT = 560
_BOX_HEIGHT_PRESENTER = 720
_WINDOW_FILL = "rgba(0, 158, 115, 0.55)"
_POSITIVE = "#009E73"
_NEGATIVE = "#D55E00"


def instrument_label(instrument: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The instrument's Swedish or English name in its short form, as in the comparison table, so
    that the axis leaves room for the boxes (on a projector above all).

    >>> instrument_label("outcome_based_procurement", "sv")
    'Utfallsbaserad upphandling'
    """
    return translate(f"instruments.short.{instrument}", lang)


def public_distribution_chart(comparison: InstrumentComparison, lang: str = DEFAULT_LANGUAGE, *,
                              presenter: bool = False) -> go.Figure:
    """The public sector's NPV under each instrument over the same draws: one horizontal box per
    instrument (box P25-P75, line at the median, whiskers P10-P90, a diamond at the mean). A
    narrow box means the public carries little risk; its position says how good the deal is.

    Boxes are drawn from the quantiles, not from every draw, so the figure stays small. Trace
    roles (``meta``): ``box:<instrument>`` in :data:`engine.scenario.INSTRUMENTS` order (top to
    bottom), then ``mean``. The chosen instrument's name is bold.
    """
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    instruments = list(comparison.instruments)
    quantiles = {i: np.quantile(o.public_npv_draws, (0.10, 0.25, 0.50, 0.75, 0.90))
                 for i, o in comparison.instruments.items()}
    scale = scale_for(*quantiles.values())
    names = []
    for instrument in instruments:
        name = wrap_label(instrument_label(instrument, lang), 26)
        names.append(f"<b>{name}</b>" if instrument == comparison.chosen else name)
    fig = go.Figure(layout={"showlegend": False, "height": _BOX_HEIGHT_PRESENTER if presenter else _BOX_HEIGHT})
    for instrument, name in zip(instruments, names, strict=True):
        p10, p25, p50, p75, p90 = scale.scaled(quantiles[instrument])
        fig.add_trace(go.Box(
            meta=f"box:{instrument}", name=name, orientation="h", y=[name],
            q1=[p25], median=[p50], q3=[p75], lowerfence=[p10], upperfence=[p90],
            fillcolor=_INSTRUMENT_COLOURS[instrument], line={"color": NET_COLOUR, "width": sizes.line * 0.5},
            hoverinfo="skip",
        ))
    means = [comparison.instruments[i].public.mean for i in instruments]
    fig.add_trace(go.Scatter(
        meta="mean", name=translate("instruments.chart.mean", lang), x=scale.scaled(means), y=names, mode="markers",
        marker={"symbol": "diamond", "size": sizes.marker * 1.4, "color": "white",
                "line": {"color": NET_COLOUR, "width": 2}},
        customdata=[[scale.text(m, lang), scale.text(q[0], lang), scale.text(q[4], lang)]
                    for m, q in zip(means, (quantiles[i] for i in instruments), strict=True)],
        hovertemplate=translate("instruments.chart.box_hover", lang) + "<extra></extra>",
    ))
    apply_style(fig, lang, presenter)
    fig.update_yaxes(autorange="reversed", showgrid=False, zeroline=False)
    fig.update_xaxes(title={"text": translate("instruments.chart.public_axis", lang, unit=scale.axis_unit(lang))})
    fig.add_vline(x=0, line={"color": NET_COLOUR, "width": sizes.grid * 2})
    set_titles(fig, translate("instruments.chart.distribution_title", lang),
               translate("instruments.chart.distribution_subtitle", lang, draws=format_number(comparison.draws, lang)))
    return fig


def payments_chart(result: ContractResult, lang: str = DEFAULT_LANGUAGE, *, presenter: bool = False) -> go.Figure:
    """Outcome payments by year against the contract: stacked bars per outcome (after window,
    threshold and cap; SEK per year, undiscounted), open markers where the cap cut a year's
    payment (what would have been paid), the contract period shaded as in every year chart and
    the payment window as a green band (shape ``payment_window``) along the bottom, over the bars'
    feet so that it shows where they stand (in print as well), named in the subtitle.

    Trace roles (``meta``): ``payment:<outcome>`` for outcomes with payments, ``uncapped`` when
    the cap binds. Without any payment the figure says there is nothing to show.
    """
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    years = result.years.tolist()
    fig = go.Figure()
    scale = scale_for(result.outcome_payments_uncapped_by_year)
    for index, (outcome, series) in enumerate(result.outcome_payments_by_outcome.items()):
        if not np.any(series):
            continue
        colour = _OUTCOME_COLOURS[index % len(_OUTCOME_COLOURS)]
        name = chart_text(outcome)
        fig.add_trace(go.Bar(
            meta=f"payment:{outcome}", name=name, x=years, y=scale.scaled(series), marker={"color": colour},
            customdata=[scale.text(v, lang) for v in series], hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
        ))
    if not fig.data:
        apply_style(fig, lang, presenter)
        set_titles(fig, translate("instruments.chart.payments_title", lang),
                   translate("instruments.chart.no_payments", lang))
        return empty_figure(fig, lang, sizes)
    cut = result.outcome_payments_uncapped_by_year - result.outcome_payments_by_year > 1e-6
    if cut.any():
        uncapped = result.outcome_payments_uncapped_by_year
        fig.add_trace(go.Scatter(
            meta="uncapped", name=translate("instruments.chart.uncapped", lang),
            x=[y for y, c in zip(years, cut, strict=True) if c], y=scale.scaled(uncapped[cut]), mode="markers",
            marker={"symbol": "line-ew-open", "size": sizes.marker * 3, "color": NET_COLOUR,
                    "line": {"width": sizes.line * 0.7, "color": NET_COLOUR}},
            customdata=[scale.text(v, lang) for v in uncapped[cut]],
            hovertemplate=translate("instruments.chart.uncapped", lang) + ": %{customdata}<extra></extra>",
        ))
    apply_style(fig, lang, presenter)
    year_axis(fig, len(years), result.contract_years, lang, sizes)
    first, last = result.payment_window
    fig.add_shape(type="rect", name="payment_window", xref="x", yref="paper", x0=first - 0.5, x1=last + 0.5,
                  y0=0, y1=0.04, fillcolor=_WINDOW_FILL, line={"width": 0}, layer="above")
    amount_axis(fig, "y", "charts.axis.per_year", scale, lang)
    subtitle = translate("instruments.chart.payments_subtitle", lang, total=scale.text(result.outcome_payments_total, lang),
                         price_year=result.price_year, first=first, last=last)
    if result.cap is not None:
        subtitle += " · " + translate("instruments.chart.cap", lang, cap=scale.text(result.cap, lang))
    set_titles(fig, translate("instruments.chart.payments_title", lang), subtitle)
    fig.update_layout(barmode="stack", hovermode="x unified")
    return fig


def investor_chart(result: ContractResult, lang: str = DEFAULT_LANGUAGE, *, presenter: bool = False) -> go.Figure:
    """The social outcomes contract's investor: cash flow per year (bars, green when money comes
    back, red when the investor pays delivery costs; SEK, undiscounted) and the cumulative cash
    flow (black line). The subtitle gives the IRR (or says there is none) and the money multiple.

    Trace roles (``meta``): ``cash_flow``, ``cumulative``. ``result`` must be a social outcomes
    contract (``investor_cash_flow_by_year`` not None); otherwise ``ValueError``.
    """
    if result.investor_cash_flow_by_year is None:
        raise ValueError("investor_chart needs the result of a social outcomes contract")
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    flow = result.investor_cash_flow_by_year
    cumulative = np.cumsum(flow)
    years = result.years.tolist()
    scale = scale_for(flow, cumulative)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        meta="cash_flow", name=translate("instruments.chart.cash_flow", lang), x=years, y=scale.scaled(flow),
        marker={"color": [_POSITIVE if v >= 0 else _NEGATIVE for v in flow]},
        customdata=[scale.text(v, lang) for v in flow],
        hovertemplate=translate("instruments.chart.cash_flow", lang) + ": %{customdata}<extra></extra>",
    ))
    name = translate("instruments.chart.cumulative", lang)
    fig.add_trace(total_line("cumulative", name, years, cumulative, scale, lang, sizes, name))
    apply_style(fig, lang, presenter)
    year_axis(fig, len(years), result.contract_years, lang, sizes)
    amount_axis(fig, "y", "charts.axis.per_year", scale, lang)
    irr = (translate("instruments.irr_undefined", lang) if result.investor_irr is None
           else format_percent(result.investor_irr, lang, 0 if abs(result.investor_irr) >= 0.1 else 1))
    multiple = "–" if result.investor_multiple is None else format_number(result.investor_multiple, lang, 2)
    set_titles(fig, translate("instruments.chart.investor_title", lang),
               translate("instruments.chart.investor_subtitle", lang, irr=irr, multiple=multiple))
    fig.update_layout(hovermode="x unified")
    return fig


def fund_chart(result: ContractResult, lang: str = DEFAULT_LANGUAGE, *, presenter: bool = False) -> go.Figure:
    """The social investment fund's balance by year: cumulative repayments received minus
    cumulative delivery costs paid out (SEK, undiscounted, <= 0), as a black line that reaches
    zero when the fund is repaid; a dashed line ``fund_repaid`` marks the repaid year, or the
    subtitle says the fund is not repaid within the horizon. Repayments per year are green bars.

    Trace roles (``meta``): ``repayments``, ``balance``. ``result`` must be a fund result.
    """
    if result.fund_balance_by_year is None or result.fund_repayments_by_year is None:
        raise ValueError("fund_chart needs the result of a social investment fund")
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    years = result.years.tolist()
    balance, repayments = result.fund_balance_by_year, result.fund_repayments_by_year
    scale = scale_for(balance, repayments)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        meta="repayments", name=translate("instruments.chart.repayments", lang), x=years, y=scale.scaled(repayments),
        marker={"color": _POSITIVE}, customdata=[scale.text(v, lang) for v in repayments],
        hovertemplate=translate("instruments.chart.repayments", lang) + ": %{customdata}<extra></extra>",
    ))
    name = translate("instruments.chart.balance", lang)
    fig.add_trace(total_line("balance", name, years, balance, scale, lang, sizes, name))
    apply_style(fig, lang, presenter)
    year_axis(fig, len(years), result.contract_years, lang, sizes)
    amount_axis(fig, "y", "charts.axis.per_year", scale, lang)
    year = result.fund_repaid_year
    if year is None:
        subtitle = translate("instruments.chart.fund_not_repaid", lang, years=len(years))
    else:
        subtitle = translate("instruments.chart.fund_repaid", lang, year=year)
        fig.add_shape(type="line", name="fund_repaid", xref="x", yref="paper", x0=year, x1=year, y0=0, y1=1,
                      line={"color": NET_COLOUR, "width": sizes.line * 0.6, "dash": "dash"})
    set_titles(fig, translate("instruments.chart.fund_title", lang), subtitle)
    fig.update_layout(hovermode="x unified")
    return fig
