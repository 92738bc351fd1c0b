"""The pages of the app, in menu order. The one place a new page is registered."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    path: str       # script path as st.page_link wants it
    label_key: str  # catalog key of the menu label
    icon: str


PAGES: tuple[PageEntry, ...] = (
    PageEntry("app.py", "nav.home", ":material/explore:"),
    PageEntry("pages/scenarier.py", "nav.scenarios", ":material/folder_open:"),
    PageEntry("pages/exempelbanken.py", "nav.bank", ":material/local_library:"),
    PageEntry("pages/valj_instrument.py", "nav.choose", ":material/checklist:"),
    PageEntry("pages/instrumenten.py", "nav.catalogue", ":material/menu_book:"),
    PageEntry("pages/kalkyl.py", "nav.savings", ":material/query_stats:"),
    PageEntry("pages/jamfor_instrument.py", "nav.compare", ":material/compare_arrows:"),
    PageEntry("pages/effektmal.py", "nav.targets", ":material/flag:"),
    PageEntry("pages/beslutsunderlag.py", "nav.memo", ":material/description:"),
    PageEntry("pages/workshop.py", "nav.workshop", ":material/groups:"),
    PageEntry("pages/delta.py", "nav.join", ":material/how_to_reg:"),
)
