"""The shared chart style: the scale of amounts, padded axis ranges and user text in charts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.output.style import padded_range, scale_for


def test_a_chart_is_drawn_in_millions_from_one_million_kronor_of_either_sign():
    assert scale_for([999_999.0], [-999_999.0]).unit == "kr"
    assert scale_for([10.0], [-1_000_000.0]).unit == "mnkr"
    assert scale_for([[0.0, 1_000_000.0]]).divisor == 1e6
    assert scale_for().unit == "kr"


def test_a_chart_in_millions_gives_small_amounts_in_kronor():
    scale = scale_for([1_000_000.0])
    assert scale.scaled([2_500_000.0, -500_000.0]) == [2.5, -0.5]
    assert scale.text(49_999.0, "sv") == "49\u00a0999 kr"  # a no-break space between the thousands
    assert scale.text(50_000.0, "sv") == "0,1 mnkr"
    assert scale.axis_unit("en") == "SEK m"


def test_the_padded_range_includes_zero_and_widens_only_the_sides_with_bars():
    assert padded_range([2.0, -1.0], 0.1) == pytest.approx([-1.3, 2.3])
    assert padded_range([4.0], 0.25) == [0.0, 5.0]
    assert padded_range([-4.0], 0.25) == [-5.0, 0.0]
    assert padded_range([0.0], 0.3) == [0.0, 1.0]


def test_a_long_title_is_wrapped_and_the_figure_grows_by_its_extra_lines():
    import plotly.graph_objects as go

    from engine.output.style import apply_style, set_titles

    short = apply_style(go.Figure(), "sv", presenter=True)
    set_titles(short, "Kort", "Kort")
    long = apply_style(go.Figure(), "sv", presenter=True)
    set_titles(long, "Vem bär risken? Offentlig sektors resultat per instrument", "Kort")
    assert "<br>" not in short.layout.title.text
    assert long.layout.title.text.count("<br>") == 1
    assert long.layout.height > short.layout.height
    assert long.layout.margin.t > short.layout.margin.t
    assert long.layout.title.pad.t > short.layout.title.pad.t  # the first line is not pushed off the top
    assert long.layout.legend.y < short.layout.legend.y  # the legend moves down with the titles


def _as_plotly_shows(text: str) -> str:
    """What plotly draws for ``text`` that has no tags: its entities turned back into characters
    (the named ones plotly knows and numeric ones), as plotly's own text code does."""
    import re

    named = {"amp": "&", "lt": "<", "gt": ">"}
    return re.sub(r"&(#\d+|[a-z]+);", lambda m: chr(int(m.group(1)[1:])) if m.group(1).startswith("#")
                  else named.get(m.group(1), m.group(0)), text)


@given(st.text(alphabet=st.sampled_from(list("<>&$%{}#;ab /=\"'*[]()lt")), max_size=40))
def test_chart_text_leaves_no_tag_or_field_and_plotly_shows_the_text_as_typed(text):
    from engine.output.chart_text import chart_text

    escaped = chart_text(text)
    for markup in ("<", ">", "$", "%{"):
        assert markup not in escaped
    assert _as_plotly_shows(escaped) == text


def test_chart_text_survives_wrapping_of_a_long_axis_label():
    from engine.output.chart_text import chart_text
    from engine.output.style import wrap_label

    wrapped = wrap_label(chart_text("<b>Samordningsförbundet</b> <a href='http://evil.example'>Logga in</a>"), 24)
    assert "<br>" in wrapped  # the label's own line breaks stay tags
    assert "<b>" not in wrapped
    assert "<a " not in wrapped
