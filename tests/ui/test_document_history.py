"""document_history, rename_input and trash_button: versions to look at, open and restore; a name; the trash."""

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import TIMEOUT


def _script():
    from datetime import UTC, datetime

    import streamlit as st

    from engine.i18n import translate
    from engine.storage import VersionInfo
    from ui.components.document_history import document_history, rename_input, trash_button
    from ui.questionnaire_result import HISTORY_TEXTS as texts

    def t(key, **params):
        return translate(key, "sv", **params)

    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    history = [VersionInfo(5, n, "Svar **fetstil**", moment, "saved", None) for n in (3, 2, 1)]
    choice = document_history(t, history, texts, key="h", lang="sv", contents=lambda v: st.write(f"innehåll {v}"))
    st.session_state["picked"] = choice.picked
    if choice.action:
        st.session_state["action"] = (choice.action.kind, choice.action.version)
    renamed = rename_input(t, texts, key="h", document_id=5, name="Svar **fetstil**", newest=3)
    if renamed:
        st.session_state["action"] = (renamed.kind, renamed.name)
    if trash_button(t, texts, key="h", document_id=5, name="Svar **fetstil**"):
        st.session_state["action"] = ("trash", None)


def test_the_newest_version_is_picked_and_cannot_be_restored():
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.session_state["picked"] == 3
    assert at.selectbox(key="h_pick_5_3").options[0] == "Version 3 (senaste)"
    assert at.button(key="h_restore").disabled
    assert "action" not in at.session_state


def test_an_older_version_can_be_looked_at_opened_and_restored():
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    at.selectbox(key="h_pick_5_3").set_value(1).run()
    assert any(m.value == "innehåll 1" for m in at.markdown)
    at.button(key="h_open_version").click().run()
    assert at.session_state["action"] == ("open", 1)
    at.button(key="h_restore").click().run()
    assert at.session_state["action"] == ("restore", 1)


def test_rename_returns_the_new_name_and_trash_needs_confirmation():
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    at.text_input(key="h_rename_5_3").input("Nytt namn")
    at.button(key="h_rename_button").click().run()
    assert at.session_state["action"] == ("rename", "Nytt namn")
    assert at.button(key="h_trash_button").disabled
    confirm = at.checkbox(key="h_trash_confirm_5")
    assert "\\*\\*fetstil\\*\\*" in confirm.label  # the user's name is shown as text, not as Markdown
    confirm.check().run()
    at.button(key="h_trash_button").click().run()
    assert at.session_state["action"] == ("trash", None)
