"""Pieces of the home page."""

from __future__ import annotations

import streamlit as st

from ui.frame import Translator

#: The page that answers each path's question, where it exists yet.
_PATH_PAGES = {"savings": ("pages/kalkyl.py", "nav.savings", ":material/query_stats:")}


def path_card(t: Translator, path: str) -> None:
    """One of the three questions the tool answers, as a bordered card with a link to its page."""
    with st.container(border=True):
        st.markdown(f"**{t(f'home.path_{path}_title')}**")
        st.write(t(f"home.path_{path}_body"))
        if path in _PATH_PAGES:
            page, label_key, icon = _PATH_PAGES[path]
            st.page_link(page, label=t(label_key), icon=icon)
