"""Showing a chart with its PNG and SVG downloads.

Images are made only when the user clicks a download button (the button gets a callable), so a
rerun never waits for the browser that renders them; that browser is started in the background
when the first chart is shown.
"""

from __future__ import annotations

import threading

import streamlit as st

from engine.output.export import chromium_available, figure_to_png, figure_to_svg, start_export_server
from ui.frame import Translator


@st.cache_resource(show_spinner=False)
def _can_export() -> bool:
    available = chromium_available()
    if available:
        # Start the export browser in the background now: the first PNG a user asks for then takes
        # a fraction of a second instead of the browser's start-up (about 3 s).
        threading.Thread(target=start_export_server, name="export-warm-up", daemon=True).start()
    return available


def chart_with_downloads(t: Translator, figure, file_stem: str, key: str, lang: str) -> None:
    """Draw ``figure`` full width with PNG (print resolution) and SVG download buttons under it."""
    # theme=None: the screen shows exactly what the PNG/SVG export will contain.
    st.plotly_chart(figure, width="stretch", key=f"{key}_chart", theme=None, config={"displaylogo": False})
    if not _can_export():
        st.caption(t("calc.export_unavailable"))
        return

    # The images are made when the button is pressed; the button shows a spinner meanwhile. A failed
    # export raises, so the button reports a failure instead of downloading an empty file.
    def png() -> bytes:
        return figure_to_png(figure, lang=lang)

    def svg() -> bytes:
        return figure_to_svg(figure, lang=lang)

    left, right = st.columns(2)
    left.download_button(t("calc.download_png"), png, file_name=f"{file_stem}.png", mime="image/png",
                         key=f"{key}_png", icon=":material/image:", on_click="ignore")
    right.download_button(t("calc.download_svg"), svg, file_name=f"{file_stem}.svg", mime="image/svg+xml",
                          key=f"{key}_svg", icon=":material/draw:", on_click="ignore")
