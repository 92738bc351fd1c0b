"""Pieces of the home page."""

from __future__ import annotations

import streamlit as st

from ui.frame import Translator


def path_card(t: Translator, path: str) -> None:
    """One of the three questions the tool answers, as a bordered card."""
    with st.container(border=True):
        st.markdown(f"**{t(f'home.path_{path}_title')}**")
        st.write(t(f"home.path_{path}_body"))
