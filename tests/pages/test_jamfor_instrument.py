"""Jämför instrument through AppTest: both languages, inputs move results, warnings, bad input, saving."""

import pytest

from engine.examples import example_ids
from engine.instruments.tables import PARTY_COLUMNS, TABLE_COLUMNS
from engine.storage import list_scenarios, list_versions, load_scenario, open_database, session_factory
from tests.pages.typing import typed
from ui.text import escape_markdown

PAGE = "pages/jamfor_instrument.py"


def table(at):
    """The comparison table (the data editors of the inputs carry keys; result tables do not)."""
    return next(frame for frame in at.dataframe if frame.key is None).value


def reading(at) -> str:
    found = [m.value for m in at.markdown if m.value.startswith("####")]
    return found[0] if found else ""


def rest_reading(at) -> str:
    """The sentence on the other parties, without markdown escapes."""
    found = [m.value.replace("\\", "") for m in at.markdown
             if m.value.startswith(("Resten", "Pengar", "Inom", "The rest", "Money", "Within"))]
    return found[0] if found else ""


def open_example(open_page, example="placeringar", lang=None):
    at = open_page(PAGE, lang)
    at.selectbox(key="open_source_widget").set_value(f"example:{example}").run()
    assert not at.exception, at.exception
    return at


def number(at, suffix):
    return at.text_input(key=next(w.key for w in at.text_input if w.key and w.key.endswith(suffix)))


@pytest.mark.parametrize(("lang", "words"), [("sv", "av risken"), ("en", "of the risk")])
def test_the_page_opens_with_the_table_and_a_plain_reading(open_page, lang, words):
    at = open_page(PAGE, lang)
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert len(table(at)) == 8
    assert words in reading(at)


@pytest.mark.parametrize("example", example_ids())
def test_every_example_compares_without_error(open_page, example):
    at = open_example(open_page, example)
    assert [e.value for e in at.error] == []
    assert len(table(at)) == 8


def test_changing_a_price_changes_the_comparison(open_page):
    at = open_example(open_page)
    before = table(at).copy()
    number(at, "_price_0").set_value(typed(4000.0)).run()
    assert not at.exception
    assert not table(at).equals(before)


def test_a_price_above_the_value_to_the_payer_is_warned(open_page):
    at = open_example(open_page)
    number(at, "_price_0").set_value(typed(9000.0)).run()
    # The warning quotes the outcome's name, escaped: it is user text shown through Markdown.
    assert any(escape_markdown("HVB-dygn") in w.value and "högre" in w.value for w in at.warning)


def test_switching_the_instrument_changes_the_reading(open_page):
    at = open_example(open_page)
    before = reading(at)
    at.selectbox(key=next(s.key for s in at.selectbox if s.key and s.key.endswith("_instrument"))) \
        .set_value("iop").run()
    assert not at.exception
    assert reading(at) != before
    assert "idéburet" in reading(at)


def test_a_window_with_the_first_year_after_the_last_is_explained_at_the_field(open_page):
    at = open_example(open_page)
    number(at, "_window_first").set_value(typed(5)).run()
    assert not at.exception
    assert any(e.value.startswith("contract.payment_window") or "Betalningsfönstret" in e.value for e in at.error)
    assert not [frame for frame in at.dataframe if frame.key is None]  # no results from an inconsistent contract


def test_a_return_floor_above_the_cap_is_refused(open_page):
    at = open_example(open_page)
    number(at, "_return_floor").set_value(typed(20.0)).run()
    assert any("Lägsta avkastning" in e.value for e in at.error)


def test_saving_an_example_creates_a_scenario_with_the_contract_and_then_a_version(open_page, app_db):
    at = open_example(open_page)
    number(at, "_price_0").set_value(typed(3000.0)).run()
    next(b for b in at.button if b.key and b.key.endswith("_save")).click().run()
    assert not at.exception
    engine = open_database(app_db)
    with session_factory(engine).begin() as session:
        saved = list_scenarios(session)
        assert len(saved) == 1
        assert load_scenario(session, saved[0].id).contract.prices["HVB-dygn"] == 3000.0
    next(b for b in at.button if b.key and b.key.endswith("_save")).click().run()
    assert not at.exception
    with session_factory(engine).begin() as session:
        assert len(list_versions(session, saved[0].id)) == 2


def test_presenter_mode_shows_inputs_and_results_side_by_side(open_page):
    at = open_page(PAGE)
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception
    # Plain tables that wrap to the column's width, with the column explanations under them (the
    # transaction costs stay an editable table among the inputs).
    assert [frame.key for frame in at.dataframe] == [next(f.key for f in at.dataframe if f.key)]
    assert len(at.table[0].value) == 8
    assert list(at.table[0].value.columns)[:3] == ["Instrument", "Förväntat", "P10"]  # the figure to quote, the range
    assert any(e.label == "Vad betyder kolumnerna?" for e in at.expander)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_table_has_the_short_columns_and_no_other_parties_column(open_page, lang):
    at = open_example(open_page, lang=lang)
    assert list(table(at).columns) == list(TABLE_COLUMNS)
    parties = at.dataframe[1].value  # in the expander under the table
    assert list(parties.columns) == list(PARTY_COLUMNS)
    assert len(parties) >= 8


def test_the_price_label_reads_well_with_a_plural_unit(open_page):
    at = open_example(open_page, "sjukfranvaro")
    labels = [w.label for w in at.text_input if w.key and "_price_" in w.key]
    # The outcome's name and unit are user text in a Markdown label: escaped (the brackets show as typed).
    shown, unit = escape_markdown("Korta sjukdagar (dag 1–14)"), escape_markdown("dagar")
    assert labels[0] == f"Pris per utfall: {shown}, kr per enhet ({unit})"
    at = open_example(open_page, "sjukfranvaro", lang="en")
    assert next(w.label for w in at.text_input if w.key and "_price_" in w.key) == \
        f"Price per outcome: {shown}, SEK per unit ({unit})"


def test_an_outcome_without_value_to_the_payer_is_explained_not_called_overpriced(open_page):
    at = open_example(open_page, "aterfall")
    texts = [w.value for w in at.warning]
    # Under the price and among the results.
    assert sum("inget värde för utfallsbetalaren" in w for w in texts) == 2
    assert not any("högre än vad en enhet är värd" in w for w in texts)
    assert any("Inget förslag" in c.value for c in at.caption)


def test_the_reading_says_who_carries_the_rest_and_links_to_the_catalogue(open_page):
    at = open_example(open_page, "aterfall")  # a social outcomes contract
    # The example's price makes the public's result swing more than under traditional procurement.
    assert rest_reading(at).startswith("Pengar står på spel även för investeraren (förväntat ")
    assert rest_reading(at).endswith("risk för förlust).")
    links = at.get("page_link")
    assert any(link.proto.page.endswith("instrumenten.py") or "instrumenten" in link.proto.page for link in links)
    link = next(link for link in links if link.proto.label.startswith("I katalogen"))
    assert "instrument=social_outcomes_contract" in link.proto.query_string
    assert "lang=sv" in link.proto.query_string


def _expected_public(at, words: str):
    """The expected public result shown for the instrument whose name contains ``words``."""
    rows = table(at).set_index(table(at).columns[0])
    return rows.loc[next(name for name in rows.index if words in name)].iloc[0]


def _internal_parties(at) -> set[str]:
    parties = next(frame.value for frame in at.dataframe if "party" in frame.value.columns)
    return set(parties[parties["instrument"].str.startswith("Internt")]["party"])


def test_an_internal_contract_with_its_provider_in_house_counts_the_unit_as_public(open_page):
    at = open_example(open_page)
    # By default an external provider carries the outcome risk, as under outcome-based procurement.
    assert _internal_parties(at) == {"Utförare"}
    external = _expected_public(at, "Internt")
    at.toggle(key=next(w.key for w in at.toggle if w.key and w.key.endswith("_in_house"))).set_value(True).run()
    assert not at.exception
    assert _internal_parties(at) == {"Beställande budget", "Utförande enhet"}
    assert _expected_public(at, "Internt") != external


def test_transaction_costs_start_from_labelled_assumptions_and_move_the_comparison(open_page):
    at = open_example(open_page)
    editor = next(frame for frame in at.dataframe if frame.key and frame.key.endswith("_transaction"))
    assert editor.value.iloc[0, 0] == "Traditionell upphandling"
    assert editor.value.iloc[4, 1] == "1 000 000"  # the SIB's suggested set-up
    # Each suggestion's reason stands under the table, the assumptions labelled as such.
    reasons = next(m.value for m in at.markdown if m.value.startswith("- Traditionell upphandling:"))
    assert reasons.count("Antagande:") == 6
    before = _expected_public(at, "Socialt utfallskontrakt")
    # The split says how much of each difference to traditional procurement is timing and how much kronor.
    assert any(m.value == "**Finansiering eller utfall?**" for m in at.markdown)
    assert before != _expected_public(at, "Traditionell")
