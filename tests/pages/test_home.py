"""The home page: what the tool is for, the three paths, language and presenter mode."""

import pytest


def texts(at) -> str:
    return "\n".join(e.value for e in [*at.title, *at.subheader, *at.markdown, *at.caption, *at.info]
                     if isinstance(e.value, str))


def test_the_home_page_speaks_swedish_by_default(open_page):
    at = open_page()
    assert at.title[0].value == "Utfallskompassen"
    assert "Vilket instrument passar oss?" in texts(at)
    assert at.session_state["lang"] == "sv"


def test_the_lang_query_parameter_opens_the_page_in_english(open_page):
    at = open_page(lang="en")
    assert "Which instrument fits us?" in texts(at)
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"


def test_switching_language_changes_the_texts_and_the_url(open_page):
    at = open_page()
    at.radio(key="frame_language").set_value("en").run()
    assert not at.exception
    assert "Does it pay off, for whom, and when?" in texts(at)
    assert at.session_state["lang"] == "en"


def test_the_language_survives_a_change_of_page(open_page):
    at = open_page(lang="en")
    at.switch_page("pages/scenarier.py").run()
    assert at.title[0].value == "Scenarios"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_three_paths_are_described_in_both_languages(open_page, lang):
    at = open_page(lang=lang)
    assert len(at.subheader) >= 3
    assert not at.exception


def test_presenter_mode_can_be_turned_on_and_is_remembered(open_page):
    at = open_page()
    at.toggle(key="frame_presenter").set_value(True).run()
    assert at.session_state["presenter"] is True
    at.switch_page("pages/scenarier.py").run()
    assert at.session_state["presenter"] is True
    assert not at.exception
