"""Static images of plotly figures (PNG for print, SVG) through one shared headless browser.

Kaleido 1.x renders figures in Chrome or Chromium, which must be installed on the machine
(Debian: ``apt-get install chromium``). Starting the browser takes about 3 s, rendering one
image about 0.3 s, so the browser is started on the first export and then kept for the life of
the process (:class:`_RenderServer`), shared by every user and thread.

Why not ``kaleido.start_sync_server()``: its ``call_function`` waits on a queue with no time
limit, so a browser that fails to start or dies leaves every later export hanging, and
results of concurrent callers can be swapped. Here the browser runs on an asyncio loop in one
daemon thread; a lock lets one export at a time use it, every wait has a time limit, and a
failed render discards the browser so the next export starts a fresh one (and a render that
failed quickly, as on a browser that died, is retried once on it).

When no browser is installed, exports raise :class:`ExportUnavailable` with a message that
says how to install one; nothing else in the app depends on the browser.

Footnotes: an exported image can carry a line naming what it shows (``Scenario: Namn · version 3 ·
fasta priser 2024``), so that a chart pasted into a memo still says which scenario and assumptions it
comes from. :func:`with_footnote` adds it to a copy of the figure, at the bottom left of the image;
the figure on screen never has it.

Sizes: ``width`` and ``height`` are layout pixels, the size the figure is laid out at (fonts
and lines keep their pixel sizes); ``scale`` multiplies them into image pixels. The defaults,
960 x 540 at scale 2.5, give a 2400 x 1350 px PNG: about 380 dpi across a 16 cm Word text column,
with 15 px text printing at about 7 pt (presenter figures, 22 px, at about 10 pt).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import textwrap
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import plotly.graph_objects as go

from engine.i18n import DEFAULT_LANGUAGE, translate
from engine.output.chart_text import chart_text

#: Layout size of an exported figure when the figure sets none, in px (16:9, fits a slide too).
EXPORT_WIDTH = 960
EXPORT_HEIGHT = 540
#: Image pixels per layout pixel for PNG.
PNG_SCALE = 2.5

#: Seconds allowed for starting the browser and for rendering one image. Generous: CI machines
#: are slow and shared, and a hung export must still end.
_START_TIMEOUT = 60.0
_RENDER_TIMEOUT = 60.0


class ExportUnavailable(RuntimeError):
    """No image can be made because no Chrome/Chromium is installed; the message (in the
    caller's language) says how to install one. Catch this class to handle every reason an
    export gave no image, :class:`ExportFailed` included."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE, message: str | None = None):
        super().__init__(message or translate("charts.export.unavailable", lang))


class ExportFailed(ExportUnavailable):
    """A browser exists but did not produce the image (it crashed, or timed out twice)."""

    def __init__(self, reason: str, lang: str = DEFAULT_LANGUAGE):
        self.reason = reason
        super().__init__(lang, translate("charts.export.failed", lang, reason=reason))


def _find_browser() -> str | None:
    """The Chrome/Chromium kaleido would use: ``BROWSER_PATH``, a browser kaleido downloaded,
    or one on ``PATH`` (``chromium``, ``google-chrome`` ...); None when there is none."""
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def chromium_available() -> bool:
    """True when a browser for image export is installed. Cheap (a PATH lookup), not cached,
    so installing Chromium while the app runs is noticed at the next call."""
    return _find_browser() is not None


class _RenderServer:
    """One kaleido browser on a private asyncio loop in a daemon thread.

    Not thread-safe by itself: :func:`_render` serialises all use through ``_LOCK``.
    """

    def __init__(self) -> None:

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido-export", daemon=True)
        self._thread.start()

        async def open_browser() -> Any:
            # Constructed inside the loop: kaleido's queues belong to the loop that uses them.
            # mathjax=False: the default fetches MathJax from a CDN on every start, and our charts
            # have no LaTeX; plotly.js itself comes from the installed plotly package.
            browser = _kaleido_class()(n=1, timeout=_RENDER_TIMEOUT, mathjax=False)
            await browser.open()
            return browser

        try:
            self._kaleido = self._run(open_browser(), _START_TIMEOUT)
        except BaseException:
            self._stop_loop()
            raise

    def _run(self, coroutine: Any, timeout: float) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def render(self, figure: dict[str, Any], opts: dict[str, Any]) -> bytes:
        # A little over kaleido's own limit, so that its error (with a reason) normally wins.
        return self._run(self._kaleido.calc_fig(figure, opts=opts), _RENDER_TIMEOUT + 5)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._run(self._kaleido.close(), 15)
        self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.close()


#: Images a tab renders before it is reloaded (see _kaleido_class).
RELOAD_EVERY = 50


def _kaleido_class() -> type:
    """kaleido's browser class, changed to reload its tab every :data:`RELOAD_EVERY` images instead of
    after every one.

    kaleido reloads the page (with its 3.5 MB of plotly.js) after each image, to start each from a
    clean page. That reload is most of an image's time: six charts take 2.5 s with it and 1.3 s
    without, and the images are byte for byte the same (``tests/engine/test_export.py`` checks).
    A reload every fifty images still bounds what a long-running server's page can accumulate.
    The hook is a private method of kaleido 1.x; if a later version renames it, the class is used
    as it comes and only the speed is lost.
    """
    import kaleido

    if not hasattr(kaleido.Kaleido, "_return_kaleido_tab"):
        return kaleido.Kaleido

    class ReusingKaleido(kaleido.Kaleido):
        _since_reload: dict[int, int]

        async def _return_kaleido_tab(self, tab: Any) -> None:
            counts = self.__dict__.setdefault("_since_reload", {})
            counts[id(tab)] = counts.get(id(tab), 0) + 1
            if counts[id(tab)] >= RELOAD_EVERY or not hasattr(self, "tabs_ready"):
                counts[id(tab)] = 0
                await super()._return_kaleido_tab(tab)
            else:
                await self.tabs_ready.put(tab)

    return ReusingKaleido


# Module-level on purpose: one browser per process, shared by every Streamlit session (the
# lock makes that safe). Created lazily so that importing this module costs nothing.
_LOCK = threading.Lock()
_server: _RenderServer | None = None


def stop_export_server() -> None:
    """Close the shared browser if it runs (at exit, and in tests). The next export starts it again."""
    global _server
    with _LOCK:
        if _server is not None:
            _server.close()
            _server = None


atexit.register(stop_export_server)


def start_export_server() -> bool:
    """Start the shared browser now, if it is not running, so that the first image a user asks for
    does not wait for it (seconds). True when a browser runs afterwards; False when none is installed
    or it would not start (an export will then say why)."""
    global _server
    with _LOCK:
        if _server is None:
            if _find_browser() is None:
                return False
            try:
                _server = _RenderServer()
            except Exception:
                return False
        return True


def _render(fig: go.Figure | dict[str, Any], opts: dict[str, Any], lang: str) -> bytes:
    global _server
    figure = fig.to_dict() if hasattr(fig, "to_dict") else fig
    with _LOCK:
        reason = ""
        for _attempt in range(2):
            if _server is None:
                if _find_browser() is None:
                    raise ExportUnavailable(lang)
                try:
                    _server = _RenderServer()
                except Exception as error:
                    raise ExportFailed(_describe(error), lang) from error
            try:
                return _server.render(figure, opts)
            except Exception as error:
                reason = _describe(error)
                _server.close()
                _server = None
                if isinstance(error, TimeoutError):
                    break  # a second try would only double a long wait
        raise ExportFailed(reason, lang)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".strip().rstrip(":")[:300]


def _size(fig: go.Figure | dict[str, Any], width: int | None, height: int | None) -> tuple[int, int]:
    """The layout size: the arguments, else the figure's own ``layout.width/height``, else the defaults."""
    layout = fig.layout if isinstance(fig, go.Figure) else go.Layout(fig.get("layout", {}))
    return (int(width or layout.width or EXPORT_WIDTH), int(height or layout.height or EXPORT_HEIGHT))


#: The footnote's font size relative to the figure's base font, and its distance from the left edge
#: in px (the title's left padding, see engine/output/style.py).
_FOOTNOTE_FONT = 0.8
_FOOTNOTE_LEFT = 20
_FOOTNOTE_COLOUR = "#4D4D4D"
#: Pixels the footnote's legend takes besides its lines of text (its padding and the empty entry).
_FOOTNOTE_PADDING = 31


def with_footnote(fig: go.Figure | dict[str, Any], footnote: str, width: int = EXPORT_WIDTH) -> go.Figure:
    """A copy of ``fig`` with ``footnote`` written small at the bottom left, under the plot and its
    axis titles; the figure grows by the footnote's lines, so the plot keeps its size. ``fig`` is not
    changed. The footnote is plain text: markup in it (a scenario's name is user text) is shown as
    typed (:func:`engine.output.chart_text.chart_text`), and it is broken into lines that fit ``width``.

    The footnote is the title of a second legend placed in the figure's own (container) coordinates:
    plotly reserves such a legend's room at the bottom before the axes take theirs, so the footnote
    never overlaps the tick labels or the axis title, however much room they need. An annotation
    could only be placed relative to the plot area, whose distance from the bottom is known only
    once plotly has laid the axes out.

    >>> import plotly.graph_objects as go
    >>> figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"height": 480, "font": {"size": 15}})
    >>> noted = with_footnote(figure, "Scenario: <b>Test</b> · version 3 · fasta priser 2024")
    >>> noted.layout.legend2.title.text
    'Scenario: &lt;b&gt;Test&lt;/b&gt; · version 3 · fasta priser 2024'
    >>> noted.layout.height, figure.layout.height, len(figure.data)
    (527, 480, 1)
    >>> noted.data[0].showlegend  # a single trace had no legend, and still has none
    False
    >>> with_footnote(figure, "ord " * 120).layout.legend2.title.text.count("<br>")
    3
    """
    copy = go.Figure(fig)
    layout = copy.layout
    size = round((layout.font.size or 15) * _FOOTNOTE_FONT)
    per_line = max(20, int((width - 2 * _FOOTNOTE_LEFT - 30) / (0.55 * size)))
    lines = [chart_text(line) for line in textwrap.wrap(" ".join(footnote.split()), per_line)] or [""]

    # Adding a trace must not bring the figure's own legend into view where it had none: plotly
    # shows a legend for two traces or more unless told otherwise.
    shown = [trace for trace in copy.data if trace.showlegend is not False]
    if layout.showlegend is False or (layout.showlegend is None and len(shown) <= 1):
        for trace in shown:
            trace.showlegend = False
    # The legend's one entry is invisible: no symbol, no name, no hover; its title is the footnote.
    copy.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="", legend="legend2", showlegend=True,
                              hoverinfo="skip", marker={"color": "rgba(0, 0, 0, 0)", "size": 1}))
    line_height = round(size * 1.35)
    copy.update_layout(
        showlegend=True,
        height=int(layout.height or EXPORT_HEIGHT) + line_height * len(lines) + _FOOTNOTE_PADDING,
        legend2={"orientation": "h", "xref": "container", "yref": "container", "x": _FOOTNOTE_LEFT / width, "y": 0,
                 "xanchor": "left", "yanchor": "bottom", "bgcolor": "rgba(255, 255, 255, 0)", "borderwidth": 0,
                 "itemwidth": 30, "font": {"size": 1},
                 "title": {"text": "<br>".join(lines), "side": "top left",
                           "font": {"size": size, "color": _FOOTNOTE_COLOUR}}})
    return copy


def _noted(fig: go.Figure | dict[str, Any], footnote: str | None, width: int) -> go.Figure | dict[str, Any]:
    return fig if not footnote or not footnote.strip() else with_footnote(fig, footnote, width)


def figure_to_png(fig: go.Figure | dict[str, Any], *, width: int | None = None, height: int | None = None,
                  scale: float = PNG_SCALE, lang: str = DEFAULT_LANGUAGE, footnote: str | None = None) -> bytes:
    """The figure as PNG bytes, ``round(width * scale)`` image pixels wide.

    ``width``/``height`` in layout px default to the figure's own size, else 960 x 540; ``lang``
    is the language of error messages. A ``footnote`` is written under the plot (see
    :func:`with_footnote`; the image is taller by its lines unless ``height`` is given). Raises
    :class:`ExportUnavailable` when no browser is installed and :class:`ExportFailed` (a subclass)
    when rendering fails.
    """
    w, _ = _size(fig, width, height)
    fig = _noted(fig, footnote, w)
    w, h = _size(fig, width, height)
    return _render(fig, {"format": "png", "width": w, "height": h, "scale": scale}, lang)


def figure_to_svg(fig: go.Figure | dict[str, Any], *, width: int | None = None, height: int | None = None,
                  lang: str = DEFAULT_LANGUAGE, footnote: str | None = None) -> bytes:
    """The figure as SVG bytes (UTF-8, starting ``<svg``), laid out at ``width`` x ``height`` px
    (defaults and ``footnote`` as for :func:`figure_to_png`). Raises like :func:`figure_to_png`."""
    w, _ = _size(fig, width, height)
    fig = _noted(fig, footnote, w)
    w, h = _size(fig, width, height)
    return _render(fig, {"format": "svg", "width": w, "height": h, "scale": 1}, lang)
