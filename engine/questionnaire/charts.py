"""The questionnaire's ranking as a horizontal bar chart (plotly), in Swedish or English.

One bar per instrument, best at the top, score 0-100 on x. Instruments that are open are drawn in
one colour; excluded ones are hatched grey at their score with "(utesluten)" after the name, so
the chart never suggests an excluded instrument is a choice. Traces carry ``meta`` ``open`` and
``excluded`` for tests and pages.

>>> from engine.questionnaire.scoring import recommend
>>> fig = ranking_chart(recommend({"provider": "private_market"}), "sv")
>>> [trace.meta for trace in fig.data]
['open', 'excluded']
>>> fig.data[1].y
('Idéburet offentligt partnerskap (IOP) (utesluten)',)
"""

from __future__ import annotations

import plotly.graph_objects as go

from engine.i18n import DEFAULT_LANGUAGE, format_number, translate
from engine.output.style import apply_style
from engine.questionnaire.scoring import Recommendation

_OPEN_COLOUR = "#0072B2"      # Okabe-Ito blue, as the kommun in the other charts
_EXCLUDED_COLOUR = "#999999"


def ranking_chart(rec: Recommendation, lang: str = DEFAULT_LANGUAGE, *, presenter: bool = False) -> go.Figure:
    """Scores 0-100 of every instrument, best first at the top; excluded ones grey and hatched."""
    fig = go.Figure()
    for meta, rows in (("open", [s for s in rec.ranking if not s.excluded]),
                       ("excluded", [s for s in rec.ranking if s.excluded])):
        if not rows:
            continue
        names = [translate(f"catalogue.{s.instrument}.name", lang)
                 + ("" if meta == "open" else f" ({translate('questionnaire.chart.excluded', lang)})") for s in rows]
        fig.add_trace(go.Bar(
            x=[s.score for s in rows], y=names, orientation="h", meta=meta,
            name=translate(f"questionnaire.chart.{meta}", lang),
            marker={"color": _OPEN_COLOUR if meta == "open" else "white",
                    "line": {"color": _OPEN_COLOUR if meta == "open" else _EXCLUDED_COLOUR, "width": 1.5},
                    "pattern": {"shape": "" if meta == "open" else "/", "fgcolor": _EXCLUDED_COLOUR}},
            text=[format_number(s.score, lang) for s in rows], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        ))
    order = [translate(f"catalogue.{s.instrument}.name", lang)
             + ("" if not s.excluded else f" ({translate('questionnaire.chart.excluded', lang)})") for s in rec.ranking]
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), showgrid=False)
    fig.update_xaxes(range=[0, 108], title={"text": translate("questionnaire.chart.axis", lang)}, dtick=25)
    fig.update_layout(
        title={"text": translate("questionnaire.chart.title", lang),
               "subtitle": {"text": translate("questionnaire.chart.subtitle", lang)}},
        showlegend=any(s.excluded for s in rec.ranking),
        height=560 if presenter else 440,
    )
    return apply_style(fig, lang, presenter)
