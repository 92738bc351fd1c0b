"""problem_list and ProblemSlots: problems listed with their paths, or each under its own field."""

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import TIMEOUT


def _list_script():
    from engine.errors import InputError, Problem
    from engine.i18n import translate
    from ui import state
    from ui.components.problem_list import problem_list

    state.sync_from_url()

    def t(key, **params):
        return translate(key, "sv", **params)

    problem_list(t, InputError([Problem("outcomes[0].effect", "Får inte vara större än 1.", "range"),
                                Problem("", "**Fet** [länk](http://x)", "other")]))


def _slots_script():
    import streamlit as st

    from engine.errors import InputError, Problem
    from engine.i18n import translate
    from ui import state
    from ui.components.problem_list import ProblemSlots

    state.sync_from_url()

    def t(key, **params):
        return translate(key, "sv", **params)

    slots = ProblemSlots()
    st.text_input("Namn", key="name")
    slots.add("name")
    st.number_input("Effekt", key="effect")
    slots.add("outcomes[0]")
    st.number_input("Pris", key="price")
    slots.add("contract.prices")
    slots.show(t, InputError([Problem("outcomes[0].effect", "För stor.", "range"),
                              Problem("name", "Får inte vara tomt.", "empty"),
                              Problem("horizon_years", "För lång.", "range"),
                              Problem("contract.prices.**x** [a](http://x) =1+1", "Okänt utfall.", "unknown")]))


def test_every_problem_is_listed_with_its_path_and_user_text_stays_text():
    at = AppTest.from_function(_list_script, default_timeout=TIMEOUT).run()
    assert len(at.error) == 1
    body = at.error[0].value
    assert "Utfall 1 – Effekt" in body  # the field as the user knows it
    assert "outcomes" not in body  # never the internal path
    assert "\\*\\*Fet\\*\\*" in body
    assert "\\[länk\\]" in body


def test_each_problem_stands_under_the_field_it_belongs_to_and_the_rest_in_one_box():
    at = AppTest.from_function(_slots_script, default_timeout=TIMEOUT).run()
    messages = [e.value.replace("\\", "") for e in at.error]  # as read, without the Markdown escapes
    assert messages[0] == "Får inte vara tomt."  # under the name
    assert messages[1] == "Utfall 1 – Effekt: För stor."  # under the outcome, naming the field inside it
    assert "Tidshorisont" in messages[-1]  # no slot: in the box at the end
    assert not any("horizon" in m or "outcomes[" in m for m in messages)
    assert len(messages) == 5  # three slots, the summary, and the box with the rest
    price = next(e.value for e in at.error if "Okänt utfall" in e.value)
    assert "\\*\\*x\\*\\*" in price
    assert "\\[a\\]" in price
