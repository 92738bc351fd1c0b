"""The chart style every plotly figure of the app shares: sizes, colours, scales, axes and layout.

The figure builders (:mod:`engine.savings.charts` for the savings model, :mod:`engine.instruments.charts`,
:mod:`engine.targets.charts` and :mod:`engine.questionnaire.charts`) build their traces and call
the helpers here, so all charts look alike on screen and in a PNG/SVG export. The helpers that
change a figure have plain-data twins (:func:`style_layout`, :func:`year_axis_layout`,
:func:`amount_axis_layout`, :func:`titles_layout`, joined with :func:`merged`) for a builder that
puts the layout together first and makes the figure in one step, which plotly does many times
faster than a series of updates. Conventions, the same in every chart:

* **Years.** The x axis of the year charts is the model year 1..H (year 1 = first contract year),
  one tick per year. The contract window (years 1..C) is a shaded rectangle from x = 0.5 to
  x = C + 0.5, so it covers the whole of each contract year's bar or point; a break-even line is
  drawn at the break-even year itself (:func:`year_axis`).
* **Amounts.** Real SEK in the scenario's price year. A chart whose largest absolute amount is at
  least 1 000 000 kr is drawn in millions (``mnkr``; English ``SEK m``), otherwise in kronor; the
  unit is in the axis title (:func:`scale_for`, :func:`amount_axis`). Hover texts are the app's
  formatted amounts (``1 234 567 kr``, ``−2,1 mnkr``); axis ticks follow the language through
  plotly's ``separators`` (Swedish decimal comma and space as thousands separator).
* **Signs.** Benefits (avoided costs) point up or right, costs down or left, so a cost of
  6 mnkr is drawn at −6. Hover texts name the kind (``Kostnad: Kommunen``) and give costs as
  positive amounts.
* **Colours.** Each budget holder has one colour in every chart (:func:`payer_colours`); totals
  (net, the median) are black (:data:`NET_COLOUR`, :func:`total_line`). Costs are the payer's
  colour hatched, benefits solid.
* **Identifiers.** Every trace has a stable role in ``meta`` (``cumulative_net``,
  ``benefit:kommun`` ...; not ``uid``, which plotly.js puts into CSS selectors) and the marks
  that tests and pages look for have a ``name`` (shapes ``contract_window`` and ``break_even``),
  independent of the language.
* ``presenter=True`` draws for a projector: base font 22 px instead of 15, thicker lines
  (:func:`sizes_for`).

>>> import plotly.graph_objects as go
>>> figure = apply_style(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), "sv", presenter=True)
>>> figure.layout.font.size, figure.layout.separators, figure.layout.height
(22, ', ', 620)
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from engine.i18n import format_sek, normalise_language, translate
from engine.payers import KNOWN_PAYERS

#: Base font size in px on screen and in exports, and in presenter mode (projectors).
BASE_FONT_SIZE = 15
PRESENTER_FONT_SIZE = 22

#: The budget holders the app offers, each with a fixed Okabe-Ito colour (Okabe & Ito 2008,
#: "Color Universal Design"): distinguishable with every common colour-vision deficiency.
#: Black is kept for totals and the palette's yellow for other payers, because a thin yellow
#: line is hard to see on white.
KNOWN_PAYER_COLOURS: dict[str, str] = dict(zip(KNOWN_PAYERS, (
    "#0072B2",  # kommun: blue
    "#E69F00",  # region: orange
    "#009E73",  # stat: bluish green
    "#CC79A7",  # forsakringskassan: reddish purple
    "#56B4E9",  # arbetsformedlingen: sky blue
    "#D55E00",  # kriminalvarden: vermillion
), strict=True))

#: Colours for payer ids the app does not know: the rest of Okabe-Ito, then dark, muted colours
#: from Paul Tol's colour-blind-safe schemes that differ from the fixed ones in lightness.
_OTHER_PAYER_COLOURS = ("#F0E442", "#882255", "#999933", "#117733", "#661100", "#999999")

#: Totals (net, cumulative net, the median) and reference lines; the Monte Carlo band; text.
NET_COLOUR = "#000000"
BAND_COLOUR = "rgba(0, 0, 0, 0.16)"
_CONTRACT_FILL = "#E4ECF5"
_GRID_COLOUR = "#D9D9D9"
_AXIS_COLOUR = "#737373"
TEXT_COLOUR = "#1A1A1A"
MUTED_TEXT = "#4D4D4D"
LABEL_BACKGROUND = "rgba(255, 255, 255, 0.85)"

# Helvetica-like sans-serif faces: Streamlit's own font first, then what a server usually has.
_FONT_FAMILY = '"Source Sans Pro", "Source Sans 3", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'

#: Plotly ``separators``: decimal mark then thousands separator.
_SEPARATORS = {"sv": ", ", "en": ".,"}

#: Figure heights in px (the export keeps them; widths follow the page or the export).
_HEIGHT = 480
_PRESENTER_HEIGHT = 620

#: Width in px a title must fit in: the narrowest place a chart is drawn, less the title's padding.
#: In presenter mode that is the results column on a 1280 px projector; otherwise a phone 390 px
#: wide, where the chart is 358 px. The text is estimated at 0.55 em a character and is about 0.47
#: em, so a line fills about 310 of the 338 px the phone leaves.
_TITLE_WIDTH = 640
_SCREEN_TITLE_WIDTH = 360

#: Width in px for which the legend's rows are estimated: the export width. A wider chart on
#: screen needs fewer rows and just gets a little more room for the plot.
_LEGEND_WIDTH = 960
#: Height of one legend row in em (measured on rendered charts).
_LEGEND_LINE = 1.5

#: From this absolute amount a chart is drawn in millions (as in :mod:`engine.savings.narrative`).
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


# --------------------------------------------------------------------------- sizes, scale, layout


@dataclass(frozen=True)
class Sizes:
    """Font size (px), line width, marker size and grid width of a chart on screen or a projector."""

    font: int
    line: float
    marker: int
    grid: float


def sizes_for(presenter: bool) -> Sizes:
    """The sizes for the screen and exports, or with ``presenter`` for a projector."""
    if presenter:
        return Sizes(font=PRESENTER_FONT_SIZE, line=5, marker=13, grid=1.5)
    return Sizes(font=BASE_FONT_SIZE, line=3, marker=8, grid=1)


@dataclass(frozen=True)
class Scale:
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


def scale_for(*amounts: Iterable[float]) -> Scale:
    """The scale for a chart of these amounts (SEK): millions when the largest absolute amount is
    at least 1 000 000 kr, otherwise kronor.

    >>> scale_for([250_000], [-1_000_000]).unit, scale_for([999_999.0]).unit, scale_for().unit
    ('mnkr', 'kr', 'kr')
    """
    largest = max((abs(float(v)) for values in amounts for v in np.ravel(np.asarray(values, dtype=float))),
                  default=0.0)
    return Scale(1e6, "mnkr") if largest >= _MILLION_THRESHOLD else Scale(1.0, "kr")


def _legend_rows(traces: Iterable, showlegend: bool, sizes: Sizes) -> int:
    """About how many rows the legend of these traces takes in a figure :data:`_LEGEND_WIDTH` px wide.

    Plotly puts all entries in one row when they fit and otherwise lays them out in columns as
    wide as the widest entry. Text width is estimated at 0.55 em per character.
    """
    if not showlegend:
        return 0
    widths = [40 + 0.55 * sizes.font * len(t.name) for t in traces if t.showlegend is not False and t.name]
    if not widths:
        return 0
    if sum(widths) <= _LEGEND_WIDTH:
        return 1
    return math.ceil(len(widths) / max(1, int(_LEGEND_WIDTH // max(widths))))


def _title_height(sizes: Sizes) -> int:
    """Pixels from the top of the figure to below the subtitle."""
    return round(12 + sizes.font * 4)


def apply_style(fig: go.Figure, lang: str, presenter: bool) -> go.Figure:
    """The look every chart shares: white background, light grid, title and subtitle at the top
    left, the legend right under them, the language's number format, and font sizes for the
    screen or a projector. Returns ``fig``.

    Call it after adding the traces and setting ``showlegend`` and any ``layout.height``
    (default 480 px, 620 in presenter mode): the legend is placed a fixed number of pixels below
    the top of a figure of that height, plotly moves the plot down as far as a legend of several
    rows needs, and the figure is made taller by those extra rows so the plot keeps its size.
    Titles set before (:func:`set_titles` on a figure without a style) were wrapped for a projector;
    off the projector they are wrapped again here, for a phone and their real font sizes.
    """
    early_titles = None if fig.layout.font.size else (fig.layout.title.text, fig.layout.title.subtitle.text)
    layout, axis = style_layout(lang, presenter, fig.data, height=fig.layout.height,
                                showlegend=fig.layout.showlegend is not False)
    fig.update_layout(layout)
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    if early_titles and any(early_titles) and not presenter:
        set_titles(fig, *((text or "").replace("<br>", " ") for text in early_titles))
    return fig


def style_layout(lang: str, presenter: bool, traces: Iterable = (), *, height: int | None = None,
                 showlegend: bool = True) -> tuple[dict, dict]:
    """What :func:`apply_style` sets, as plain data: the layout (without the axes) and the settings
    of every axis, for a figure with these traces, its own ``height`` if it has one, and a legend
    unless ``showlegend`` is false."""
    lang = normalise_language(lang)
    sizes = sizes_for(presenter)
    title_height = _title_height(sizes)
    legend_row = round(sizes.font * 1.9)
    extra_rows = max(0, _legend_rows(traces, showlegend, sizes) - 1)
    height = (height or (_PRESENTER_HEIGHT if presenter else _HEIGHT)) + round(extra_rows * sizes.font * _LEGEND_LINE)
    layout = {
        "template": "none",
        "height": height,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "separators": _SEPARATORS[lang],
        "font": {"family": _FONT_FAMILY, "size": sizes.font, "color": TEXT_COLOUR},
        "title": {
            # Flush with the left edge of the image, not of the plot: long tornado labels would
            # otherwise push the title to the middle.
            "x": 0, "xanchor": "left", "xref": "container", "pad": {"l": 20, "t": 12},
            "y": 1, "yanchor": "top", "yref": "container",
            "font": {"size": round(sizes.font * 1.35)},
            "subtitle": {"font": {"size": round(sizes.font * 0.95), "color": MUTED_TEXT}},
        },
        # In container coordinates, not above the plot: a legend that wraps into several rows
        # then pushes the plot down instead of growing up into the title.
        "legend": {
            "orientation": "h", "x": 0, "xanchor": "left", "xref": "container",
            "y": 1 - title_height / height, "yanchor": "top", "yref": "container",
            "bgcolor": "rgba(255, 255, 255, 0)", "font": {"size": sizes.font}, "traceorder": "normal",
        },
        "hoverlabel": {"font": {"family": _FONT_FAMILY, "size": sizes.font}, "namelength": -1},
        "margin": {"l": 20, "r": 30, "b": 20, "t": title_height + (legend_row if showlegend else 0) + 12},
        "bargap": 0.25,
    }
    axis = {
        "showgrid": True, "gridcolor": _GRID_COLOUR, "gridwidth": sizes.grid,
        "showline": True, "linecolor": _AXIS_COLOUR, "linewidth": 1,
        "ticks": "outside", "tickcolor": _AXIS_COLOUR, "automargin": True,
        "zeroline": True, "zerolinecolor": MUTED_TEXT, "zerolinewidth": sizes.grid * 2,
        # "50 000" and not "50k": Swedish documents write kronor in full.
        "separatethousands": True, "exponentformat": "none",
        "title": {"standoff": round(sizes.font * 0.8)},
    }
    return layout, axis


def merged(base: dict, update: dict) -> dict:
    """``base`` changed by ``update`` the way plotly's ``update_layout`` changes a layout: nested
    dicts are merged key by key, other values replace. Neither argument is changed.

    >>> merged({"title": {"text": "A", "x": 0}, "height": 480}, {"title": {"text": "B"}, "height": 500})
    {'title': {'text': 'B', 'x': 0}, 'height': 500}
    """
    result = dict(base)
    for key, value in update.items():
        old = result.get(key)
        result[key] = merged(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return result


def set_titles(fig: go.Figure, title: str, subtitle: str) -> None:
    """Set the chart's title and the subtitle under it (placed by :func:`apply_style`).

    Plotly never wraps a title, so a long one would be cut at the right edge of a narrow chart (a
    results column on a projector, a phone). Each is broken at spaces into lines that fit the
    narrowest chart of its mode at its font size, and the figure grows by the extra lines, with the
    legend and the plot moved down by as much. The mode is told by the font size
    :func:`apply_style` set: :data:`_SCREEN_TITLE_WIDTH` px for the normal size,
    :data:`_TITLE_WIDTH` px in presenter mode and on a figure without a style yet (the wrapping
    presenter charts have always had; :func:`apply_style` wraps again for the screen).

    >>> fig = apply_style(go.Figure(), "sv", presenter=True)
    >>> set_titles(fig, "Vem bär risken?", "Samma 10 000 simuleringar för alla instrument. Lådan: hälften av utfallen")
    >>> fig.layout.title.subtitle.text
    'Samma 10 000 simuleringar för alla instrument. Lådan:<br>hälften av utfallen'
    >>> fig.layout.height, fig.layout.margin.t  # one more subtitle line (21 px * 1.25): 620 + 26 px
    (646, 180)
    >>> fig = apply_style(go.Figure(), "en", presenter=False)  # fits a phone
    >>> set_titles(fig, "What moves the net present value most?", "")
    >>> fig.layout.title.text
    'What moves the net present value<br>most?'
    """
    layout = fig.layout
    fig.update_layout(_titles_update(
        title, subtitle, font_size=layout.font.size, title_size=layout.title.font.size,
        subtitle_size=layout.title.subtitle.font.size, pad_top=layout.title.pad.t, height=layout.height,
        margin_top=layout.margin.t, legend_y=layout.legend.y))


def titles_layout(layout: dict, title: str, subtitle: str) -> dict:
    """What :func:`set_titles` changes in a figure whose layout is ``layout`` (plain data, as
    :func:`style_layout` makes it), as an update for :func:`merged`."""
    def get(*path: str):
        value: object = layout
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    return _titles_update(
        title, subtitle, font_size=get("font", "size"), title_size=get("title", "font", "size"),
        subtitle_size=get("title", "subtitle", "font", "size"), pad_top=get("title", "pad", "t"),
        height=get("height"), margin_top=get("margin", "t"), legend_y=get("legend", "y"))


def _titles_update(title: str, subtitle: str, *, font_size, title_size, subtitle_size, pad_top, height,
                   margin_top, legend_y) -> dict:
    """The layout update of :func:`set_titles`, given what the figure has set (None where nothing)."""
    size = font_size or BASE_FONT_SIZE
    on_screen = font_size is not None and size < PRESENTER_FONT_SIZE
    width = _SCREEN_TITLE_WIDTH if on_screen else _TITLE_WIDTH
    title_size, subtitle_size = title_size or size, subtitle_size or size
    title = wrap_label(title, _chars_per_line(title_size, width))
    subtitle = wrap_label(subtitle, _chars_per_line(subtitle_size, width))
    extra = round(title.count("<br>") * title_size * 1.25 + subtitle.count("<br>") * subtitle_size * 1.25)
    update: dict = {"title": {"text": title, "subtitle": {"text": subtitle}}}
    if title.count("<br>"):
        # Plotly anchors a wrapped title at its last line: pad the top by the lines above it.
        update["title"]["pad"] = {"t": (pad_top or 0) + round(title.count("<br>") * title_size * 1.25)}
    if extra and height and margin_top is not None:
        update |= {"height": height + extra, "margin": {"t": margin_top + extra}}
        if legend_y is not None:  # keep the legend the same distance below the (now longer) titles
            update["legend"] = {"y": 1 - ((1 - legend_y) * height + extra) / (height + extra)}
    return update


def _chars_per_line(font_size: float, width: float) -> int:
    """Characters of text at ``font_size`` px that fit ``width`` px (0.55 em per character)."""
    return max(20, int(width / (0.55 * font_size)))


def year_axis(fig: go.Figure, horizon: int, contract_years: int, lang: str, sizes: Sizes) -> None:
    """Years 1..H on x with a tick per year (fewer for long horizons), the contract window shaded."""
    axis, window, label = year_axis_layout(horizon, contract_years, lang, sizes)
    fig.update_xaxes(**axis)
    fig.add_shape(**window)
    fig.add_annotation(**label)


def year_axis_layout(horizon: int, contract_years: int, lang: str, sizes: Sizes) -> tuple[dict, dict, dict]:
    """What :func:`year_axis` adds, as plain data: the x axis, the contract window (a shape) and its
    label (an annotation)."""
    step = 1 if horizon <= 20 else (2 if horizon <= 40 else 5)
    axis = {
        "title": {"text": translate("charts.axis.year", lang)},
        "range": [0.5, horizon + 0.5], "tickmode": "linear", "tick0": 1, "dtick": step, "showgrid": False,
        "zeroline": False, "unifiedhovertitle": {"text": translate("charts.hover.year", lang, year="%{x}")},
    }
    contract_end = min(contract_years, horizon) + 0.5
    window = {
        "type": "rect", "name": "contract_window", "xref": "x", "yref": "paper", "x0": 0.5, "x1": contract_end,
        "y0": 0, "y1": 1, "fillcolor": _CONTRACT_FILL, "line": {"width": 0}, "layer": "below",
    }
    label = {
        "name": "contract_window_label", "text": translate("charts.contract_period", lang), "xref": "x",
        "yref": "paper", "x": 0.5, "y": 1, "xanchor": "left", "yanchor": "top", "xshift": 4, "yshift": -4,
        "showarrow": False, "font": {"size": sizes.font, "color": MUTED_TEXT}, "bgcolor": LABEL_BACKGROUND,
    }
    return axis, window, label


def amount_axis(fig: go.Figure, axis: str, key: str, scale: Scale, lang: str) -> None:
    """Title the amount axis (``"x"`` or ``"y"``) with the catalog text ``key`` and the scale's unit,
    the range reaching zero."""
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(**amount_axis_layout(key, scale, lang))


def amount_axis_layout(key: str, scale: Scale, lang: str) -> dict:
    """What :func:`amount_axis` sets on its axis, as plain data."""
    return {"title": {"text": translate(key, lang, unit=scale.axis_unit(lang))}, "rangemode": "tozero"}


def empty_figure(fig: go.Figure, lang: str, sizes: Sizes) -> go.Figure:
    """Say in the middle of ``fig`` that there is nothing to show and hide its axes. Returns ``fig``."""
    fig.add_annotation(name="empty", text=translate("charts.empty", lang), xref="paper", yref="paper",
                       x=0.5, y=0.5, showarrow=False, font={"size": sizes.font * 1.2, "color": MUTED_TEXT})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def wrap_label(text: str, width: int) -> str:
    """Break a long axis label into lines of about ``width`` characters at spaces (``<br>``).

    >>> wrap_label("Prison and Probation Service (Kriminalvården)", 24)
    'Prison and Probation<br>Service (Kriminalvården)'
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def padded_range(values: Iterable[float], share: float) -> list[float]:
    """An axis range over ``values`` and zero, widened by ``share`` of its span on each side that
    has bars (room for the amounts written beyond their ends)."""
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low) * share or 1.0
    return [low - (pad if low < 0 else 0.0), high + (pad if high > 0 or low == 0 else 0.0)]


def total_line(meta: str, name: str, years, values, scale: Scale, lang: str, sizes: Sizes,
               hover_label: str | None = None) -> go.Scatter:
    """A black line with markers for a total (net, cumulative net, the median), hover in SEK."""
    prefix = f"{hover_label}: " if hover_label else ""
    return go.Scatter(
        meta=meta, name=name, x=list(years), y=scale.scaled(values), mode="lines+markers",
        line={"color": NET_COLOUR, "width": sizes.line}, marker={"size": sizes.marker, "color": NET_COLOUR},
        customdata=[scale.text(v, lang) for v in values], hovertemplate=f"{prefix}%{{customdata}}<extra></extra>",
    )
