"""Back to where the person was, after signing in.

Streamlit's sign-in always ends on the app's start page, without the address the person came
from. For a facilitator who opens their workshop link while signed out, or a colleague who follows
a link to a scenario, that loses the one thing they came for. So the sign-in screen keeps the
page and its query in a short-lived cookie, and the first signed-in run of the next session goes
there once and then removes the cookie.

Only the app's own pages are ever the destination (nothing outside the app can be named), and the
cookie holds nothing that was not in the address bar already.

>>> value = encode_return("pages/workshop.py", {"f": "abc", "lang": "en"})
>>> decode_return(value, {"pages/workshop.py"})
('pages/workshop.py', {'f': 'abc', 'lang': 'en'})
>>> decode_return(encode_return("https://evil.example", {}), {"pages/workshop.py"}) is None
True
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection, Mapping

import streamlit as st

from ui.nav import PAGES

#: The cookie, and how long it waits for the sign-in to come back (seconds).
COOKIE = "uk_after_sign_in"
MAX_AGE = 600
#: Bounds on what is kept: a few short parameters, as the app's own links have.
_MAX_PARAMS, _MAX_TEXT = 12, 300
_VALUE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,2048}")
_SENT, _WENT, _CLEARED = "sign_in_return_sent", "sign_in_return_went", "sign_in_return_cleared"


def encode_return(path: str, query: Mapping[str, str]) -> str:
    """The cookie's value for ``path`` with ``query`` (URL-safe base64 of JSON, no padding)."""
    text = json.dumps({"page": path, "query": dict(query)}, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_return(value: object, pages: Collection[str]) -> tuple[str, dict[str, str]] | None:
    """The page and query a cookie names, or None for anything that is not one of ``pages`` with
    a few short text parameters."""
    if not isinstance(value, str) or not _VALUE_SHAPE.fullmatch(value):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict) or data.get("page") not in pages:
        return None
    query = data.get("query")
    if not isinstance(query, dict) or len(query) > _MAX_PARAMS or not all(
            isinstance(k, str) and isinstance(v, str) and len(k) <= _MAX_TEXT and len(v) <= _MAX_TEXT
            for k, v in query.items()):
        return None
    return data["page"], query


def remember(title_key: str) -> None:
    """On the sign-in screen: keep this page and its query for after the sign-in (once a session)."""
    if st.session_state.get(_SENT):
        return
    page = next((entry.path for entry in PAGES if entry.label_key == title_key), None)
    query = {key: str(value) for key, value in st.query_params.to_dict().items()}
    if page is None or decode_return(value := encode_return(page, query), _page_paths()) is None:
        return
    _write_cookie(value, MAX_AGE)
    st.session_state[_SENT] = True


def go_back() -> None:
    """On a signed-in run: go once to the page kept before sign-in, and forget it afterwards."""
    kept = st.context.cookies.get(COOKIE)
    if kept is None:
        return
    if not st.session_state.get(_WENT):
        st.session_state[_WENT] = True
        target = decode_return(kept, _page_paths())
        if target is not None:
            st.switch_page(target[0], query_params=target[1])
    if not st.session_state.get(_CLEARED):
        st.session_state[_CLEARED] = True
        _write_cookie("", 0)


def _page_paths() -> set[str]:
    return {entry.path for entry in PAGES}


def _write_cookie(value: str, max_age: int) -> None:
    secure = (st.context.url or "").startswith("https:")
    attributes = f"Path=/; Max-Age={max_age}; SameSite=Lax" + ("; Secure" if secure else "")
    st.html(f'<style>.stElementContainer:has(> .stHtml > [data-uk-return]) {{display: none;}}</style>'
            f'<script data-uk-return>document.cookie = "{COOKIE}={value}; {attributes}";</script>',
            unsafe_allow_javascript=True)
