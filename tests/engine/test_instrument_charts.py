"""Instrument chart builders: the traces and marks each holds, both languages, presenter sizes."""

from __future__ import annotations

import numpy as np
import pytest

from engine.instruments.charts import fund_chart, investor_chart, payments_chart, public_distribution_chart
from engine.instruments.comparison import compare_instruments
from engine.instruments.contract import contract_cash_flows
from engine.output.style import BASE_FONT_SIZE, PRESENTER_FONT_SIZE
from engine.scenario import INSTRUMENTS
from tests.engine.factories import make_outcome, make_scenario


def _scenario(instrument="social_outcomes_contract", **terms):
    # 50 units a year in years 1-4 (effect 0.5 on a baseline of 10, 10 participants), 10 000 kr delivery.
    return make_scenario(
        horizon_years=6, contract_years=3,
        outcomes=[make_outcome(effect_profile=[1.0] * 4, effect_range=[0.2, 0.8])],
        uncertainty={"value_range": [0.8, 1.2]},
        contract={"instrument": instrument, "prices": {"Undvikna sjukdagar": 90.0}, **terms},
    )


@pytest.fixture(scope="module")
def comparison():
    return compare_instruments(_scenario(), draws=500, seed=1)


def test_the_distribution_has_one_box_per_instrument_and_the_means(comparison):
    figure = public_distribution_chart(comparison, "sv")
    assert [t.meta for t in figure.data] == [f"box:{i}" for i in INSTRUMENTS] + ["mean"]
    box = figure.data[0]
    draws = comparison.instruments["traditional_procurement"].public_npv_draws
    assert box.median[0] == pytest.approx(np.median(draws))
    assert box.lowerfence[0] == pytest.approx(np.quantile(draws, 0.1))
    assert box.upperfence[0] == pytest.approx(np.quantile(draws, 0.9))


def test_the_chosen_instrument_is_bold_and_names_follow_the_language(comparison):
    sv = public_distribution_chart(comparison, "sv")
    en = public_distribution_chart(comparison, "en")
    assert sv.data[4].name.startswith("<b>Socialt")
    assert "Traditional procurement" in en.data[0].name
    assert sv.layout.separators == ", "
    assert en.layout.separators == ".,"


def test_payments_follow_the_window_and_mark_the_cut_of_the_cap():
    # 90 kr * 50 units = 4 500 a year in years 1-3; cap 10 000: 4 500, 4 500, 1 000.
    result = contract_cash_flows(_scenario(cap=10_000.0, payment_window=[1, 3]))
    figure = payments_chart(result, "en")
    assert [t.meta for t in figure.data] == ["payment:Undvikna sjukdagar", "uncapped"]
    assert list(figure.data[0].y) == pytest.approx([4500, 4500, 1000, 0, 0, 0])
    assert list(figure.data[1].x) == [3]
    assert list(figure.data[1].y) == pytest.approx([4500])
    shapes = {s.name: s for s in figure.layout.shapes}
    assert (shapes["payment_window"].x0, shapes["payment_window"].x1) == (0.5, 3.5)
    assert (shapes["contract_window"].x0, shapes["contract_window"].x1) == (0.5, 3.5)
    assert "cap" in figure.layout.title.subtitle.text


def test_payments_without_prices_show_the_empty_notice():
    figure = payments_chart(contract_cash_flows(_scenario(prices={})), "sv")
    assert [a.name for a in figure.layout.annotations] == ["empty"]


def test_the_investor_chart_shows_cash_flow_cumulative_and_irr():
    result = contract_cash_flows(_scenario())
    figure = investor_chart(result, "sv")
    assert [t.meta for t in figure.data] == ["cash_flow", "cumulative"]
    assert list(figure.data[1].y) == pytest.approx(np.cumsum(result.investor_cash_flow_by_year).tolist())
    assert "Internränta" in figure.layout.title.subtitle.text


def test_an_undefined_irr_is_said_in_words():
    figure = investor_chart(contract_cash_flows(_scenario(prices={})), "en")
    assert "no internal rate of return" in figure.layout.title.subtitle.text.replace("<br>", " ")


def test_the_investor_chart_refuses_other_instruments():
    with pytest.raises(ValueError, match="social outcomes contract"):
        investor_chart(contract_cash_flows(_scenario("iop")), "sv")


def test_the_fund_chart_marks_the_repaid_year():
    # Kommun benefits 5 000 a year in years 1-4; all of it repays 10 000 by year 2.
    result = contract_cash_flows(_scenario("social_investment_fund", fund_repayment_share=1.0))
    figure = fund_chart(result, "en")
    assert [t.meta for t in figure.data] == ["repayments", "balance"]
    assert list(figure.data[1].y) == pytest.approx([-5000, 0, 0, 0, 0, 0])
    assert [s.x0 for s in figure.layout.shapes if s.name == "fund_repaid"] == [2]


def test_a_fund_that_is_not_repaid_says_so():
    result = contract_cash_flows(_scenario("social_investment_fund", fund_repayment_share=0.1))
    figure = fund_chart(result, "sv")
    assert "fund_repaid" not in [s.name for s in figure.layout.shapes]
    assert "inte" in figure.layout.title.subtitle.text


def test_presenter_mode_uses_the_larger_font(comparison):
    assert public_distribution_chart(comparison, "sv").layout.font.size == BASE_FONT_SIZE
    assert public_distribution_chart(comparison, "sv", presenter=True).layout.font.size == PRESENTER_FONT_SIZE
    result = contract_cash_flows(_scenario())
    assert payments_chart(result, "sv", presenter=True).layout.font.size == PRESENTER_FONT_SIZE


def test_large_amounts_are_drawn_in_millions():
    scenario = _scenario().model_copy(update={"intake": [10_000.0]})
    figure = investor_chart(contract_cash_flows(scenario), "sv")
    assert "mnkr" in figure.layout.yaxis.title.text
