"""Showing a chart with its PNG and SVG downloads.

Images are made only when the user clicks a download button (the button gets a callable), so a
rerun never waits for the browser that renders them.
"""

from __future__ import annotations

import streamlit as st

from engine.output.export import ExportUnavailable, chromium_available, figure_to_png, figure_to_svg
from ui.frame import Translator


@st.cache_resource(show_spinner=False)
def _can_export() -> bool:
    return chromium_available()


def chart_with_downloads(t: Translator, figure, file_stem: str, key: str, lang: str) -> None:
    """Draw ``figure`` full width with PNG (print resolution) and SVG download buttons under it."""
    # theme=None: the screen shows exactly what the PNG/SVG export will contain.
    st.plotly_chart(figure, width="stretch", key=f"{key}_chart", theme=None, config={"displaylogo": False})
    if not _can_export():
        st.caption(t("calc.export_unavailable"))
        return

    def png() -> bytes:
        try:
            return figure_to_png(figure, lang=lang)
        except ExportUnavailable:
            return b""

    def svg() -> bytes:
        try:
            return figure_to_svg(figure, lang=lang)
        except ExportUnavailable:
            return b""

    left, right = st.columns(2)
    left.download_button(t("calc.download_png"), png, file_name=f"{file_stem}.png", mime="image/png",
                         key=f"{key}_png", icon=":material/image:", on_click="ignore")
    right.download_button(t("calc.download_svg"), svg, file_name=f"{file_stem}.svg", mime="image/svg+xml",
                          key=f"{key}_svg", icon=":material/draw:", on_click="ignore")
