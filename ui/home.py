"""Pieces of the home page."""

from __future__ import annotations

import streamlit as st

from ui.frame import Translator

#: The pages that answer each path's question, in the order a user would take them.
_PATH_PAGES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "instrument": (
        ("pages/valj_instrument.py", "nav.choose", ":material/checklist:"),
        ("pages/instrumenten.py", "nav.catalogue", ":material/menu_book:"),
        ("pages/jamfor_instrument.py", "nav.compare", ":material/compare_arrows:"),
    ),
    "targets": (("pages/effektmal.py", "nav.targets", ":material/flag:"),),
    "savings": (("pages/kalkyl.py", "nav.savings", ":material/query_stats:"),
                ("pages/beslutsunderlag.py", "nav.memo", ":material/description:")),
}
#: Where a scenario starts: one's own, or a copy from the example bank.
START_PAGES: tuple[tuple[str, str, str], ...] = (
    ("pages/scenarier.py", "home.path_open_scenarios", ":material/folder_open:"),
    ("pages/exempelbanken.py", "home.path_open_bank", ":material/local_library:"),
)
#: The workshop's two pages: the facilitator's and the participants'.
WORKSHOP_PAGES: tuple[tuple[str, str, str], ...] = (
    ("pages/workshop.py", "nav.workshop", ":material/groups:"),
    ("pages/delta.py", "nav.join", ":material/how_to_reg:"),
)


def path_card(t: Translator, path: str) -> None:
    """One of the three questions the tool answers, as a bordered card with links to its pages."""
    with st.container(border=True):
        st.markdown(f"**{t(f'home.path_{path}_title')}**")
        st.write(t(f"home.path_{path}_body"))
        for page, label_key, icon in _PATH_PAGES[path]:
            st.page_link(page, label=t(label_key), icon=icon)


def workshop_links(t: Translator) -> None:
    """Links to the facilitator's and the participants' workshop pages, side by side where they fit."""
    with st.container(horizontal=True):
        for page, label_key, icon in WORKSHOP_PAGES:
            st.page_link(page, label=t(label_key), icon=icon)


def start_links(t: Translator) -> None:
    """Links to where a scenario starts (Scenarier, Exempelbanken), side by side where they fit."""
    with st.container(horizontal=True):
        for page, label_key, icon in START_PAGES:
            st.page_link(page, label=t(label_key), icon=icon)
