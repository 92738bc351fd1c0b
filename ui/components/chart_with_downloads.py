"""Showing a chart with its PNG and SVG downloads.

Images are made only when the user clicks a download button (the button gets a callable), so a
rerun never waits for the browser that renders them; that browser is started in the background
when the first chart is shown.

A failed export never downloads an empty file: the callable raises, and Streamlit's button then
reports a failure (in its own, English words). Why it failed is kept for the session that asked,
and the chart says it in the user's language from the next run on, until an export succeeds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from engine.output.export import (
    ExportUnavailable,
    chromium_available,
    figure_to_png,
    figure_to_svg,
    start_export_server,
)
from ui.frame import Translator

#: Why the last export of a chart failed, by (session id, chart key). The callables run outside the
#: script (no session state there), so the sessions share this dict, each under its own id.
_FAILURES: dict[tuple[str, str], str] = {}
_FAILURES_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _can_export() -> bool:
    available = chromium_available()
    if available:
        # Start the export browser in the background now: the first PNG a user asks for then takes
        # a fraction of a second instead of the browser's start-up (about 3 s).
        threading.Thread(target=start_export_server, name="export-warm-up", daemon=True).start()
    return available


def chart_with_downloads(t: Translator, figure, file_stem: str, key: str, lang: str, footnote: str | None = None) -> None:
    """Draw ``figure`` full width with PNG (print resolution) and SVG download buttons under it.

    ``footnote`` (plain text, e.g. from :func:`ui.scenario_views.chart_footnote`) is written under the
    plot of the downloaded images only, so a chart pasted into a memo says what it shows."""
    # theme=None: the screen shows exactly what the PNG/SVG export will contain.
    st.plotly_chart(figure, width="stretch", key=f"{key}_chart", theme=None, config={"displaylogo": False})
    if not _can_export():
        st.caption(t("calc.export_unavailable"))
        return

    context = get_script_run_ctx()
    failure_key = ("" if context is None else context.session_id, key)
    with _FAILURES_LOCK:
        failed = _FAILURES.get(failure_key)
    if failed:
        st.error(failed, icon=":material/broken_image:")

    # The images are made when the button is pressed; the button shows a spinner meanwhile.
    png = _recorded(figure_to_png, figure, lang, failure_key, footnote)
    svg = _recorded(figure_to_svg, figure, lang, failure_key, footnote)

    left, right = st.columns(2)
    left.download_button(t("calc.download_png"), png, file_name=f"{file_stem}.png", mime="image/png",
                         key=f"{key}_png", icon=":material/image:", on_click="ignore")
    right.download_button(t("calc.download_svg"), svg, file_name=f"{file_stem}.svg", mime="image/svg+xml",
                          key=f"{key}_svg", icon=":material/draw:", on_click="ignore")


def _recorded(render: Callable[..., bytes], figure, lang: str, failure_key: tuple[str, str],
              footnote: str | None = None) -> Callable[[], bytes]:
    """The download callable: ``render(figure, lang=lang)`` (with the ``footnote`` when there is one),
    remembering why it failed (its message is in the user's language) under ``failure_key`` until it
    succeeds. It still raises, so a failure never becomes an empty file."""
    def image() -> bytes:
        try:
            data = render(figure, lang=lang, **({"footnote": footnote} if footnote else {}))
        except ExportUnavailable as problem:
            with _FAILURES_LOCK:
                if len(_FAILURES) > 10_000:  # sessions come and go; never let this grow without end
                    _FAILURES.clear()
                _FAILURES[failure_key] = str(problem)
            raise
        with _FAILURES_LOCK:
            _FAILURES.pop(failure_key, None)
        return data
    return image
