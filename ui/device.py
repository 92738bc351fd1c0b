"""Which browser this is: a random device id kept in a cookie, for participants who join without an account.

A participant's personal link is bound to the device it was first opened on: the workshop stores
``device_hash()`` with the participant, and the link only works where the same hash comes back.
So the link survives a reload or a closed tab (the cookie stays), but not being copied into
another browser or onto another phone (no cookie there, so a different id).

How the id travels: Streamlit gives each session the cookies of the request that opened it,
read-only (``st.context.cookies``). When there is no well-formed id cookie we make a new id, keep it
in the session state for the rest of the session, and have the browser store it with a small
script, so that the next session (after a reload) sends it along.

Limits, by design of cookies: a browser that refuses or clears cookies (private windows when
closed) gets a new id each time and loses its links; someone with access to the browser can read
the cookie (scripts can, so it cannot be HttpOnly) and carry it elsewhere. It binds a link to a
browser, not to a person.

Call ``device_id`` in the body of the page script, not in a widget callback: the first call of a
session may draw the (invisible) script element where it is called.
"""

from __future__ import annotations

import re
import secrets
from typing import TypeGuard

import streamlit as st

from engine.workshop.codes import secret_hash

#: Name of the cookie holding the device id.
COOKIE = "uk_device"
#: Seconds the browser keeps the cookie: a year.
COOKIE_MAX_AGE = 365 * 24 * 3600
#: Session-state keys: this session's device id, and whether the cookie script has been drawn.
_ID_KEY, _WRITTEN_KEY = "device_id", "device_cookie_written"
#: What a device id looks like: URL-safe base64 characters, 22 to 64 of them (we make 32).
_ID_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,64}")
_NEW_ID_BYTES = 24


def is_device_id(text: object) -> TypeGuard[str]:
    """True for a well-formed device id (and so for nothing that could break out of a cookie or script).

    >>> is_device_id(secrets.token_urlsafe(24)), is_device_id("short"), is_device_id('a"; x=' + "a" * 30)
    (True, False, False)
    """
    return isinstance(text, str) and _ID_SHAPE.fullmatch(text) is not None


def device_id() -> str:
    """This browser's device id: from its cookie, or new (and then stored in the browser)."""
    state = st.session_state
    known = state.get(_ID_KEY)
    if is_device_id(known):
        return known
    from_cookie = st.context.cookies.get(COOKIE)
    if is_device_id(from_cookie):
        state[_ID_KEY] = from_cookie
        return from_cookie
    new = secrets.token_urlsafe(_NEW_ID_BYTES)
    state[_ID_KEY] = new
    _store_in_browser(new)
    return new


def device_hash() -> str:
    """What the database keeps of the device id: its SHA-256 (see ``engine.workshop.codes.secret_hash``)."""
    return secret_hash(device_id())


def cookie_script(value: str, *, secure: bool) -> str:
    """The script that stores ``value`` as the device cookie.

    >>> print(cookie_script("A" * 32, secure=True))
    <script data-uk-device-cookie>document.cookie = "uk_device=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; Path=/; Max-Age=31536000; SameSite=Lax; Secure";</script>
    """
    # The value goes into a script: only our own URL-safe ids may, whatever the caller passes.
    if not is_device_id(value):
        raise ValueError("not a device id")
    attributes = f"Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax" + ("; Secure" if secure else "")
    return f'<script data-uk-device-cookie>document.cookie = "{COOKIE}={value}; {attributes}";</script>'


#: Hides the element holding the cookie script: it has no height, but the gap before it would push
#: the page down on the first run only (a script runs whether its element is shown or not). The class
#: names are Streamlit's; tests/ui/test_device_and_qr.py checks in Chromium that they still match.
_HIDE_SCRIPT_ELEMENT = (
    '<style>.stElementContainer:has(> .stHtml > [data-uk-device-cookie]) {display: none;}</style>'
)


def _store_in_browser(value: str) -> None:
    """Draw the cookie script, once per session.

    It is not drawn again on later runs, so Streamlit removes the element then; by that time the
    script has run and the cookie is set.
    """
    if st.session_state.get(_WRITTEN_KEY):
        return
    url = st.context.url or ""
    st.html(_HIDE_SCRIPT_ELEMENT + cookie_script(value, secure=url.startswith("https:")), unsafe_allow_javascript=True)
    st.session_state[_WRITTEN_KEY] = True
