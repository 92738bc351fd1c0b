"""Downloads and print views through AppTest: every result table with CSV and XLSX, every chart
with a footnote naming the scenario, and the print views of Långsiktig kalkyl and Jämför instrument
(all charts, no tabs, no widgets, no buttons, no sidebar)."""

from __future__ import annotations

import pytest

from engine.i18n import translate
from engine.storage import save_scenario
from tests.engine.factories import make_scenario

CALC = "pages/kalkyl.py"
COMPARE = "pages/jamfor_instrument.py"

CSV = {translate("exports.download_csv", lang) for lang in ("sv", "en")}
XLSX = {translate("exports.download_xlsx", lang) for lang in ("sv", "en")}


def downloads(at) -> list[tuple[str, str]]:
    return [(d.key, d.proto.label) for d in at.get("download_button")]


def table_downloads(at) -> set[str]:
    """The keys of the CSV buttons, without their suffix: one per table with downloads."""
    keys = {key for key, label in downloads(at) if label in CSV}
    assert {key.removesuffix("_csv") for key in keys} == {key.removesuffix("_xlsx")
                                                          for key, label in downloads(at) if label in XLSX}
    return {key.removesuffix("_csv") for key in keys}


def open_print(open_page, page: str, lang: str | None = None, example: str | None = None):
    at = open_page(page, lang)
    if example:
        at.selectbox(key="open_source_widget").set_value(f"example:{example}").run()
    at.query_params["print"] = "1"
    at.run()
    assert not at.exception, at.exception
    return at


def widgets(at) -> list[str]:
    """Every input widget and button the page drew (download buttons and page links included)."""
    kinds = ("text_input", "number_input", "selectbox", "multiselect", "radio", "checkbox", "toggle", "slider",
             "select_slider", "text_area", "date_input", "button", "download_button", "data_editor", "tabs",
             "expander", "file_uploader", "color_picker", "time_input")
    return [kind for kind in kinds for _ in at.get(kind)]


# --- downloads on the pages ------------------------------------------------------------------------------

def test_the_comparison_tables_download_as_csv_and_xlsx(open_page):
    at = open_page(COMPARE)
    assert {"compare_table", "compare_parties", "compare_split"} <= table_downloads(at)


def test_the_comparison_tables_download_in_presenter_mode_too(open_page):
    at = open_page(COMPARE)
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception
    assert {"compare_table", "compare_parties", "compare_split"} <= table_downloads(at)


def test_the_sources_of_the_calculation_download_as_csv_and_xlsx(open_page):
    at = open_page(CALC)
    assert "calc_sources" in table_downloads(at)


def test_a_comparison_download_holds_numbers_not_formatted_text(open_page):
    import io

    from openpyxl import load_workbook

    at = open_page(COMPARE)
    # The button's callable is called by Streamlit on a click; here the file is built as it would be.
    from engine.examples import load_example
    from engine.instruments.comparison import compare_instruments
    from engine.instruments.tables import comparison_export
    from engine.output.tables import table_xlsx

    book = load_workbook(io.BytesIO(table_xlsx(comparison_export(compare_instruments(load_example("sjukfranvaro"),
                                                                                     draws=200), "sv"))))
    row = [cell.value for cell in next(book.active.iter_rows(min_row=2))]
    assert isinstance(row[2], int | float)  # a number, not "+1,1"
    assert not at.exception


def test_the_footnote_of_the_charts_names_the_scenario_its_version_and_prices(open_page, sessions, recorded):
    with sessions() as session, session.begin():
        info = save_scenario(session, make_scenario(name="Min <b>kalkyl</b>", price_year=2024))
    at = open_page(CALC)
    if not at.get("download_button") or not any(label for _, label in downloads(at)
                                                if label == translate("calc.download_png", "sv")):
        pytest.skip("no Chromium here: the charts show the install note instead of buttons")
    recorded.clear()
    at.selectbox(key="open_source_widget").set_value(f"saved:{info.document_id}").run()
    assert not at.exception
    assert recorded
    assert set(recorded) == {f"Scenario: Min <b>kalkyl</b> · version {info.number} · fasta priser 2024"}


def test_an_example_is_named_an_example_in_the_footnote(open_page, recorded):
    at = open_page(COMPARE, "en")
    if not recorded:
        pytest.skip("no Chromium here: the charts show the install note instead of buttons")
    assert all(" · example · constant " in note for note in recorded)
    assert not at.exception


@pytest.mark.parametrize(("lang", "expected"), [("sv", "Instrumentval efter svaren på 1 av 19 frågor · "),
                                                ("en", "Instrument choice from the answers to 1 of 19 questions · ")])
def test_the_ranking_charts_footnote_says_how_many_answers_it_rests_on_and_when(open_page, recorded, lang, expected):
    from datetime import date

    at = open_page("pages/valj_instrument.py", lang)
    recorded.clear()
    at.radio(key="qa_purpose").set_value("test_new_method").run()
    assert not at.exception
    if not recorded:
        pytest.skip("no Chromium here: the charts show the install note instead of buttons")
    assert set(recorded) == {expected + date.today().isoformat()}  # the PNG and the SVG


# --- print views ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_calculation_prints_all_five_charts_without_widgets_or_buttons(open_page, lang):
    at = open_print(open_page, CALC, lang)
    assert len(at.get("plotly_chart")) == 5
    assert widgets(at) == []
    assert len(at.sidebar) == 0
    assert at.get("table"), "the inputs and sources are tables"
    assert translate("exports.print.inputs_heading", lang) in [s.value for s in at.subheader]


def test_the_calculation_print_view_writes_the_sources_out(open_page):
    at = open_print(open_page, CALC, example="ips")
    from engine.examples import load_example

    count = len(load_example("ips").sources)
    assert translate("calc.sources_heading", "sv", count=count) in [s.value for s in at.subheader]


@pytest.mark.parametrize(("lang", "presenter"), [("sv", False), ("en", True)])
def test_the_comparison_prints_all_four_charts_without_widgets_or_buttons(open_page, lang, presenter):
    at = open_page(COMPARE, lang)
    if presenter:  # a print view is the same on a projector: the normal width, no sidebar
        at.query_params["present"] = "1"
    at = open_print(lambda *_: at, COMPARE)
    assert len(at.get("plotly_chart")) == 4
    assert widgets(at) == []
    assert len(at.sidebar) == 0
    headings = [s.value for s in at.subheader]
    assert translate("exports.print.contract_heading", lang) in headings
    assert len(at.get("table")) >= 4  # comparison, parties, contract terms, inputs


def test_the_print_view_keeps_the_scenario_and_its_unsaved_edits(open_page):
    from engine.examples import load_example
    from tests.pages.typing import typed, value_of

    def effect(at):
        return at.text_input(key=next(w.key for w in at.text_input if w.key and w.key.endswith("_o0_effect")))

    at = open_page(CALC)
    at.selectbox(key="open_source_widget").set_value("example:ips").run()
    edited = value_of(effect(at)) + 5
    effect(at).set_value(typed(edited)).run()
    assert not at.exception
    at.query_params["print"] = "1"
    at.run()
    assert not at.exception
    assert next(s.value for s in at.subheader).replace("\\", "") == load_example("ips").name
    assert translate("exports.print.example_unsaved", "sv") in " ".join(c.value for c in at.caption)
    # Back on the page, the edit is still there, in the field.
    del at.query_params["print"]
    at.run()
    assert not at.exception
    assert value_of(effect(at)) == pytest.approx(edited)


def test_each_page_links_to_its_print_view_on_the_same_scenario(open_page):
    for page in (CALC, COMPARE):
        at = open_page(page)
        at.selectbox(key="open_source_widget").set_value("example:ips").run()
        links = [link for link in at.get("page_link") if link.proto.label == translate("exports.print_link", "sv")]
        assert len(links) == 1
        assert links[0].proto.page == page.removeprefix("pages/").removesuffix(".py")
        assert "print=1" in links[0].proto.query_string
        assert "scenario=example%3Aips" in links[0].proto.query_string


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_without_a_browser_the_charts_say_how_to_install_one_and_tables_still_download(open_page, monkeypatch, lang):
    from ui.components import chart_with_downloads as module

    note = translate("calc.export_unavailable", lang)
    assert "apt-get install chromium" in note
    assert "apt-get install chromium" in translate("charts.export.unavailable", lang)
    monkeypatch.setattr(module, "_can_export", lambda: False)
    at = open_page(COMPARE, lang)
    assert note in [c.value for c in at.caption]
    assert not [label for _, label in downloads(at) if label in (translate("calc.download_png", lang),
                                                                 translate("calc.download_svg", lang))]
    assert {"compare_table", "compare_parties", "compare_split"} <= table_downloads(at)


def test_print_is_ignored_on_a_page_without_a_print_view(open_page):
    at = open_page("pages/effektmal.py")
    at.query_params["print"] = "1"
    at.run()
    assert not at.exception
    assert len(at.sidebar) > 0


def test_the_history_of_a_scenario_downloads_as_csv_and_xlsx(open_page):
    at = open_page("pages/scenarier.py")
    at.text_input(key="new_name").input("=Historik")
    at.button(key="new_button").click().run()
    assert not at.exception
    assert "scenario_history" in table_downloads(at)


def test_the_answer_sets_history_ranking_and_differences_download(open_page, app_db):
    from tests.pages.test_valj_instrument import PERSONAS, answer_all, save_as, stored, two_versions

    at = two_versions(open_page)
    at = save_as(answer_all(at, PERSONAS["iop"]), "IOP")
    sets = stored(app_db)
    at.selectbox(key="qs_compare_a").set_value(sets["Workshop"].id).run()
    at.selectbox(key="qs_compare_b").set_value(sets["IOP"].id).run()
    assert not at.exception
    assert {"qs_history", "qs_compare_a_ranking", "qs_compare_b_ranking", "qs_differences"} <= table_downloads(at)


def test_the_targets_page_names_the_scenario_under_its_charts(open_page, recorded):
    at = open_page("pages/effektmal.py")
    if not recorded:
        pytest.skip("no Chromium here: the charts show the install note instead of buttons")
    assert all(note and note.startswith("Scenario: ") and "exempel" in note for note in recorded)
    assert not at.exception


def test_markup_in_a_scenario_prints_as_typed(open_page, sessions):
    from tests.engine.factories import make_outcome
    from ui.text import escape_markdown

    hostile = "[Logga in](http://evil.example) **fet** <b>x</b>"
    with sessions() as session, session.begin():
        info = save_scenario(session, make_scenario(
            name=hostile, description=hostile, outcomes=[make_outcome(name=hostile)],
            sources=[{"field": "price_year", "text": hostile}]))
    at = open_page(CALC)
    at.selectbox(key="open_source_widget").set_value(f"saved:{info.document_id}").run()
    at.query_params["print"] = "1"
    at.run()
    assert not at.exception
    assert escape_markdown(hostile) in [s.value for s in at.subheader]
    assert hostile in [s.value for s in at.text]  # the description, as plain text
    cells = [cell for frame in at.table for cell in frame.value.to_numpy().ravel().tolist()]
    assert cells.count(escape_markdown(hostile)) == 2  # the outcome's name and the source's text
    assert hostile not in cells  # never as Markdown that st.table would turn into a link
