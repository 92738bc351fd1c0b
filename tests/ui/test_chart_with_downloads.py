"""chart_with_downloads: the figure as drawn, with PNG and SVG buttons (or a note when no browser exists)."""

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
