"""Home page: what the tool is for, the three paths, and how to begin."""

import streamlit as st

from engine.storage import list_scenarios
from ui.db import reading
from ui.frame import page_frame
from ui.home import path_card, start_links, workshop_links

t = page_frame("nav.home")

st.title(t("app.title"))
st.markdown(f"**{t('app.tagline')}**")
st.write(t("home.lead"))

st.subheader(t("home.paths_heading"))
columns = st.columns(3)
for column, path in zip(columns, ("instrument", "targets", "savings"), strict=True):
    with column:
        path_card(t, path)

st.info(t("home.path_start"))
start_links(t)

st.subheader(t("home.how_heading"))
st.markdown(t("home.how_body"))
st.subheader(t("home.presenter_heading"))
st.write(t("home.workshop_body"))
workshop_links(t)
st.write(t("home.presenter_body"))

with reading() as session:
    saved = len(list_scenarios(session))
st.caption(t("home.stored_count", count=saved))
