"""table_with_downloads: the table as drawn, with CSV and XLSX buttons whose files are made only on a click."""

import io

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from engine.i18n import translate
from tests.ui.conftest import TIMEOUT


def _script():
    # AppTest.from_function runs this body alone: everything it uses is imported here.
    from engine.i18n import translate
    from ui.components.table_with_downloads import table_with_downloads

    def t(key, **params):
        return translate(key, "sv", **params)

    def never():
        raise AssertionError("the file was built before a click")

    table_with_downloads(t, {"Utfall": ["=1+1", "Sjukdagar"], "Effekt": [0.5, -3]}, "test-tabell", "test", "sv",
                         export=never, hide_index=True, width="stretch")


def _editor_script():
    import pandas as pd
    import streamlit as st

    from engine.i18n import translate
    from ui.components.table_with_downloads import table_with_downloads

    def t(key, **params):
        return translate(key, "en", **params)

    edited = table_with_downloads(t, pd.DataFrame({"Name": ["a", "b"], "Value": [1.0, 2.0]}), "edited", "ed", "en",
                                  editor=True, hide_index=True)
    st.session_state["edited_total"] = float(edited["Value"].sum())


def test_the_table_and_its_two_downloads_are_drawn_and_nothing_is_built_on_a_run():
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 1
    assert at.dataframe[0].value["Utfall"].tolist() == ["=1+1", "Sjukdagar"]
    downloads = at.get("download_button")
    assert [(d.key, d.proto.label) for d in downloads] == [
        ("test_csv", translate("exports.download_csv", "sv")), ("test_xlsx", translate("exports.download_xlsx", "sv"))]
    # Deferred: the files are callables Streamlit calls on a click, so the run has no file URL yet.
    assert all(d.proto.deferred_file_id for d in downloads)
    assert not any(d.proto.url for d in downloads)


def test_an_editor_returns_what_the_user_typed_and_has_the_downloads():
    at = AppTest.from_function(_editor_script, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert at.session_state["edited_total"] == 3.0
    assert [d.key for d in at.get("download_button")] == ["ed_csv", "ed_xlsx"]


def test_the_download_callables_build_the_files_from_a_table_or_a_callable():
    from ui.components import table_with_downloads as module

    table = {"Namn": ["@SUM(A1)", "Å"], "Tal": [1.5, 2]}
    csv = module._csv(table, "sv")()
    assert csv.decode("utf-8-sig").splitlines() == ["Namn;Tal", "'@SUM(A1);1,5", "Å;2"]
    xlsx = module._xlsx(lambda: table, "en", "Blad")()
    sheet = load_workbook(io.BytesIO(xlsx))["Blad"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Namn", "Tal"], ["'@SUM(A1)", 1.5], ["Å", 2]]
