"""working_copy: loaded once per source, kept across reruns, a new round when restarted or the source changes."""

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import TIMEOUT


def _script():
    import streamlit as st

    from ui.components.scenario_source_picker import Source
    from ui.components.working_copy import restart, working_copy

    st.session_state.setdefault("loads", 0)

    def load():
        st.session_state["loads"] += 1
        return {"effect": 0.1, "from": st.session_state.get("wanted", "example:ips")}

    source = Source.parse(st.session_state.get("wanted", "example:ips"))
    copy = working_copy("calc", source, load)
    effect = st.number_input("Effekt", value=copy.base["effect"], key=f"{copy.key}_effect")
    if st.button("Spara", key="save"):
        restart("calc", Source.saved(7), {"effect": effect, "from": "saved:7"})
        st.session_state["wanted"] = "saved:7"
        st.rerun()
    st.session_state["shown"] = (copy.source.token, copy.key, copy.base["from"])


def test_the_copy_is_loaded_once_and_kept_while_the_user_edits():
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    assert at.session_state["shown"] == ("example:ips", "calc1", "example:ips")
    at.number_input(key="calc1_effect").set_value(0.2).run()
    at.run()
    assert at.session_state["loads"] == 1
    assert at.number_input(key="calc1_effect").value == 0.2


def test_a_restart_starts_a_new_round_from_the_new_base():
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    at.number_input(key="calc1_effect").set_value(0.3).run()
    at.button(key="save").click().run()
    assert at.session_state["shown"] == ("saved:7", "calc2", "saved:7")
    assert at.number_input(key="calc2_effect").value == 0.3
    assert at.session_state["loads"] == 1  # restarted from the edited copy, not loaded again


def test_another_source_loads_again():
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    at.session_state["wanted"] = "example:aterfall"
    at.run()
    assert at.session_state["loads"] == 2
    assert at.session_state["shown"] == ("example:aterfall", "calc2", "example:aterfall")
