"""number_field and percent_input: numbers typed the Swedish or English way are read as written;
what cannot be read gets a message at the field and leaves the value as it was."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import TIMEOUT


def _script(start, lang):
    import streamlit as st

    from ui import state
    from ui.components import number_field as fields
    from ui.components.percent_input import percent_input

    st.session_state[state.LANG] = lang
    fields.start_run()
    st.session_state["got_baseline"] = fields.number_field("Utgångsläge", start, key="baseline", low=0.0)
    st.session_state["got_effect"] = percent_input("Effekt", 0.125, key="effect", decimals=1)
    st.session_state["got_years"] = fields.number_field("År", 2024, key="years", whole=True, group=False,
                                                    low=1990, high=2100)
    st.session_state["got_cap"] = fields.number_field("Tak", None, key="cap", required=False, low=0.0)
    st.session_state["problems"] = fields.field_problems()


def _run(start=3.8, lang="sv"):
    return AppTest.from_function(_script, args=(start, lang), default_timeout=TIMEOUT).run()


def test_values_are_shown_the_languages_way():
    at = _run(100_000.0)
    assert at.text_input(key="baseline").value == "100 000"
    assert at.text_input(key="effect").value == "12,5 %"
    assert at.text_input(key="years").value == "2024"
    assert at.text_input(key="cap").value == ""
    assert at.session_state["got_cap"] is None
    english = _run(3.8, "en")
    assert english.text_input(key="baseline").value == "3.8"
    assert english.text_input(key="effect").value == "12.5%"


@pytest.mark.parametrize(("typed", "value", "shown"), [
    ("3,9", 3.9, "3,9"), ("3.9", 3.9, "3,9"), ("1 234", 1234.0, "1 234"), ("1234567", 1234567.0, "1 234 567"),
    ("0,30", 0.3, "0,3"), ("1 234,5", 1234.5, "1 234,5"),
])
def test_swedish_and_english_forms_are_read_as_written_and_shown_back(typed, value, shown):
    at = _run()
    at.text_input(key="baseline").set_value(typed).run()
    assert at.session_state["got_baseline"] == value
    assert at.text_input(key="baseline").value == shown
    assert at.session_state["problems"] == {}


def test_a_share_in_per_cent_accepts_the_per_cent_sign():
    at = _run()
    at.text_input(key="effect").set_value("12 %").run()
    assert at.session_state["got_effect"] == 0.12
    at.text_input(key="effect").set_value("7").run()
    assert at.session_state["got_effect"] == 0.07  # not 0.07000000000000001
    assert at.text_input(key="effect").value == "7 %"


@pytest.mark.parametrize(("key", "typed", "message"), [
    ("baseline", "3,9,1", "går inte att läsa som ett tal"),
    ("baseline", "1e400", "för stort"),
    ("baseline", "−0", "kan inte vara negativt"),
    ("baseline", "9" * 59, "för långt"),
    ("baseline", "3.800", "kan betyda två olika tal"),
    ("effect", "12 %%", "går inte att läsa som ett tal"),
    ("effect", "120 %", "högst 100 %"),
    ("baseline", "", "Fyll i ett tal"),
    ("years", "2024,5", "heltal"),
    ("baseline", "12 %", "utan procenttecken"),
])
def test_what_cannot_be_read_gets_a_message_at_the_field_and_keeps_the_value(key, typed, message):
    at = _run()
    before = at.session_state[f"got_{key}"]
    at.text_input(key=key).set_value(typed).run()
    assert at.session_state[f"got_{key}"] == before
    assert list(at.session_state["problems"]) == [key]
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert message in errors[0]
    assert at.text_input(key=key).value == typed  # the text stays for the user to correct


def test_the_users_text_in_a_message_is_not_markdown():
    at = _run()
    at.text_input(key="baseline").set_value("**5** [x](http://e)").run()
    assert "\\*\\*5\\*\\*" in at.error[0].value


def test_messages_speak_english_when_the_user_does():
    at = _run(3.8, "en")
    at.text_input(key="baseline").set_value("1,234").run()
    assert "could mean two different numbers" in at.error[0].value
