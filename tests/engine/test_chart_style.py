"""The shared chart style: the scale of amounts and padded axis ranges."""

from __future__ import annotations

import pytest

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
