"""Static export: PNG and SVG through the shared browser, and a clear failure without one.

Tests that render need Chrome or Chromium. Without one they are skipped with the reason,
except under CI=true, where they fail: CI must exercise the export.
"""

from __future__ import annotations

import struct
import threading

import plotly.graph_objects as go
import pytest

from engine.output import export
from engine.output.export import (
    EXPORT_WIDTH,
    PNG_SCALE,
    ExportFailed,
    ExportUnavailable,
    chromium_available,
    figure_to_png,
    figure_to_svg,
)
from engine.savings.charts import cumulative_chart
from engine.savings.model import project_savings
from tests.engine.factories import make_scenario

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    # The IHDR chunk comes first: 8-byte signature, 4-byte length, b"IHDR", then width and height.
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def figure():
    return cumulative_chart(project_savings(make_scenario(horizon_years=4, contract_years=2)), "sv")


def test_a_png_has_the_png_signature_and_the_requested_width_times_the_scale(export_browser, figure):
    data = figure_to_png(figure, width=400, height=300, scale=2)
    assert data.startswith(_PNG_SIGNATURE)
    assert _png_size(data) == (800, 600)


def test_a_png_is_at_print_resolution_by_default(export_browser, figure):
    width, height = _png_size(figure_to_png(figure))
    assert width == round(EXPORT_WIDTH * PNG_SCALE) >= 2000
    # The figure's own height is kept (an odd height times 2.5 ends in half a pixel, which Chromium drops).
    assert abs(height - figure.layout.height * PNG_SCALE) <= 0.5


def test_an_svg_is_svg_text(export_browser, figure):
    data = figure_to_svg(figure)
    assert data.lstrip().startswith((b"<svg", b"<?xml"))
    assert "När lönar det sig?".encode() in data


def test_two_exports_in_a_row_use_the_same_browser(export_browser, figure):
    figure_to_png(figure, scale=1)
    first = export._server
    figure_to_svg(figure)
    assert first is not None
    assert export._server is first


def test_images_made_without_reloading_the_page_are_the_same_as_after_a_reload(export_browser, figure, monkeypatch):
    """The tab is reloaded only every RELOAD_EVERY images; an image made in a page that has drawn
    others before is byte for byte the one a freshly loaded page makes."""
    other = cumulative_chart(project_savings(make_scenario(horizon_years=8, contract_years=3)), "en")
    export.stop_export_server()
    monkeypatch.setattr(export, "RELOAD_EVERY", 1)  # as kaleido does by itself: a reload after each image
    fresh = [figure_to_png(f, scale=1) for f in (figure, other)]
    export.stop_export_server()
    monkeypatch.setattr(export, "RELOAD_EVERY", 50)
    reused = [figure_to_png(f, scale=1) for f in (other, figure, other, figure)]
    assert reused == [fresh[1], fresh[0], fresh[1], fresh[0]]
    assert fresh[0] != fresh[1]
    assert type(export._server._kaleido).__name__ == "ReusingKaleido"


def test_exports_from_several_threads_each_get_their_own_image(export_browser, figure):
    widths = [300, 340, 380, 420]
    results: dict[int, bytes] = {}

    def work(width: int) -> None:
        results[width] = figure_to_png(figure, width=width, height=200, scale=1)

    threads = [threading.Thread(target=work, args=(w,)) for w in widths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert {w: _png_size(data)[0] for w, data in results.items()} == {w: w for w in widths}


def test_a_figure_given_as_a_dict_exports_too(export_browser):
    data = figure_to_png({"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}]}, width=200, height=100, scale=1)
    assert _png_size(data) == (200, 100)


# --- without a browser (no Chromium needed) -----------------------------------------------------


@pytest.fixture
def no_browser(monkeypatch):
    export.stop_export_server()
    monkeypatch.setattr(export, "_find_browser", lambda: None)


def test_without_a_browser_export_is_reported_unavailable(no_browser):
    assert chromium_available() is False


@pytest.mark.parametrize(("lang", "words"), [("sv", "Installera"), ("en", "install")])
def test_without_a_browser_the_error_says_how_to_install_chromium(no_browser, lang, words):
    with pytest.raises(ExportUnavailable, match="apt-get install chromium") as caught:
        figure_to_png(go.Figure(), lang=lang)
    assert words.lower() in str(caught.value).lower()
    with pytest.raises(ExportUnavailable):
        figure_to_svg(go.Figure(), lang=lang)


class _FakeServer:
    """Stands in for the browser: fails or answers, and records that it was closed."""

    def __init__(self, answer: bytes | Exception):
        self.answer, self.closed = answer, False

    def render(self, figure, opts):
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def close(self):
        self.closed = True


def test_a_browser_that_died_is_replaced_and_the_export_retried(monkeypatch):
    dead, fresh = _FakeServer(RuntimeError("pipe closed")), _FakeServer(b"image")
    export.stop_export_server()
    monkeypatch.setattr(export, "_server", dead)
    monkeypatch.setattr(export, "_find_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(export, "_RenderServer", lambda: fresh)
    assert figure_to_png(go.Figure()) == b"image"
    assert dead.closed
    assert export._server is fresh


def test_a_render_that_keeps_failing_raises_a_translated_export_failure(monkeypatch):
    broken = _FakeServer(RuntimeError("boom"))
    export.stop_export_server()
    monkeypatch.setattr(export, "_find_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(export, "_RenderServer", lambda: broken)
    with pytest.raises(ExportFailed, match="could not be made") as caught:
        figure_to_svg(go.Figure(), lang="en")
    assert isinstance(caught.value, ExportUnavailable)  # one except clause covers both
    assert "boom" in caught.value.reason
    assert export._server is None


def test_a_render_that_timed_out_is_not_retried(monkeypatch):
    starts = []

    def start():
        starts.append(1)
        return _FakeServer(TimeoutError())

    export.stop_export_server()
    monkeypatch.setattr(export, "_find_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(export, "_RenderServer", start)
    with pytest.raises(ExportFailed):
        figure_to_png(go.Figure())
    assert len(starts) == 1


def test_starting_the_server_ahead_makes_the_first_export_use_it(export_browser, figure):
    export.stop_export_server()
    assert export.start_export_server() is True
    started = export._server
    assert started is not None
    figure_to_png(figure, width=200, height=100, scale=1)
    assert export._server is started  # the export found the browser already running


def test_starting_ahead_without_a_browser_says_so_and_starts_nothing(no_browser):
    export.stop_export_server()
    assert export.start_export_server() is False
    assert export._server is None


def test_a_browser_that_will_not_start_ahead_is_left_to_the_export_to_explain(monkeypatch):
    def refuse():
        raise RuntimeError("no display")

    export.stop_export_server()
    monkeypatch.setattr(export, "_find_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(export, "_RenderServer", refuse)
    assert export.start_export_server() is False
    with pytest.raises(ExportFailed, match="no display"):
        figure_to_png({"data": [], "layout": {}}, lang="en")
