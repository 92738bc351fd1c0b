"""working_copy: the open scenario's copy is loaded once, shared by the pages, kept as a draft in a
real SQLite file (so a new session of the same workspace finds the edits), and discarded in one click."""

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import TIMEOUT


def _script(page):
    import streamlit as st

    from engine.scenario import blank_scenario, parse_scenario, scenario_to_dict
    from ui import state
    from ui.components.scenario_source_picker import Source
    from ui.components.working_copy import discard_scenario, keep_scenario, open_scenario_copy, scenario_saved

    st.query_params["ws"] = "test-workspace-1"  # as a link or a reload brings it
    state.sync_from_url()
    state.enter_page(st.session_state.get("page", page))
    st.session_state.setdefault("loads", 0)

    def load():
        st.session_state["loads"] += 1
        return scenario_to_dict(blank_scenario("Bas")), None

    source = Source.parse(state.open_source_token() or "example:ips")  # what the picker would return
    copy = open_scenario_copy(st.session_state.get("page", page), source, load)
    horizon = st.number_input("Kalkylperiod", value=copy.base["horizon_years"], key=f"{copy.key}_horizon")
    edited = copy.base | {"horizon_years": int(horizon)}
    changed = keep_scenario(copy, edited, parse_scenario(edited))
    if st.button("Släng", key="discard"):
        discard_scenario(copy)
        st.rerun()
    if st.button("Spara", key="save"):
        scenario_saved(copy, Source.saved(7), edited, 1)
        st.rerun()
    st.session_state["shown"] = (copy.source.token, copy.key, int(horizon), changed)


def _app():
    return AppTest.from_function(_script, args=("calc",), default_timeout=TIMEOUT)


def test_the_copy_is_loaded_once_and_edits_are_kept_while_the_user_works(app_db):
    at = _app().run()
    assert at.session_state["shown"] == ("example:ips", "calc1", 15, False)
    at.number_input(key="calc1_horizon").set_value(20).run()
    at.run()
    assert at.session_state["loads"] == 1
    assert at.session_state["shown"] == ("example:ips", "calc1", 20, True)


def test_another_page_starts_from_the_edits_and_so_does_coming_back(app_db):
    at = _app().run()
    at.number_input(key="calc1_horizon").set_value(20).run()
    at.session_state["page"] = "compare"
    at.run()
    assert at.session_state["shown"] == ("example:ips", "compare1", 20, True)
    at.number_input(key="compare1_horizon").set_value(25).run()
    at.session_state["page"] = "calc"
    at.run()
    assert at.session_state["shown"] == ("example:ips", "calc2", 25, True)  # a new round, from the latest edits
    assert at.session_state["loads"] == 1


def test_a_new_session_of_the_same_workspace_finds_the_edits_in_the_database(app_db):
    first = _app().run()
    first.number_input(key="calc1_horizon").set_value(22).run()
    reloaded = _app().run()  # a reload: a new session, the same ?ws= in the URL
    assert reloaded.session_state["shown"] == ("example:ips", "calc1", 22, True)


def test_discarding_goes_back_to_what_is_saved_everywhere(app_db):
    at = _app().run()
    at.number_input(key="calc1_horizon").set_value(20).run()
    at.button(key="discard").click().run()
    assert at.session_state["shown"] == ("example:ips", "calc2", 15, False)
    assert _app().run().session_state["shown"][2:] == (15, False)  # nothing left in the database


def test_editing_back_to_the_saved_value_leaves_no_draft(app_db):
    at = _app().run()
    at.number_input(key="calc1_horizon").set_value(20).run()
    at.number_input(key="calc1_horizon").set_value(15).run()
    assert at.session_state["shown"][3] is False
    assert _app().run().session_state["shown"][2:] == (15, False)


def test_after_a_save_the_saved_source_is_open_without_unsaved_edits(app_db):
    at = _app().run()
    at.number_input(key="calc1_horizon").set_value(20).run()
    at.button(key="save").click().run()
    assert at.session_state["shown"] == ("saved:7", "calc2", 20, False)
    assert at.session_state["open_source"] == "saved:7"
