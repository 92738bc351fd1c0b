"""Plotly figures for the savings model and its uncertainty, in Swedish or English.

Every builder takes an engine result and ``lang`` and returns a new
:class:`plotly.graph_objects.Figure`; nothing is drawn or written here, so the same figure goes
to the screen (``st.plotly_chart``) and to a PNG/SVG file (:mod:`engine.export`). Conventions,
the same in every chart:

* **Years.** The x axis of the year charts is the model year 1..H (year 1 = first contract year),
  one tick per year. The contract window (years 1..C) is a shaded rectangle from x = 0.5 to
  x = C + 0.5, so it covers the whole of each contract year's bar or point; a break-even line is
  drawn at the break-even year itself.
* **Amounts.** Real SEK in the scenario's price year. A chart whose largest absolute amount is at
  least 1 000 000 kr is drawn in millions (``mnkr``; English ``SEK m``), otherwise in kronor; the
  unit is in the axis title. Hover texts are the app's formatted amounts (``1 234 567 kr``,
  ``−2,1 mnkr``); axis ticks follow the language through plotly's ``separators`` (Swedish
  decimal comma and space as thousands separator).
* **Signs.** Benefits (avoided costs) point up or right, costs down or left, so a cost of
  6 mnkr is drawn at −6. Hover texts name the kind (``Kostnad: Kommunen``) and give costs as
  positive amounts.
* **Colours.** Each budget holder has one colour in every chart (:func:`payer_colours`); totals
  (net, the median) are black. Costs are the payer's colour hatched, benefits solid.
* **Identifiers.** Every trace has a stable role in ``meta`` (``cumulative_net``,
  ``benefit:kommun`` ...; not ``uid``, which plotly.js puts into CSS selectors) and the marks that tests and pages look for have a ``name`` (shapes ``contract_window``
  and ``break_even``), independent of the language.
* ``presenter=True`` draws for a projector: base font 22 px instead of 15, thicker lines.

>>> from engine.scenario import parse_scenario
>>> from engine.savings import project_savings
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

import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, format_sek, normalise_language, translate
from engine.savings import SavingsProjection
from engine.uncertainty import SavingsSimulation, TornadoRow, tornado_label

#: Base font size in px on screen and in exports, and in presenter mode (projectors).
BASE_FONT_SIZE = 15
PRESENTER_FONT_SIZE = 22

#: The budget holders the app offers, each with a fixed Okabe-Ito colour (Okabe & Ito 2008,
#: "Color Universal Design"): distinguishable with every common colour-vision deficiency.
#: Black is kept for totals and the palette's yellow for other payers, because a thin yellow
#: line is hard to see on white.
KNOWN_PAYER_COLOURS: dict[str, str] = {
    "kommun": "#0072B2",  # blue
    "region": "#E69F00",  # orange
    "stat": "#009E73",  # bluish green
    "forsakringskassan": "#CC79A7",  # reddish purple
    "arbetsformedlingen": "#56B4E9",  # sky blue
    "kriminalvarden": "#D55E00",  # vermillion
}

#: Colours for payer ids the app does not know: the rest of Okabe-Ito, then dark, muted colours
#: from Paul Tol's colour-blind-safe schemes that differ from the fixed ones in lightness.
_OTHER_PAYER_COLOURS = ("#F0E442", "#882255", "#999933", "#117733", "#661100", "#999999")

_NET_COLOUR = "#000000"
_BAND_COLOUR = "rgba(0, 0, 0, 0.16)"
_CONTRACT_FILL = "#E4ECF5"
_GRID_COLOUR = "#D9D9D9"
_AXIS_COLOUR = "#737373"
_TEXT_COLOUR = "#1A1A1A"
_MUTED_TEXT = "#4D4D4D"
_LABEL_BACKGROUND = "rgba(255, 255, 255, 0.85)"
# Tornado ends: light and dark, told apart by lightness alone (Paul Tol's cyan and indigo).
_LOW_COLOUR = "#88CCEE"
_HIGH_COLOUR = "#332288"

# Helvetica-like sans-serif faces: Streamlit's own font first, then what a server usually has.
_FONT_FAMILY = '"Source Sans Pro", "Source Sans 3", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'

#: Plotly ``separators``: decimal mark then thousands separator.
_SEPARATORS = {"sv": ", ", "en": ".,"}

#: Figure heights in px (the export keeps them; widths follow the page or the export).
_HEIGHT = 480
_PRESENTER_HEIGHT = 620

#: Width in px for which the legend's rows are estimated: the export width. A wider chart on
#: screen needs fewer rows and just gets a little more room for the plot.
_LEGEND_WIDTH = 960
#: Height of one legend row in em (measured on rendered charts).
_LEGEND_LINE = 1.5

#: From this absolute amount a chart is drawn in millions (as in :mod:`engine.narrative`).
_MILLION_THRESHOLD = 1_000_000
#: In a chart drawn in millions, hover amounts below this are given in kronor (not "0,0 mnkr").
_SMALL_IN_MILLIONS = 50_000


# --------------------------------------------------------------------------- payers


def payer_colours(payers: Iterable[str]) -> dict[str, str]:
    """One colour (``#RRGGBB``) per budget holder id, the same in every chart of the app.

    The six budget holders the app offers have fixed colours (:data:`KNOWN_PAYER_COLOURS`). Other
    ids get one of the remaining colours chosen from a checksum of the id, so the order in which
    they appear never matters. Two other ids that would share a colour are separated by giving
    the one later in alphabetical order the next free colour; only when there are more other ids
    than spare colours do colours repeat.

    >>> payer_colours(["stat", "kommun"])
    {'stat': '#009E73', 'kommun': '#0072B2'}
    >>> payer_colours(["kommun", "Stiftelsen X"]) == payer_colours(["Stiftelsen X", "kommun"])
    True
    """
    ordered = list(dict.fromkeys(payers))
    colours = {p: KNOWN_PAYER_COLOURS[p] for p in ordered if p in KNOWN_PAYER_COLOURS}
    taken: set[int] = set()
    size = len(_OTHER_PAYER_COLOURS)
    for payer in sorted(p for p in ordered if p not in KNOWN_PAYER_COLOURS):
        # crc32, not hash(): Python salts str hashes per process, and colours must not change.
        slot = zlib.crc32(payer.encode("utf-8")) % size
        if len(taken) < size:
            while slot in taken:
                slot = (slot + 1) % size
        taken.add(slot)
        colours[payer] = _OTHER_PAYER_COLOURS[slot]
    return {p: colours[p] for p in ordered}


def payer_label(payer: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display name of a budget holder id; ids the app does not know are shown as given.

    >>> payer_label("forsakringskassan", "sv"), payer_label("kommun", "en"), payer_label("Samordningsförbundet")
    ('Försäkringskassan', 'The municipality', 'Samordningsförbundet')
    """
    return translate(f"charts.payer.{payer}", lang) if payer in KNOWN_PAYER_COLOURS else payer


# --------------------------------------------------------------------------- shared helpers


@dataclass(frozen=True)
class _Sizes:
    font: int
    line: float
    marker: int
    grid: float


def _sizes(presenter: bool) -> _Sizes:
    if presenter:
        return _Sizes(font=PRESENTER_FONT_SIZE, line=5, marker=13, grid=1.5)
    return _Sizes(font=BASE_FONT_SIZE, line=3, marker=8, grid=1)


@dataclass(frozen=True)
class _Scale:
    """How a chart's amounts are drawn: SEK divided by ``divisor``, in ``unit`` (kr or mnkr)."""

    divisor: float
    unit: str

    def axis_unit(self, lang: str) -> str:
        return translate(f"charts.unit.{self.unit}", lang)

    def scaled(self, values: Iterable[float]) -> list[float]:
        return [float(v) / self.divisor for v in values]

    def text(self, value: float, lang: str) -> str:
        """A hover or label amount: in the chart's unit, but small amounts in kronor."""
        if self.unit == "mnkr" and abs(value) >= _SMALL_IN_MILLIONS:
            return format_sek(value, lang, unit="mnkr")
        return format_sek(value, lang)


def _scale_for(*amounts: Iterable[float]) -> _Scale:
    largest = max((abs(float(v)) for values in amounts for v in np.ravel(np.asarray(values, dtype=float))),
                  default=0.0)
    return _Scale(1e6, "mnkr") if largest >= _MILLION_THRESHOLD else _Scale(1.0, "kr")


def _legend_rows(fig: go.Figure, sizes: _Sizes) -> int:
    """About how many rows the legend takes in a figure :data:`_LEGEND_WIDTH` px wide.

    Plotly puts all entries in one row when they fit and otherwise lays them out in columns as
    wide as the widest entry. Text width is estimated at 0.55 em per character.
    """
    if fig.layout.showlegend is False:
        return 0
    widths = [40 + 0.55 * sizes.font * len(t.name) for t in fig.data if t.showlegend is not False and t.name]
    if not widths:
        return 0
    if sum(widths) <= _LEGEND_WIDTH:
        return 1
    return math.ceil(len(widths) / max(1, int(_LEGEND_WIDTH // max(widths))))


def _title_height(sizes: _Sizes) -> int:
    """Pixels from the top of the figure to below the subtitle."""
    return round(12 + sizes.font * 4)


def _apply_style(fig: go.Figure, lang: str, presenter: bool) -> go.Figure:
    """The look every chart shares: white background, light grid, title and subtitle at the top
    left, the legend right under them, the language's number format, and font sizes for the
    screen or a projector. Returns ``fig``.

    Call it after adding the traces and setting ``showlegend`` and any ``layout.height``
    (default 480 px, 620 in presenter mode): the legend is placed a fixed number of pixels below
    the top of a figure of that height, plotly moves the plot down as far as a legend of several
    rows needs, and the figure is made taller by those extra rows so the plot keeps its size.
    """
    lang = normalise_language(lang)
    sizes = _sizes(presenter)
    title_height = _title_height(sizes)
    legend_row = round(sizes.font * 1.9)
    extra_rows = max(0, _legend_rows(fig, sizes) - 1)
    height = (fig.layout.height or (_PRESENTER_HEIGHT if presenter else _HEIGHT)) + round(
        extra_rows * sizes.font * _LEGEND_LINE)
    fig.update_layout(
        template="none",
        height=height,
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=_SEPARATORS[lang],
        font={"family": _FONT_FAMILY, "size": sizes.font, "color": _TEXT_COLOUR},
        title={
            # Flush with the left edge of the image, not of the plot: long tornado labels would
            # otherwise push the title to the middle.
            "x": 0, "xanchor": "left", "xref": "container", "pad": {"l": 20, "t": 12},
            "y": 1, "yanchor": "top", "yref": "container",
            "font": {"size": round(sizes.font * 1.35)},
            "subtitle": {"font": {"size": round(sizes.font * 0.95), "color": _MUTED_TEXT}},
        },
        # In container coordinates, not above the plot: a legend that wraps into several rows
        # then pushes the plot down instead of growing up into the title.
        legend={
            "orientation": "h", "x": 0, "xanchor": "left", "xref": "container",
            "y": 1 - title_height / height, "yanchor": "top", "yref": "container",
            "bgcolor": "rgba(255, 255, 255, 0)", "font": {"size": sizes.font}, "traceorder": "normal",
        },
        hoverlabel={"font": {"family": _FONT_FAMILY, "size": sizes.font}, "namelength": -1},
        margin={"l": 20, "r": 30, "b": 20,
                "t": title_height + (legend_row if fig.layout.showlegend is not False else 0) + 12},
        bargap=0.25,
    )
    axis = {
        "showgrid": True, "gridcolor": _GRID_COLOUR, "gridwidth": sizes.grid,
        "showline": True, "linecolor": _AXIS_COLOUR, "linewidth": 1,
        "ticks": "outside", "tickcolor": _AXIS_COLOUR, "automargin": True,
        "zeroline": True, "zerolinecolor": _MUTED_TEXT, "zerolinewidth": sizes.grid * 2,
        # "50 000" and not "50k": Swedish documents write kronor in full.
        "separatethousands": True, "exponentformat": "none",
        "title": {"standoff": round(sizes.font * 0.8)},
    }
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    return fig


def _titles(fig: go.Figure, title: str, subtitle: str) -> None:
    fig.update_layout(title={"text": title, "subtitle": {"text": subtitle}})


def _year_axis(fig: go.Figure, horizon: int, contract_years: int, lang: str, sizes: _Sizes) -> None:
    """Years 1..H on x with a tick per year (fewer for long horizons), the contract window shaded."""
    step = 1 if horizon <= 20 else (2 if horizon <= 40 else 5)
    fig.update_xaxes(
        title={"text": translate("charts.axis.year", lang)},
        range=[0.5, horizon + 0.5], tickmode="linear", tick0=1, dtick=step, showgrid=False,
        zeroline=False, unifiedhovertitle={"text": translate("charts.hover.year", lang, year="%{x}")},
    )
    contract_end = min(contract_years, horizon) + 0.5
    fig.add_shape(
        type="rect", name="contract_window", xref="x", yref="paper", x0=0.5, x1=contract_end, y0=0, y1=1,
        fillcolor=_CONTRACT_FILL, line={"width": 0}, layer="below",
    )
    fig.add_annotation(
        name="contract_window_label", text=translate("charts.contract_period", lang), xref="x", yref="paper",
        x=0.5, y=1, xanchor="left", yanchor="top", xshift=4, yshift=-4, showarrow=False,
        font={"size": sizes.font, "color": _MUTED_TEXT}, bgcolor=_LABEL_BACKGROUND,
    )


def _amount_axis(fig: go.Figure, axis: str, key: str, scale: _Scale, lang: str) -> None:
    update = {"title": {"text": translate(key, lang, unit=scale.axis_unit(lang))}, "rangemode": "tozero"}
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(**update)


def _empty(fig: go.Figure, lang: str, sizes: _Sizes) -> go.Figure:
    fig.add_annotation(name="empty", text=translate("charts.empty", lang), xref="paper", yref="paper",
                       x=0.5, y=0.5, showarrow=False, font={"size": sizes.font * 1.2, "color": _MUTED_TEXT})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _probability(share: float, lang: str) -> str:
    """A Monte Carlo probability in whole percent that never rounds a possibility away:
    0.3 % reads "<1 %" and 99.7 % reads ">99 %", not 0 % and 100 %."""
    if 0 < share < 0.005:
        return "<" + format_percent(0.01, lang, 0)
    if 0.995 <= share < 1:
        return ">" + format_percent(0.99, lang, 0)
    return format_percent(share, lang, 0)


def _wrap(text: str, width: int) -> str:
    """Break a long axis label into lines of about ``width`` characters at spaces (``<br>``).

    >>> _wrap("Prison and Probation Service (Kriminalvården)", 24)
    'Prison and Probation<br>Service (Kriminalvården)'
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _padded_range(values: Iterable[float], share: float) -> list[float]:
    """An axis range over ``values`` and zero, widened by ``share`` of its span on each side that
    has bars (room for the amounts written beyond their ends)."""
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low) * share or 1.0
    return [low - (pad if low < 0 else 0.0), high + (pad if high > 0 or low == 0 else 0.0)]


def _total_line(meta: str, name: str, years, values, scale: _Scale, lang: str, sizes: _Sizes,
                hover_label: str | None = None) -> go.Scatter:
    """A black line with markers for a total (net, cumulative net, the median), hover in SEK."""
    prefix = f"{hover_label}: " if hover_label else ""
    return go.Scatter(
        meta=meta, name=name, x=list(years), y=scale.scaled(values), mode="lines+markers",
        line={"color": _NET_COLOUR, "width": sizes.line}, marker={"size": sizes.marker, "color": _NET_COLOUR},
        customdata=[scale.text(v, lang) for v in values], hovertemplate=f"{prefix}%{{customdata}}<extra></extra>",
    )


# --------------------------------------------------------------------------- builders


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
    sizes = _sizes(presenter)
    cdn = projection.cumulative_discounted_net
    scale = _scale_for(cdn)
    fig = go.Figure(layout={"showlegend": False})
    fig.add_trace(_total_line("cumulative_net", translate("charts.cumulative.trace", lang),
                              projection.years.tolist(), cdn, scale, lang, sizes))
    _apply_style(fig, lang, presenter)
    _year_axis(fig, projection.horizon_years, projection.contract_years, lang, sizes)
    _amount_axis(fig, "y", "charts.axis.cumulative", scale, lang)
    subtitle = translate("charts.cumulative.subtitle", lang, price_year=projection.price_year)
    year = projection.break_even_year
    if year is None:
        subtitle += ". " + translate("charts.cumulative.no_break_even", lang, years=projection.horizon_years)
    else:
        fig.add_shape(type="line", name="break_even", xref="x", yref="paper", x0=year, x1=year, y0=0, y1=1,
                      line={"color": _NET_COLOUR, "width": sizes.line * 0.6, "dash": "dash"})
        # Bottom right of the line: after break-even the curve is above zero, so this corner is free.
        fig.add_annotation(
            name="break_even_label", text=translate("charts.break_even", lang, year=year), xref="x", yref="paper",
            x=year, y=0, xanchor="left", yanchor="bottom", xshift=6, yshift=6, showarrow=False,
            font={"size": sizes.font, "color": _TEXT_COLOUR}, bgcolor=_LABEL_BACKGROUND,
        )
    _titles(fig, translate("charts.cumulative.title", lang), subtitle)
    fig.update_layout(hovermode="x unified")
    return fig


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
    sizes = _sizes(presenter)
    colours = payer_colours(projection.payers)
    scale = _scale_for(projection.benefits, projection.costs, projection.net_by_year)
    years = projection.years.tolist()
    fig = go.Figure()
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
            label = payer_label(payer, lang)
            what = translate(f"charts.flows.{kind}", lang, payer=label)
            fig.add_trace(go.Bar(
                meta=f"{kind}:{payer}", name=label, legendgroup=payer, showlegend=payer not in in_legend,
                x=years, y=scale.scaled(sign * series), marker=marker,
                customdata=[scale.text(v, lang) for v in series],
                hovertemplate=f"{what}: %{{customdata}}<extra></extra>",
            ))
            in_legend.add(payer)
    net_name = translate("charts.net", lang)
    fig.add_trace(_total_line("net", net_name, years, projection.net_by_year, scale, lang, sizes, net_name))
    _apply_style(fig, lang, presenter)
    _year_axis(fig, projection.horizon_years, projection.contract_years, lang, sizes)
    _amount_axis(fig, "y", "charts.axis.per_year", scale, lang)
    _titles(fig, translate("charts.flows.title", lang),
            translate("charts.flows.subtitle", lang, price_year=projection.price_year))
    fig.update_layout(barmode="relative", hovermode="x unified")
    return fig


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
    sizes = _sizes(presenter)
    payers = list(projection.payers)
    height = round((170 + 105 * max(1, len(payers))) * sizes.font / BASE_FONT_SIZE)
    fig = go.Figure(layout={"height": max(height, 300)})
    _titles(fig, translate("charts.who_pays.title", lang),
            translate("charts.who_pays.subtitle", lang, years=projection.horizon_years,
                      price_year=projection.price_year))
    if not payers:
        return _empty(_apply_style(fig, lang, presenter), lang, sizes)
    colours = [payer_colours(payers)[p] for p in payers]
    labels = [_wrap(payer_label(p, lang), 24) for p in payers]
    costs = [projection.pv_costs_by_payer[p] for p in payers]
    benefits = [projection.pv_benefits_by_payer[p] for p in payers]
    net = [projection.npv_by_payer[p] for p in payers]
    scale = _scale_for(costs, benefits, net)
    series = (
        ("costs", "charts.who_pays.costs", [-c for c in costs], costs,
         {"color": colours, "line": {"color": colours, "width": 1},
          "pattern": {"shape": "/", "fgcolor": colours, "bgcolor": "white", "solidity": 0.45}}),
        ("benefits", "charts.who_pays.benefits", benefits, benefits,
         {"color": colours, "line": {"color": colours, "width": 1}}),
        ("net", "charts.net", net, net, {"color": _NET_COLOUR}),
    )
    drawn_all: list[float] = []
    for role, key, drawn, shown, marker in series:
        name = translate(key, lang)
        texts = [scale.text(v, lang) for v in shown]
        drawn_all += scale.scaled(drawn)
        fig.add_trace(go.Bar(
            meta=role, name=name, orientation="h", y=labels, x=scale.scaled(drawn), marker=marker,
            text=texts, textposition="outside", cliponaxis=False,
            textfont={"size": sizes.font, "color": _TEXT_COLOUR},
            customdata=texts, hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
        ))
    _apply_style(fig, lang, presenter)
    _amount_axis(fig, "x", "charts.axis.present_value", scale, lang)
    fig.update_xaxes(range=_padded_range(drawn_all, 0.3))
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
    sizes = _sizes(presenter)
    years = simulation.years.tolist()
    scale = _scale_for(simulation.cdn_p10, simulation.cdn_p90, simulation.cdn_p50)
    fig = go.Figure()
    edge = {"width": 0.5, "color": "rgba(0, 0, 0, 0.35)"}
    median = translate("charts.fan.median", lang)
    for role, values, extra in (
        ("p10", simulation.cdn_p10, {"name": "P10", "showlegend": False}),
        ("p90", simulation.cdn_p90, {"name": translate("charts.fan.band", lang), "fill": "tonexty",
                                     "fillcolor": _BAND_COLOUR}),
    ):
        fig.add_trace(go.Scatter(
            meta=role, x=years, y=scale.scaled(values), mode="lines", line=edge, **extra,
            customdata=[scale.text(v, lang) for v in values],
            hovertemplate=f"{role.upper()}: %{{customdata}}<extra></extra>",
        ))
    fig.add_trace(_total_line("p50", median, years, simulation.cdn_p50, scale, lang, sizes, median))
    _apply_style(fig, lang, presenter)
    _year_axis(fig, len(years), simulation.contract_years, lang, sizes)
    _amount_axis(fig, "y", "charts.axis.cumulative", scale, lang)
    _titles(fig, translate("charts.fan.title", lang), translate(
        "charts.fan.subtitle", lang, years=len(years),
        p_contract=_probability(simulation.p_break_even_within_contract, lang),
        p_horizon=_probability(simulation.p_break_even_within_horizon, lang),
    ))
    fig.update_layout(hovermode="x unified")
    return fig


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
    :func:`engine.uncertainty.tornado_label`. SEK, present value. The figure grows with the rows.

    Trace roles (``meta``): ``low``, ``high`` (one bar per row in each), ``base_npv``.
    """
    lang = normalise_language(lang)
    sizes = _sizes(presenter)
    ordered = sorted(rows, key=lambda row: row.swing, reverse=True)
    height = round((190 + 62 * max(1, len(ordered))) * sizes.font / BASE_FONT_SIZE)
    fig = go.Figure(layout={"height": max(height, 300)})
    _titles(fig, translate("charts.tornado.title", lang), translate("charts.tornado.subtitle", lang))
    if not ordered:
        return _empty(_apply_style(fig, lang, presenter), lang, sizes)
    base = ordered[0].npv_base
    scale = _scale_for([base], [r.npv_low for r in ordered], [r.npv_high for r in ordered])
    labels = [tornado_label(r, lang) for r in ordered]
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
            textfont={"size": round(sizes.font * 0.9), "color": _TEXT_COLOUR},
            customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        ))
    base_name = translate("charts.tornado.base", lang, amount=scale.text(base, lang))
    fig.add_trace(go.Scatter(
        meta="base_npv", name=base_name, mode="lines", x=[base / scale.divisor] * 2,
        y=[-0.5, len(ordered) - 0.5], line={"color": _NET_COLOUR, "width": sizes.line * 0.6},
        hovertemplate=f"{base_name}<extra></extra>",
    ))
    _apply_style(fig, lang, presenter)
    _amount_axis(fig, "x", "charts.axis.npv", scale, lang)
    ends = [base, *(r.npv_low for r in ordered), *(r.npv_high for r in ordered)]
    fig.update_xaxes(range=_padded_range([e / scale.divisor for e in ends], 0.12))
    fig.update_yaxes(tickmode="array", tickvals=positions, ticktext=[_wrap(label, 30) for label in labels],
                     range=[len(ordered) - 0.5, -0.5], showgrid=False, zeroline=False, ticks="", showline=False)
    fig.update_layout(barmode="overlay", bargap=0.35, hovermode="closest")
    return fig
