"""The hostile scenario of ``test_markup.py`` without a browser: every chart built from it carries
its names only as escaped text (plotly), and every string the pages hand to a Markdown element
(AppTest) carries them only escaped. Cheaper than the browser test, and it names the element that
went wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from engine.instruments.charts import payments_chart, public_distribution_chart
from engine.instruments.comparison import compare_instruments
from engine.instruments.contract import contract_cash_flows
from engine.output.chart_text import chart_text
from engine.savings.charts import benefits_costs_chart, cumulative_chart, tornado_chart, who_pays_who_saves_chart
from engine.savings.model import project_savings
from engine.savings.uncertainty import sensitivity
from engine.scenario import parse_scenario
from engine.targets.charts import forecast_chart, its_chart
from engine.targets.evaluation import interrupted_time_series
from engine.targets.forecast import forecast_baseline, target_line
from engine.targets.history import history_from_rows
from tests.hostile.test_markup import (
    OUTCOME_1,
    PAYER_A,
    PAYER_B,
    UNIT,
    hostile_scenario_dict,
    save_hostile_scenario,
)
from ui.input_groups import input_groups
from ui.text import escape_markdown

APP = str(Path(__file__).resolve().parents[2] / "app.py")

# --------------------------------------------------------------------------- charts

#: Pieces of the hostile names as typed that plotly would act on: tags, a template field (the app's
#: own are ``%{x}`` and ``%{customdata}``) and LaTeX. Escaped, their ``<``, ``%`` and ``$`` are entities.
_PLOTLY_RAW = ("<b>x</b>", "<b>B</b>", "<img", "<a href", "<i>dagar</i>", "%{text}", "$x^2$")
#: Keys whose strings identify a trace and are never drawn.
_IDENTIFIERS = {"meta", "legendgroup"}


def _texts(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a figure's JSON with the key it stands under, except identifiers (``meta``,
    a trace's role for tests and pages, and ``legendgroup``), which plotly never draws."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name not in _IDENTIFIERS:
                yield from _texts(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, key)
    elif isinstance(node, str):
        yield key, node


def _assert_plain(figure: go.Figure) -> list[str]:
    """No string of ``figure`` holds a hostile name's markup as typed; returns its strings."""
    texts = list(_texts(json.loads(figure.to_json())))
    for key, text in texts:
        for raw in _PLOTLY_RAW:
            assert raw not in text, f"{key}: {raw!r} unescaped in {text!r}"
    return [text for _, text in texts]


@pytest.fixture(scope="module")
def scenario():
    return parse_scenario(hostile_scenario_dict())


def test_savings_charts_show_payer_and_outcome_names_escaped(scenario):
    projection = project_savings(scenario)
    for build in (cumulative_chart, benefits_costs_chart, who_pays_who_saves_chart):
        _assert_plain(build(projection, "sv"))
    flows = benefits_costs_chart(projection, "sv")
    assert {chart_text(PAYER_A), chart_text(PAYER_B)} <= {trace.name for trace in flows.data}
    texts = _assert_plain(tornado_chart(sensitivity(scenario), "sv"))
    assert any(chart_text(OUTCOME_1)[:20] in text for text in texts)


def test_instrument_charts_show_outcome_names_escaped(scenario):
    payments = payments_chart(contract_cash_flows(scenario), "sv")
    _assert_plain(payments)
    assert chart_text(OUTCOME_1) in {trace.name for trace in payments.data}
    _assert_plain(public_distribution_chart(compare_instruments(scenario, draws=200, seed=1), "sv"))


def test_target_charts_show_the_unit_escaped():
    history = history_from_rows([(str(year), str(10 + (year % 3))) for year in range(2015, 2025)], "sv")
    forecast = forecast_baseline(history, 3)
    figure = forecast_chart(history, forecast, target_line(forecast, reduction=0.1), UNIT, "sv")
    assert figure.layout.yaxis.title.text == chart_text(UNIT)
    _assert_plain(figure)
    estimate = interrupted_time_series(history, "2020", lang="sv")
    _assert_plain(its_chart(history, estimate, "2020", UNIT, "sv"))


# --------------------------------------------------------------------------- pages (AppTest)

#: Pieces of the hostile names as typed. Escaped, each has a backslash or a word joiner inside or
#: right before it, so finding one means the name reached Markdown as it was typed.
_RAW = ("**fet**", "<b>x</b>", "<b>B</b>", "<img src", "<a href", "<i>dagar</i>", "](http://evil", ":red[röd]",
        ":blue[blå]", ":material/home:", "$x^2$", "a@evil", "www.evil", "http://evil")
_UNESCAPED = re.compile("|".join(r"(?<!\\)" + re.escape(piece) for piece in _RAW))


def _markdown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """Every string this run hands to an element that Streamlit renders as Markdown, by kind."""
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "toast", "title", "header",
                 "subheader"):
        for element in getattr(at, kind):
            yield kind, str(element.value)
    for expander in at.expander:
        yield "expander", str(expander.label)
    for tab in at.tabs:
        yield "tab", str(tab.label)
    for kind in ("button", "checkbox", "toggle", "text_input", "text_area", "selectbox", "radio"):
        for widget in getattr(at, kind):
            yield f"{kind} label", str(widget.label)
    for radio in at.radio:
        for option in radio.options:
            yield "radio option", str(option)
    for group in at.button_group:
        for option in group.proto.options:
            yield "segmented control option", str(option.content)
    for metric in at.metric:
        yield "metric", f"{metric.label} {metric.value}"


def _assert_escaped(at: AppTest, where: str) -> None:
    assert not at.exception, at.exception
    for kind, text in _markdown_texts(at):
        found = _UNESCAPED.search(text)
        assert not found, f"{where}, {kind}: {found.group()!r} reaches Markdown unescaped in {text!r}"


@pytest.fixture
def hostile_document(app_db) -> int:
    return save_hostile_scenario(app_db)


def _open(page: str, document: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "sv"
    at.run()
    at.switch_page(page).run()
    at.selectbox(key="open_source_widget").set_value(f"saved:{document}").run()
    return at


def test_calculation_page_escapes_every_name(hostile_document):
    at = _open("pages/kalkyl.py", hostile_document)
    _assert_escaped(at, "kalkyl")
    options = [option.content for group in at.button_group for option in group.proto.options]
    assert any(escape_markdown("**fet** <b>x</b> O1") in option for option in options), options
    for group in input_groups(len(hostile_scenario_dict()["outcomes"])):
        at.button_group(key="calc_group").set_value(group).run()
        _assert_escaped(at, f"kalkyl, part {group}")


def test_comparison_page_escapes_outcome_names_in_warnings_and_labels(hostile_document):
    at = _open("pages/jamfor_instrument.py", hostile_document)
    _assert_escaped(at, "jamfor_instrument")
    assert any(escape_markdown(OUTCOME_1) in w.value for w in at.warning), [w.value for w in at.warning]


def test_targets_page_escapes_outcome_names_and_units(hostile_document):
    at = _open("pages/effektmal.py", hostile_document)
    _assert_escaped(at, "effektmal")
    assert any(escape_markdown(OUTCOME_1) in s.value for s in at.subheader), [s.value for s in at.subheader]


def test_scenarios_page_escapes_the_name(hostile_document):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/scenarier.py").run()
    _assert_escaped(at, "scenarier")


def test_catalogue_quotes_an_unknown_instrument_escaped(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["instrument"] = "**fet** [Logga in](http://evil.example/login) <b>x</b>"
    at.run()
    at.switch_page("pages/instrumenten.py").run()
    _assert_escaped(at, "instrumenten")
    assert escape_markdown("**fet** [Logga in](http://evil.example/login)") in at.warning[0].value
