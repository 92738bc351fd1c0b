"""Chart builders: the traces each chart holds, shared colours and style, both languages."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.output.style import BASE_FONT_SIZE, KNOWN_PAYER_COLOURS, PRESENTER_FONT_SIZE, payer_colours
from engine.payers import payer_label
from engine.savings.charts import (
    benefits_costs_chart,
    cumulative_chart,
    fan_chart,
    tornado_chart,
    who_pays_who_saves_chart,
)
from engine.savings.model import project_savings
from engine.savings.uncertainty import TornadoRow, sensitivity, simulate_savings
from tests.engine.factories import make_cost, make_outcome, make_scenario


def _two_payer_scenario(**overrides):
    """kommun pays 10 000 kr a year for 3 years; kommun and region share the benefits over 6 years.

    Benefits: 10 participants a year * 10 units * 0.5 * (100 + 250) kr = 17 500 kr per cohort-year.
    """
    defaults = {
        "horizon_years": 6,
        "contract_years": 3,
        "intake": [10, 10, 10],
        "outcomes": [make_outcome(effect_profile=[1.0, 1.0, 0.5], effect_range=[0.2, 0.8],
                                  values={"kommun": 100.0, "region": 250.0})],
        "uncertainty": {"value_range": [0.8, 1.2], "cost_range": [0.9, 1.3]},
    }
    return make_scenario(**{**defaults, **overrides})


def _millions_scenario():
    return _two_payer_scenario(intake=[1000, 1000, 1000])


def _never_breaking_even():
    return make_scenario(costs=[make_cost(per_participant=1_000_000.0)])


@pytest.fixture(scope="module")
def projection():
    return project_savings(_two_payer_scenario())


@pytest.fixture(scope="module")
def simulation():
    return simulate_savings(_two_payer_scenario(), draws=500, seed=1)


@pytest.fixture(scope="module")
def rows():
    return sensitivity(_two_payer_scenario())


def _roles(figure):
    return [trace.meta for trace in figure.data]


def _trace(figure, role):
    (trace,) = [t for t in figure.data if t.meta == role]
    return trace


def _shape(figure, name):
    return [s for s in figure.layout.shapes if s.name == name]


def _plain(text):
    # Titles are broken into lines (<br>) to fit a phone; the words are what these tests check.
    return text.replace("<br>", " ")


def _year_charts(projection, simulation, lang="sv", presenter=False):
    return {
        "cumulative": cumulative_chart(projection, lang, presenter=presenter),
        "flows": benefits_costs_chart(projection, lang, presenter=presenter),
        "fan": fan_chart(simulation, lang, presenter=presenter),
    }


def _all_charts(projection, simulation, rows, lang="sv", presenter=False):
    return {
        **_year_charts(projection, simulation, lang, presenter),
        "who_pays": who_pays_who_saves_chart(projection, lang, presenter=presenter),
        "tornado": tornado_chart(rows, lang, presenter=presenter),
    }


# --- payers -------------------------------------------------------------------------------------


def test_the_known_budget_holders_have_fixed_distinct_colours():
    assert payer_colours(["kommun", "region", "stat"]) == {
        "kommun": "#0072B2", "region": "#E69F00", "stat": "#009E73"}
    assert len(set(KNOWN_PAYER_COLOURS.values())) == len(KNOWN_PAYER_COLOURS)


def test_an_unknown_payer_keeps_its_colour_from_one_process_to_the_next():
    # Pinned value: a salted hash() would change it between runs of the app.
    assert payer_colours(["Samordningsförbundet"]) == {"Samordningsförbundet": "#661100"}


@given(st.lists(st.text(min_size=1, max_size=12).filter(lambda p: p not in KNOWN_PAYER_COLOURS),
                min_size=1, max_size=6, unique=True), st.randoms())
def test_unknown_payers_get_distinct_colours_whatever_order_they_come_in(names, random):
    shuffled = names[:]
    random.shuffle(shuffled)
    colours = payer_colours(["kommun", *names])
    assert payer_colours([*shuffled, "kommun"]) == colours
    assert len(set(colours.values())) == len(names) + 1


def test_payers_are_labelled_in_both_languages_and_unknown_ids_as_given():
    assert [payer_label(p, "sv") for p in KNOWN_PAYER_COLOURS] == [
        "Kommunen", "Regionen", "Staten", "Försäkringskassan", "Arbetsförmedlingen", "Kriminalvården"]
    assert [payer_label(p, "en") for p in KNOWN_PAYER_COLOURS] == [
        "The municipality", "The region", "The state", "Social Insurance Agency (Försäkringskassan)",
        "Public Employment Service (Arbetsförmedlingen)", "Prison and Probation Service (Kriminalvården)"]
    assert payer_label("Idéburen partner", "en") == "Idéburen partner"


def test_a_payer_has_the_same_colour_in_every_chart(projection):
    expected = payer_colours(projection.payers)
    flows = benefits_costs_chart(projection, "sv")
    who = who_pays_who_saves_chart(projection, "sv")
    for payer in projection.payers:
        index = list(projection.payers).index(payer)
        assert _trace(flows, f"benefit:{payer}").marker.color == expected[payer]
        assert _trace(who, "benefits").marker.color[index] == expected[payer]
        assert _trace(who, "costs").marker.color[index] == expected[payer]
    assert _trace(flows, "cost:kommun").marker.color == expected["kommun"]


# --- the builders -------------------------------------------------------------------------------


def test_the_cumulative_chart_draws_the_cumulative_discounted_net_by_year(projection):
    figure = cumulative_chart(projection, "sv")
    assert _roles(figure) == ["cumulative_net"]
    line = _trace(figure, "cumulative_net")
    assert list(line.x) == projection.years.tolist()
    np.testing.assert_allclose(line.y, projection.cumulative_discounted_net)


def test_the_benefits_and_costs_chart_stacks_benefits_up_and_costs_down_by_payer(projection):
    figure = benefits_costs_chart(projection, "sv")
    assert _roles(figure) == ["benefit:kommun", "benefit:region", "cost:kommun", "net"]
    benefits = sum(np.array(_trace(figure, f"benefit:{p}").y) for p in ("kommun", "region"))
    np.testing.assert_allclose(benefits, projection.benefits)
    np.testing.assert_allclose(_trace(figure, "cost:kommun").y, -projection.costs)
    np.testing.assert_allclose(_trace(figure, "net").y, projection.net_by_year)
    assert figure.layout.barmode == "relative"


def test_the_benefits_and_costs_legend_has_one_entry_per_payer(projection):
    figure = benefits_costs_chart(projection, "sv")
    in_legend = [t.name for t in figure.data if t.showlegend is not False]
    assert in_legend == ["Kommunen", "Regionen", "Netto"]
    assert "Kostnad: Kommunen" in _trace(figure, "cost:kommun").hovertemplate


def test_who_pays_who_saves_shows_costs_left_benefits_right_and_the_net_per_payer(projection):
    figure = who_pays_who_saves_chart(projection, "sv")
    assert _roles(figure) == ["costs", "benefits", "net"]
    assert list(_trace(figure, "benefits").y) == ["Kommunen", "Regionen"]
    assert all(t.orientation == "h" for t in figure.data)
    payers = projection.payers
    np.testing.assert_allclose(_trace(figure, "costs").x, [-projection.pv_costs_by_payer[p] for p in payers])
    np.testing.assert_allclose(_trace(figure, "benefits").x, [projection.pv_benefits_by_payer[p] for p in payers])
    np.testing.assert_allclose(_trace(figure, "net").x, [projection.npv_by_payer[p] for p in payers])


def test_who_pays_shows_the_amounts_on_the_bars_in_swedish_format(projection):
    figure = who_pays_who_saves_chart(projection, "sv")
    assert _trace(figure, "costs").text[0] == "30\u00a0000 kr"  # 3 years * 10 000 kr, undiscounted
    assert _trace(figure, "costs").text[1] == "0 kr"


def test_the_fan_chart_fills_between_p10_and_p90_around_the_median(simulation):
    figure = fan_chart(simulation, "sv")
    assert _roles(figure) == ["p10", "p90", "p50"]
    assert _trace(figure, "p90").fill == "tonexty"
    np.testing.assert_allclose(_trace(figure, "p10").y, simulation.cdn_p10)
    np.testing.assert_allclose(_trace(figure, "p50").y, simulation.cdn_p50)
    np.testing.assert_allclose(_trace(figure, "p90").y, simulation.cdn_p90)


def test_the_fan_chart_states_the_break_even_probabilities_in_words(simulation):
    figure = fan_chart(dataclasses.replace(simulation, p_break_even_within_contract=0.12,
                                           p_break_even_within_horizon=0.71), "sv")
    assert _plain(figure.layout.title.subtitle.text) == (
        "Sannolikhet att gå jämnt ut inom avtalsperioden: 12\u00a0%; inom 6 år: 71\u00a0%")
    english = fan_chart(dataclasses.replace(simulation, p_break_even_within_contract=0.12,
                                            p_break_even_within_horizon=0.71), "en")
    assert _plain(english.layout.title.subtitle.text) == (
        "Probability of breaking even within the contract period: 12%; within 6 years: 71%")


def test_the_fan_chart_never_rounds_a_small_chance_to_zero_or_a_near_certainty_to_one(simulation):
    figure = fan_chart(dataclasses.replace(simulation, p_break_even_within_contract=0.003,
                                           p_break_even_within_horizon=0.997), "en")
    assert _plain(figure.layout.title.subtitle.text).endswith("contract period: <1%; within 6 years: >99%")


def test_the_tornado_puts_the_largest_swing_on_top_whatever_the_input_order(rows):
    figure = tornado_chart(tuple(reversed(rows)), "en")
    assert _roles(figure) == ["low", "high", "base_npv"]
    labels = [text.replace("<br>", " ") for text in figure.layout.yaxis.ticktext]
    assert labels[0] == "Effect: Undvikna sjukdagar"
    low, high = _trace(figure, "low"), _trace(figure, "high")
    swings = [abs(h - lo) for lo, h in zip(low.x, high.x, strict=True)]
    assert swings == sorted(swings, reverse=True)


def test_tornado_bars_start_at_the_base_npv_and_end_at_the_npv_of_each_end(rows):
    figure = tornado_chart(rows, "sv")
    low, high = _trace(figure, "low"), _trace(figure, "high")
    ordered = sorted(rows, key=lambda r: r.swing, reverse=True)
    np.testing.assert_allclose(np.add(low.base, low.x), [r.npv_low for r in ordered])
    np.testing.assert_allclose(np.add(high.base, high.x), [r.npv_high for r in ordered])
    assert list(_trace(figure, "base_npv").x) == [ordered[0].npv_base] * 2


def test_a_tornado_row_that_changes_nothing_writes_its_range_once():
    flat = TornadoRow("deadweight", "Dagar", 0.0, 0.05, 0.15, 100.0, 100.0, 100.0)
    figure = tornado_chart([flat], "sv")
    assert list(_trace(figure, "low").text) == [""]
    assert list(_trace(figure, "high").text) == ["0\u00a0%–15\u00a0%"]


def test_a_tornado_without_rows_says_there_is_nothing_to_show():
    figure = tornado_chart((), "en")
    assert list(figure.data) == []
    assert [a.text for a in figure.layout.annotations] == ["Nothing to show"]


# --- conventions shared by the year charts ------------------------------------------------------


@pytest.mark.parametrize("chart", ["cumulative", "flows", "fan"])
def test_the_contract_window_is_shaded_from_half_a_year_before_year_1_to_after_year_c(projection, simulation,
                                                                                       chart):
    figure = _year_charts(projection, simulation)[chart]
    (window,) = _shape(figure, "contract_window")
    assert (window.x0, window.x1) == (0.5, projection.contract_years + 0.5)
    labels = [a.text for a in figure.layout.annotations if a.name == "contract_window_label"]
    assert labels == ["Avtalsperiod"]
    assert list(figure.layout.xaxis.range) == [0.5, projection.horizon_years + 0.5]


def test_the_contract_window_is_labelled_in_english(projection):
    labels = [a.text for a in cumulative_chart(projection, "en").layout.annotations]
    assert "Contract period" in labels


def test_the_break_even_year_is_marked_when_the_projection_breaks_even(projection):
    assert projection.break_even_year is not None
    figure = cumulative_chart(projection, "sv")
    (line,) = _shape(figure, "break_even")
    assert line.x0 == line.x1 == projection.break_even_year
    assert f"Går jämnt ut år {projection.break_even_year}" in [a.text for a in figure.layout.annotations]


def test_no_break_even_marker_when_the_projection_never_breaks_even():
    projection = project_savings(_never_breaking_even())
    assert projection.break_even_year is None
    figure = cumulative_chart(projection, "en")
    assert _shape(figure, "break_even") == []
    # Long subtitles are broken into lines (<br>) so that they fit a narrow chart.
    assert figure.layout.title.subtitle.text.replace("<br>", " ").endswith("Does not break even within 2 years")


def test_large_amounts_are_drawn_in_millions_with_swedish_hover_texts():
    projection = project_savings(_millions_scenario())
    figure = cumulative_chart(projection, "sv")
    line = _trace(figure, "cumulative_net")
    np.testing.assert_allclose(line.y, projection.cumulative_discounted_net / 1e6)
    assert figure.layout.yaxis.title.text == "Ackumulerat diskonterat netto, mnkr"
    assert line.customdata[-1].endswith(" mnkr")
    assert "," in line.customdata[-1]
    assert cumulative_chart(projection, "en").layout.yaxis.title.text == "Cumulative discounted net, SEK m"


def test_small_amounts_stay_in_kronor(projection):
    figure = cumulative_chart(projection, "sv")
    assert figure.layout.yaxis.title.text == "Ackumulerat diskonterat netto, kr"
    assert figure.layout.yaxis.exponentformat == "none"  # 50 000, never 50k


@pytest.mark.parametrize(("lang", "separators"), [("sv", ", "), ("en", ".,")])
def test_every_chart_uses_the_languages_decimal_and_thousands_separators(projection, simulation, rows, lang,
                                                                          separators):
    for figure in _all_charts(projection, simulation, rows, lang).values():
        assert figure.layout.separators == separators


def test_titles_and_axis_titles_are_translated(projection, simulation, rows):
    swedish = _all_charts(projection, simulation, rows, "sv")
    english = _all_charts(projection, simulation, rows, "en")
    assert {k: _plain(f.layout.title.text) for k, f in swedish.items()} == {
        "cumulative": "När lönar det sig?", "flows": "Nyttor och kostnader per år",
        "fan": "Osäkerhet: ackumulerat diskonterat netto", "who_pays": "Vem betalar, vem sparar?",
        "tornado": "Vad påverkar nettonuvärdet mest?",
    }
    assert {k: _plain(f.layout.title.text) for k, f in english.items()} == {
        "cumulative": "When does it pay off?", "flows": "Benefits and costs per year",
        "fan": "Uncertainty: cumulative discounted net", "who_pays": "Who pays, who saves?",
        "tornado": "What moves the net present value most?",
    }
    assert swedish["flows"].layout.xaxis.title.text == "År (år 1 = första avtalsåret)"
    assert english["flows"].layout.xaxis.title.text == "Year (year 1 = first contract year)"


def test_every_chart_shares_the_style_white_background_and_legend_on_top(projection, simulation, rows):
    for figure in _all_charts(projection, simulation, rows).values():
        layout = figure.layout
        assert (layout.paper_bgcolor, layout.plot_bgcolor) == ("white", "white")
        assert layout.legend.orientation == "h"
        assert layout.legend.yanchor == "top"
        assert layout.font.size == BASE_FONT_SIZE


def test_presenter_mode_enlarges_fonts_and_thickens_lines(projection, simulation, rows):
    normal = _all_charts(projection, simulation, rows)
    presenter = _all_charts(projection, simulation, rows, presenter=True)
    for name in normal:
        assert presenter[name].layout.font.size == PRESENTER_FONT_SIZE > normal[name].layout.font.size
        assert presenter[name].layout.title.font.size > normal[name].layout.title.font.size
        assert presenter[name].layout.height > normal[name].layout.height
    for name, role in (("cumulative", "cumulative_net"), ("flows", "net"), ("fan", "p50")):
        assert _trace(presenter[name], role).line.width > _trace(normal[name], role).line.width


def test_builders_return_new_figures_that_serialise_to_json(projection, simulation, rows):
    for figure in _all_charts(projection, simulation, rows, "en").values():
        assert figure.to_json()
    assert cumulative_chart(projection) is not cumulative_chart(projection)


def test_unknown_payers_are_labelled_as_given_in_the_charts():
    scenario = _two_payer_scenario(costs=[make_cost(payer="Samordningsförbundet")])
    figure = who_pays_who_saves_chart(project_savings(scenario), "en")
    assert next(iter(_trace(figure, "costs").y)) == "Samordningsförbundet"
