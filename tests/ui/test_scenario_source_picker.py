"""scenario_source_picker: saved scenarios and examples as Source values; the choice outlives the widget,
is the one open scenario of the analysis pages, and a choice that no longer exists is said to be so."""

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import TIMEOUT


def _script():
    import streamlit as st

    from engine.i18n import translate
    from ui import state
    from ui.components.scenario_source_picker import load_source, scenario_source_picker

    def t(key, **params):
        return translate(key, "sv", **params)

    state.sync_from_url()  # as the page frame does before anything is drawn
    source = scenario_source_picker(t, "calc.source")
    st.session_state["kind"], st.session_state["ident"] = source.kind, source.ident
    st.session_state["name"] = load_source(t, source, "sv").name


def _save(app_db, name):
    from engine.scenario import blank_scenario
    from engine.storage import open_database, save_scenario, session_factory

    with session_factory(open_database(app_db)).begin() as session:
        return save_scenario(session, blank_scenario(name)).document_id


def test_without_saved_scenarios_the_first_example_is_chosen_and_loaded(app_db):
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.session_state["kind"] == "example"
    assert at.session_state["name"]  # the example was loaded


def test_a_new_session_opens_an_example_never_someone_elses_newest_scenario(app_db):
    document_id = _save(app_db, "Någon annans uppladdning")
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    assert at.session_state["kind"] == "example"
    at.selectbox(key="open_source_widget").set_value(f"saved:{document_id}").run()
    assert (at.session_state["kind"], at.session_state["ident"]) == ("saved", str(document_id))
    assert at.session_state["name"] == "Någon annans uppladdning"
    at.selectbox(key="open_source_widget").set_value("example:ips").run()
    assert (at.session_state["kind"], at.session_state["ident"]) == ("example", "ips")
    assert at.session_state["open_source"] == "example:ips"  # kept under the plain key, for other pages
    assert at.query_params["scenario"] in ("example:ips", ["example:ips"])  # and in the URL, for a reload or a link


def test_a_choice_that_no_longer_exists_falls_back(app_db):
    at = AppTest.from_function(_script, default_timeout=TIMEOUT)
    at.session_state["open_source"] = "saved:999"
    at.run()
    assert not at.exception
    assert at.session_state["kind"] == "example"
    assert "999" in at.warning[0].value  # said, not silently replaced
