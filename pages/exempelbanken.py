"""Exempelbanken: good examples in one place, shared by the organisations on the server; open one,
read what happened in reality, and copy it into your own organisation."""

import streamlit as st

from ui import bank_views, state
from ui.frame import page_frame

t = page_frame("nav.bank")
lang = state.language()
st.title(t("bank.title"))
st.write(t("bank.lead"))

entries = bank_views.load_entries()
bank_views.entry_table(t, entries, lang)
st.divider()
entry = bank_views.entry_picker(t, entries)
if bank_views.entry_details(t, entry, lang) is not None:
    bank_views.copy_form(t, entry, lang)
