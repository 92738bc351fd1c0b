"""percent_input: a share shown in percent, returned as a share; None stays empty."""

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import TIMEOUT


def _script(share, decimals):
    import streamlit as st

    from ui.components.percent_input import percent_input

    value = percent_input("Effekt", share, key="effect", decimals=decimals, placeholder="–")
    st.session_state["returned"] = value


def test_a_share_is_shown_in_percent_and_returned_as_a_share():
    at = AppTest.from_function(_script, args=(0.125, 1), default_timeout=TIMEOUT).run()
    field = at.number_input(key="effect")
    assert field.value == 12.5
    assert field.format == "%.1f"
    assert at.session_state["returned"] == 0.125
    field.set_value(7.0).run()
    assert at.session_state["returned"] == 0.07  # not 0.07000000000000001


def test_an_empty_share_stays_empty_until_a_number_is_typed():
    at = AppTest.from_function(_script, args=(None, None), default_timeout=TIMEOUT).run()
    assert at.number_input(key="effect").value is None
    assert at.session_state["returned"] is None
    at.number_input(key="effect").set_value(30.0).run()
    assert at.session_state["returned"] == 0.3
