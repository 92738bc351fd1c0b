"""The spread of an estimate round: each participant's low – most likely – high as a line with a
dot, grouped and coloured by role, the group's pooled range as a shaded band and the scenario's
current figure as a dashed line. Participant names are user text and pass through
:func:`engine.output.chart_text.chart_text`. Traces carry ``meta``: the role id of each role's
estimates, ``pooled`` for the band's most likely value.

>>> fig = spread_chart([("Anna", "kommun", 0.1, 0.2, 0.3), ("Bo", "region", 0.2, 0.3, 0.5)],
...                    (0.1, 0.25, 0.5), current=0.2, unit="share", title="Effekt", lang="sv")
>>> [trace.meta for trace in fig.data]
['kommun', 'region', 'pooled']
>>> fig.data[0].x[:3]
(10.0, 20.0, 30.0)
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from engine.i18n import DEFAULT_LANGUAGE, translate
from engine.output.chart_text import chart_text
from engine.output.style import BAND_COLOUR, NET_COLOUR, apply_style
from engine.workshop.roles import ROLES

#: One colour per role (Okabe-Ito, as the app's other charts), so a role keeps its colour all day.
ROLE_COLOURS = dict(zip(ROLES, ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#737373"),
                        strict=True))


def spread_chart(estimates: Sequence[tuple[str, str, float, float, float]], pooled: tuple[float, float, float] | None,
                 *, current: float | None, unit: str, title: str, lang: str = DEFAULT_LANGUAGE,
                 presenter: bool = False) -> go.Figure:
    """One row per participant who gave an estimate (skips are not drawn), grouped by role.

    ``unit`` is ``share`` (drawn in per cent), ``sek`` or ``years``; ``pooled`` is (low, most
    likely, high) in the same unit as the estimates.
    """
    scale = 100.0 if unit == "share" else 1.0
    ordered = sorted(estimates, key=lambda e: (ROLES.index(e[1]) if e[1] in ROLES else len(ROLES), e[0].casefold()))
    labels = [f"{chart_text(name)} · {translate(f'workshop.role.{role}', lang)}" for name, role, *_ in ordered]
    fig = go.Figure()
    if pooled is not None:
        fig.add_vrect(x0=pooled[0] * scale, x1=pooled[2] * scale, fillcolor=BAND_COLOUR, line_width=0, layer="below")
    for role in dict.fromkeys(e[1] for e in ordered):
        xs: list[float | None] = []
        ys: list[str | None] = []
        sizes: list[int] = []
        for label, (_, r, low, most_likely, high) in zip(labels, ordered, strict=True):
            if r == role:
                # Three points per person joined by a thick line; only the most likely one shows a dot.
                xs += [low * scale, most_likely * scale, high * scale, None]
                ys += [label, label, label, None]
                sizes += [0, 16, 0, 0]
        colour = ROLE_COLOURS.get(role, "#737373")
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", line={"color": colour, "width": 6}, meta=role,
                                 marker={"color": colour, "size": sizes, "line": {"color": "white", "width": 2}},
                                 name=translate(f"workshop.role.{role}", lang),
                                 hovertemplate="%{y}: %{x}<extra></extra>"))
    if pooled is not None:
        fig.add_trace(go.Scatter(x=[pooled[1] * scale] * 2, y=[labels[0], labels[-1]] if labels else [], mode="lines",
                                 line={"color": NET_COLOUR, "width": 3}, meta="pooled",
                                 name=translate("workshop.chart.pooled", lang)))
    if current is not None:
        fig.add_vline(x=current * scale, line_dash="dash", line_color="#737373",
                      annotation_text=translate("workshop.chart.current", lang), annotation_position="top")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), showgrid=False)
    fig.update_xaxes(title={"text": translate(f"workshop.chart.axis.{unit}", lang)}, rangemode="tozero")
    fig.update_layout(title={"text": chart_text(title),
                             "subtitle": {"text": translate("workshop.chart.subtitle", lang)}},
                      height=max(320, 120 + 42 * len(labels)) if not presenter else max(420, 160 + 56 * len(labels)))
    return apply_style(fig, lang, presenter)
