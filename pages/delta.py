"""Delta i workshop: the participant's side of a workshop, made for a phone.

The way in is the join code (typed, or in the link ``/delta?kod=ABCD2345`` behind the QR code).
Then the participant gives a name and a role and answers the questionnaire one question per
screen; when the facilitator opens an estimate round it appears above the questions.

How a participant is found again on their device, how answers are kept until they are written,
and the fragment that watches the facilitator are in ``ui.workshop_participant`` (the round's box
in ``ui.workshop_round``). Writes wait until the whole page is drawn, so they go last.
"""

import streamlit as st

from ui import state
from ui import workshop_participant as participant
from ui.device import device_hash
from ui.frame import page_frame

t = page_frame("nav.join", public=True)
here = participant.Context(t, state.language(), device_hash())

address_code = st.query_params.get("kod")
found, problem = participant.workshop_in_address(here, address_code) if address_code else (None, None)
if found is None:
    participant.code_screen(here, problem)
else:
    participant.workshop_screen(here, found)
here.write_deferred()
