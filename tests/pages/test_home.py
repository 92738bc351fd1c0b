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


def test_every_page_is_reachable_from_a_path_card_or_the_start_links():
    from ui.home import _PATH_PAGES, START_PAGES, WORKSHOP_PAGES
    from ui.nav import PAGES

    linked = {page for links in _PATH_PAGES.values() for page, _, _ in links} | {page for page, _, _ in WORKSHOP_PAGES}
    linked |= {page for page, _, _ in START_PAGES}
    assert linked | {"app.py"} == {entry.path for entry in PAGES}


def test_the_home_page_links_each_path_to_its_pages(open_page):
    at = open_page()
    # Streamlit names a page's URL after its file; the sidebar's links are left out.
    links = {element.proto.page for element in at.main.get("page_link")}
    assert {"valj_instrument", "instrumenten", "jamfor_instrument", "effektmal", "kalkyl"} <= links
