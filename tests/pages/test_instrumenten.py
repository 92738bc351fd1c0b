"""Instrumenten through AppTest: every instrument readable on its own, in both languages, deep links."""

from datetime import date

import pytest

from engine.questionnaire import legal
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


@pytest.mark.parametrize(("day", "warned"), [(date(2026, 3, 1), True), (date(2025, 6, 1), False)])
def test_the_limits_show_their_source_and_period_and_warn_outside_it(open_page, monkeypatch, day, warned):
    monkeypatch.setattr(legal, "today", lambda: day)
    at = open_page(PAGE)
    at.selectbox(key="catalogue_show").set_value("traditional_procurement").run()
    assert not at.exception
    assert any("2024-01-01–2025-12-31" in c.value and "Upphandlingsmyndigheten" in c.value for c in at.caption)
    stale = [w.value for w in at.warning if "2025-12-31" in w.value]
    assert bool(stale) is warned


def test_the_iop_entry_cites_the_right_inquiry(open_page):
    at = open_page(PAGE, "en")
    at.selectbox(key="catalogue_show").set_value("iop").run()
    text = " ".join(m.value for m in at.markdown)
    assert "SOU 2019:56" in text
    assert "SOU 2019:59" not in text
