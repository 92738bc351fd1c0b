"""Tables as CSV and XLSX files, and the footnote of an exported chart image."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook

from engine.output.export import figure_to_png, figure_to_svg, with_footnote
from engine.output.tables import sheet_title, table_csv, table_rows, table_xlsx
from engine.savings.charts import cumulative_chart
from engine.savings.model import project_savings
from tests.engine.factories import make_scenario

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"Klicka\")", "+46 70 123", "-kort", "@SUM(A1:A9)", "\t=1+1",
           "\r=1+1"]

TABLE = {
    "Utfall": ["Sjukdagar", "Placeringar; HVB", 'Citat "så"'],
    "Effekt": [-0.125, 3, 1234567.5],
    "Andel (%)": [12.5, None, float("nan")],
}


def _read_csv(data: bytes, lang: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if lang == "sv" else ","))


def test_swedish_csv_has_semicolons_and_decimal_commas():
    rows = _read_csv(table_csv(TABLE, "sv"), "sv")
    assert rows == [
        ["Utfall", "Effekt", "Andel (%)"],
        ["Sjukdagar", "-0,125", "12,5"],
        ["Placeringar; HVB", "3", ""],
        ['Citat "så"', "1234567,5", ""],
    ]
    assert b";" in table_csv(TABLE, "sv")
    assert b"\r\n" in table_csv(TABLE, "sv")


def test_english_csv_has_commas_and_decimal_points():
    rows = _read_csv(table_csv(TABLE, "en"), "en")
    assert rows[1] == ["Sjukdagar", "-0.125", "12.5"]
    assert rows[3] == ['Citat "så"', "1234567.5", ""]


def test_an_unknown_language_writes_swedish():
    assert table_csv(TABLE, "de") == table_csv(TABLE, "sv")


def test_a_dataframe_with_numpy_numbers_and_missing_values_is_written_like_columns():
    frame = pd.DataFrame({"År": np.array([2024, 2025], dtype=np.int64), "Värde": np.array([1.5, np.nan]),
                          "Namn": pd.array(["a", pd.NA], dtype="string")}, index=[7, 8])
    headings, rows = table_rows(frame)
    assert headings == ["År", "Värde", "Namn"]
    assert rows == [[2024, 1.5, "a"], [2025, None, None]]
    assert [type(cell) for cell in rows[0]] == [int, float, str]
    assert _read_csv(table_csv(frame, "sv"), "sv")[1:] == [["2024", "1,5", "a"], ["2025", "", ""]]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_user_text_that_starts_like_a_formula_is_shown_as_typed_in_csv(lang):
    data = table_csv({HOSTILE[0]: HOSTILE, "Tal": [-1, -2, -3, -4, -5, -6]}, lang)
    rows = _read_csv(data, lang)
    assert rows[0][0] == "'" + HOSTILE[0]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE]
    assert [row[1] for row in rows[1:]] == ["-1", "-2", "-3", "-4", "-5", "-6"]  # numbers are not text


def test_an_xlsx_sheet_reads_back_with_numbers_as_numbers_and_a_bold_heading():
    book = load_workbook(io.BytesIO(table_xlsx(TABLE, "sv", "Jämförelse")))
    assert book.sheetnames == ["Jämförelse"]
    sheet = book["Jämförelse"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Utfall", "Effekt", "Andel (%)"],
        ["Sjukdagar", -0.125, 12.5],
        ["Placeringar; HVB", 3, None],
        ['Citat "så"', 1234567.5, None],
    ]
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet["B3"].data_type == "n"


def test_formulas_never_reach_an_xlsx_cell():
    data = table_xlsx({"Namn": HOSTILE, HOSTILE[0]: list(range(len(HOSTILE)))}, "en")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["B1"].value == "'" + HOSTILE[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ["'" + text for text in HOSTILE]
    assert {cell.data_type for cell in cells} == {"s"}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.title == "Table"


def test_control_characters_that_xml_cannot_hold_are_dropped_not_fatal():
    sheet = load_workbook(io.BytesIO(table_xlsx({"Namn": ["a\x00b\x1fc", "rad 1\nrad 2"]}, "sv"))).active
    assert [sheet["A2"].value, sheet["A3"].value] == ["abc", "rad 1\nrad 2"]


def test_a_sheet_name_excel_refuses_is_made_acceptable():
    assert sheet_title("a/b\\c?d*e[f]g:h", "sv") == "abcdefgh"
    assert len(sheet_title("x" * 80, "sv")) == 31
    assert sheet_title("", "sv") == "Tabell"


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same number of cells"):
        table_csv({"a": [1], "b": [1, 2]}, "sv")


def test_an_empty_table_is_its_headings():
    assert _read_csv(table_csv({"a": [], "b": []}, "sv"), "sv") == [["a", "b"]]
    assert [[c.value for c in row] for row in load_workbook(io.BytesIO(table_xlsx({"a": []}))).active.iter_rows()] \
        == [["a"]]


# --- the footnote of an exported image -----------------------------------------------------------

FOOTNOTE = 'Scenario: <a href="http://evil.example">Logga in</a> & $x$ · version 3 · fasta priser 2024'


@pytest.fixture
def figure():
    return cumulative_chart(project_savings(make_scenario(horizon_years=4, contract_years=2)), "sv")


def test_the_footnote_goes_on_a_copy_and_never_on_the_figure_shown(figure):
    before = figure.to_plotly_json()
    noted = with_footnote(figure, FOOTNOTE)
    assert figure.to_plotly_json() == before
    assert noted.layout.height > figure.layout.height
    assert "legend2" not in figure.layout.to_plotly_json()
    text = noted.layout.legend2.title.text
    assert "&lt;a href" in text
    assert "<a" not in text
    assert "&#36;x&#36;" in text
    assert "&amp;" in text
    # The figure had no legend (one line); it still has none, only the footnote's.
    assert [t.showlegend for t in noted.data[:-1]] == [False] * (len(noted.data) - 1)


def test_a_footnote_on_a_dict_figure_works_too(figure):
    noted = with_footnote(figure.to_dict(), "Scenario: Test")
    assert isinstance(noted, go.Figure)
    assert noted.layout.legend2.title.text == "Scenario: Test"


def test_the_footnote_is_in_the_exported_svg_as_text(export_browser, figure):
    from xml.etree import ElementTree

    plain = figure_to_svg(figure).decode()
    noted = figure_to_svg(figure, footnote=FOOTNOTE).decode()
    assert "fasta priser 2024" not in plain
    # The name shows as typed: its markup is the text of one element, never an element or a link.
    texts = ["".join(element.itertext()) for element in ElementTree.fromstring(noted).iter()
             if element.tag.endswith("}text")]
    assert FOOTNOTE in texts
    assert not [element for element in ElementTree.fromstring(noted).iter() if element.tag.endswith("}a")]
    assert "När lönar det sig?" in texts  # the chart itself is all there


def test_the_footnote_makes_the_png_taller_not_the_plot_smaller(export_browser, figure):
    import struct

    def size(data: bytes) -> tuple[int, int]:
        return struct.unpack(">II", data[16:24])

    plain, noted = figure_to_png(figure, scale=1), figure_to_png(figure, scale=1, footnote="Scenario: x")
    assert size(noted)[0] == size(plain)[0]
    assert size(noted)[1] > size(plain)[1]
