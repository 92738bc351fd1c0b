"""chart_with_downloads: the figure as drawn, with PNG and SVG buttons (or a note when no browser exists)."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import TIMEOUT


def _script():
    import plotly.graph_objects as go

    from engine.i18n import translate
    from ui.components.chart_with_downloads import chart_with_downloads

    def t(key, **params):
        return translate(key, "sv", **params)

    figure = go.Figure(go.Bar(x=[1, 2, 3], y=[4, 5, 6], name="Kommunen"))
    chart_with_downloads(t, figure, "test-diagram", "test", "sv")


def test_the_chart_and_its_two_downloads_are_drawn(monkeypatch):
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert '"Kommunen"' in charts[0].proto.spec
    downloads = at.get("download_button")
    assert len(downloads) == 2
    assert {d.proto.label for d in downloads} == {translate_sv("calc.download_png"), translate_sv("calc.download_svg")}


def translate_sv(key):
    from engine.i18n import translate

    return translate(key, "sv")


def test_a_failed_export_raises_and_the_chart_then_says_why_in_the_users_language():
    from engine.output.export import ExportFailed
    from ui.components import chart_with_downloads as module

    def broken(figure, lang):
        raise ExportFailed("webbläsaren svarade inte", lang)

    image = module._recorded(broken, object(), "sv", ("session-x", "test"))
    with pytest.raises(ExportFailed):
        image()  # no empty file: Streamlit's button reports the failure
    assert "webbläsaren svarade inte" in module._FAILURES[("session-x", "test")]
    assert module._recorded(lambda figure, lang: b"png", object(), "sv", ("session-x", "test"))() == b"png"
    assert ("session-x", "test") not in module._FAILURES  # a success clears it


def _session_script():
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    st.session_state["session_id"] = get_script_run_ctx().session_id
    _script_body = __import__("tests.ui.test_chart_with_downloads", fromlist=["_script"])._script
    _script_body()


def test_the_reason_of_a_failure_stands_at_the_chart():
    from ui.components import chart_with_downloads as module

    at = AppTest.from_function(_session_script, default_timeout=TIMEOUT).run()
    if not at.get("download_button"):
        pytest.skip("no Chromium here: the chart shows the install note instead of buttons")
    module._FAILURES[(at.session_state["session_id"], "test")] = "Bilden kunde inte skapas (test)."
    at.run()
    assert [e.value for e in at.error] == ["Bilden kunde inte skapas (test)."]
    module._FAILURES.clear()
