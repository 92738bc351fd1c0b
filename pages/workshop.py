"""Workshop: a facilitator creates a workshop, or runs one from its private facilitator link.

Without a link the page offers to create one. With ``?f=<secret>`` it is the facilitator's screen
for the big screen (presenter mode unless switched off): how to join, who has come and how far,
what everyone's answers recommend and where the roles disagree, estimate rounds, the long-term
savings of the workshop's scenario, the group's conclusions, and closing and exporting.
"""

import streamlit as st

from engine.storage.workshops import facilitator_workshop
from ui import workshop_views as views
from ui.auth import sign_in_required
from ui.db import reading
from ui.frame import page_frame
from ui.workshop_setup import create_form, open_at_top

t = page_frame("nav.workshop", presenter_default="f" in st.query_params)
secret = st.query_params.get("f")

if not secret:
    st.title(t("workshop.create.title"))
    st.write(t("workshop.create.lead"))
    create_form(t)
    st.stop()

with reading() as session:
    workshop = facilitator_workshop(session, secret)
if workshop is None:
    st.title(t("nav.workshop"))
    # Under sign-in the link may be right but another organisation's: the message covers both.
    st.error(t("access.workshop_link_unknown" if sign_in_required() else "workshop.link_unknown"),
             icon=":material/link_off:")
    st.page_link("pages/workshop.py", label=t("workshop.create.title"), icon=":material/add:")
    st.stop()

open_at_top()
views.header(t, workshop)
view = views.view_selector(t)
views.draw(t, view, workshop, secret)
