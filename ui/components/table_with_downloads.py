"""Showing a table with its CSV and XLSX downloads.

The table is drawn as ``st.dataframe`` (or ``st.data_editor`` with ``editor=True``), and under it one
row with two download buttons. The files are made only when a button is clicked (the buttons get
callables), so a rerun never builds them. They need no browser, unlike chart images.

What the files hold can differ from what the screen shows: a page that formats its cells as text
(``+2,2``, ``12 %``) passes the same table with numbers as ``export``, so that the spreadsheet can
calculate with them. Either may be a callable that returns the table, made only on a click.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from engine.output.tables import TableData, table_csv, table_xlsx
from ui.frame import Translator

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Table = TableData | Callable[[], TableData]


def table_with_downloads(t: Translator, data: Any, file_stem: str, key: str, lang: str, *, editor: bool = False,
                         export: Table | None = None, sheet_name: str | None = None, **dataframe_kwargs: Any) -> Any:
    """Draw ``data`` as a dataframe (or an editable table with ``editor``), then its CSV and XLSX
    downloads named ``file_stem``. ``dataframe_kwargs`` go to ``st.dataframe``/``st.data_editor``
    as they are; ``export`` is what the files hold when it is not ``data`` (see the module's
    docstring). Returns what Streamlit's table returns (the edited data for an editor)."""
    if editor:
        dataframe_kwargs.setdefault("key", f"{key}_table")
        shown = st.data_editor(data, **dataframe_kwargs)
        # The files hold what the user sees after editing, unless the page says otherwise.
        source: Table = export if export is not None else shown
    else:
        shown = st.dataframe(data, **dataframe_kwargs)
        source = export if export is not None else data
    table_downloads(t, source, file_stem, key, lang, sheet_name=sheet_name)
    return shown


def table_downloads(t: Translator, data: Table, file_stem: str, key: str, lang: str, *,
                    sheet_name: str | None = None) -> None:
    """Only the row of CSV and XLSX downloads, for a table drawn otherwise (``st.table`` on a
    projector). ``data`` is the table or a callable that returns it."""
    # Two columns, as under a chart (ui/components/chart_with_downloads.py).
    left, right = st.columns(2)
    left.download_button(t("exports.download_csv"), _csv(data, lang), file_name=f"{file_stem}.csv",
                         mime="text/csv", key=f"{key}_csv", icon=":material/csv:", on_click="ignore")
    right.download_button(t("exports.download_xlsx"), _xlsx(data, lang, sheet_name), file_name=f"{file_stem}.xlsx",
                          mime=XLSX_MIME, key=f"{key}_xlsx", icon=":material/table:", on_click="ignore")


def _table(data: Table) -> TableData:
    return data() if callable(data) else data


def _csv(data: Table, lang: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return table_csv(_table(data), lang)
    return make


def _xlsx(data: Table, lang: str, sheet_name: str | None) -> Callable[[], bytes]:
    def make() -> bytes:
        return table_xlsx(_table(data), lang, sheet_name)
    return make
