"""Instrumenten through AppTest: every instrument readable on its own, in both languages, deep links."""

import pytest

from engine.questionnaire.catalogue import catalogue_ids
from ui.text import escape_markdown

PAGE = "pages/instrumenten.py"


@pytest.mark.parametrize(("lang", "heading"), [("sv", "Socialt utfallskontrakt (SIB)"),
                                               ("en", "Social outcomes contract (SIB)")])
def test_all_eight_instruments_are_described_in_both_languages(open_page, lang, heading):
    at = open_page(PAGE, lang)
    assert not at.exception
    assert len(at.header) == 8
    assert heading in [h.value for h in at.header]
    assert len(at.dataframe) == 8  # one roles table each
    text = " ".join(m.value for m in at.markdown)
    assert "https://" in text  # examples carry their sources


@pytest.mark.parametrize("instrument", catalogue_ids())
def test_choosing_one_instrument_shows_it_alone(open_page, instrument):
    at = open_page(PAGE)
    at.selectbox(key="catalogue_show").set_value(instrument).run()
    assert not at.exception
    assert len(at.header) == 1
    assert at.query_params["instrument"] in (instrument, [instrument])


def test_a_deep_link_opens_one_instrument(open_page):
    at = open_page(PAGE)
    at.query_params["instrument"] = "iop"
    at.run()
    assert [h.value for h in at.header] == ["Idéburet offentligt partnerskap (IOP)"]


def test_an_unknown_instrument_in_the_link_is_explained_and_all_are_shown(open_page):
    at = open_page(PAGE)
    at.query_params["instrument"] = "magic_bond"
    at.run()
    assert not at.exception
    assert at.warning
    assert escape_markdown("magic_bond") in at.warning[0].value  # quoted from the link, escaped
    assert len(at.header) == 8


def test_an_example_button_opens_the_case_in_the_calculation(open_page):
    at = open_page(PAGE)
    at.selectbox(key="catalogue_show").set_value("social_bond").run()
    at.button(key="cat_social_bond_region_stockholm_bond").click().run()
    assert not at.exception
    assert at.session_state["open_source"] == "example:diabetes"
