"""Instrumenten: the catalogue of the eight instruments; ``?instrument=<id>`` opens one of them."""

import streamlit as st

from engine.questionnaire.catalogue import catalogue_ids, instrument_entry
from ui import state
from ui.frame import page_frame
from ui.questionnaire_catalogue import instrument_section
from ui.text import escape_markdown

t = page_frame("nav.catalogue")
lang = state.language()
st.title(t("nav.catalogue"))
st.write(t("catalogue.page.lead"))

ALL = "all"
choices = [ALL, *catalogue_ids()]
labels = {ALL: t("catalogue.page.all")} | {i: t(f"catalogue.{i}.name") for i in catalogue_ids()}
wanted = st.query_params.get("instrument")
if wanted is not None and wanted not in labels:
    st.warning(t("catalogue.page.unknown", instrument=escape_markdown(wanted[:60])))
    wanted = None
if wanted is not None:
    st.session_state["catalogue_show"] = wanted
st.session_state.setdefault("catalogue_show", ALL)


def _follow_choice() -> None:
    # The URL follows the choice, so the address can be shared and the result page can link here.
    choice = st.session_state["catalogue_show"]
    if choice == ALL:
        st.query_params.pop("instrument", None)
    else:
        st.query_params["instrument"] = choice


st.selectbox(t("catalogue.page.show"), choices, format_func=labels.get, key="catalogue_show",
             on_change=_follow_choice)
shown = catalogue_ids() if st.session_state["catalogue_show"] == ALL else (st.session_state["catalogue_show"],)
for number, instrument in enumerate(shown):
    if number:
        st.divider()
    instrument_section(t, instrument_entry(instrument, lang))
st.divider()
st.page_link("pages/valj_instrument.py", label=t("catalogue.page.to_questionnaire"), icon=":material/checklist:")
