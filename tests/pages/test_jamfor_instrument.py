"""Jämför instrument through AppTest: both languages, inputs move results, warnings, bad input, saving."""

import pytest

from engine.examples import example_ids
from engine.storage import list_scenarios, list_versions, load_scenario, open_database, session_factory

PAGE = "pages/jamfor_instrument.py"


def table(at):
    return at.dataframe[0].value


def reading(at) -> str:
    found = [m.value for m in at.markdown if m.value.startswith("####")]
    return found[0] if found else ""


def open_example(open_page, example="placeringar", lang=None):
    at = open_page(PAGE, lang)
    at.selectbox(key="compare_source_widget").set_value(f"example:{example}").run()
    assert not at.exception, at.exception
    return at


def number(at, suffix):
    return at.number_input(key=next(w.key for w in at.number_input if w.key and w.key.endswith(suffix)))


@pytest.mark.parametrize("lang,words", [("sv", "av risken"), ("en", "of the risk")])
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
    number(at, "_price_0").set_value(4000.0).run()
    assert not at.exception
    assert not table(at).equals(before)


def test_a_price_above_the_value_to_the_payer_is_warned(open_page):
    at = open_example(open_page)
    number(at, "_price_0").set_value(9000.0).run()
    assert any("HVB-dygn" in w.value and "högre" in w.value for w in at.warning)


def test_switching_the_instrument_changes_the_reading(open_page):
    at = open_example(open_page)
    before = reading(at)
    at.selectbox(key=next(s.key for s in at.selectbox if s.key and s.key.endswith("_instrument"))) \
        .set_value("iop").run()
    assert not at.exception
    assert reading(at) != before and "idéburet" in reading(at)


def test_a_window_with_the_first_year_after_the_last_is_explained_at_the_field(open_page):
    at = open_example(open_page)
    number(at, "_window_first").set_value(5).run()
    assert not at.exception
    assert any(e.value.startswith("contract.payment_window") or "Betalningsfönstret" in e.value for e in at.error)
    assert len(at.dataframe) == 0


def test_a_return_floor_above_the_cap_is_refused(open_page):
    at = open_example(open_page)
    number(at, "_return_floor").set_value(20.0).run()
    assert any("Lägsta avkastning" in e.value for e in at.error)


def test_saving_an_example_creates_a_scenario_with_the_contract_and_then_a_version(open_page, app_db):
    at = open_example(open_page)
    number(at, "_price_0").set_value(3000.0).run()
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
    assert len(table(at)) == 8
