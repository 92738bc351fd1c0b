"""Sign-in: the two modes of a server, and who is acting in this browser.

Without an ``[auth]`` section in the server's secrets the app runs in the embedded mode, for one
user or a trusted team: no sign-in, one organisation, and a note in the sidebar that everyone who
reaches the server sees everything. With ``[auth]`` (Streamlit's own OpenID Connect support:
``st.login``, ``st.user``) every page but the workshop's join flow asks for sign-in, and the
``[organisations]`` section decides which organisation a signed-in person acts for
(engine/access.py). The README shows both configurations.

Every database session the pages open acts for :func:`current_owner` (ui/db.py), so what a page
can see and change follows from here and from nothing the page itself does.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import streamlit as st

from engine.access import Membership, Refusal, RulesError, membership, parse_rules
from engine.storage import ANONYMOUS, EMBEDDED, Owner
from ui import sign_in_return
from ui.text import escape_markdown

_LOG = logging.getLogger(__name__)


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get(name)
    except FileNotFoundError:  # no secrets file at all: the embedded mode
        return None
    return section if isinstance(section, Mapping) else None


def sign_in_required() -> bool:
    """Whether this server asks for sign-in (it has an ``[auth]`` section)."""
    return _secrets_section("auth") is not None


def who() -> Membership | Refusal | None:
    """The signed-in person's organisation (or why they get none); None when nobody is signed in
    or the server has no sign-in. A configuration that cannot be used raises RulesError."""
    if not sign_in_required():
        return None
    rules = parse_rules(_secrets_section("organisations"))  # checked before anyone signs in
    return membership(st.user.to_dict(), rules) if st.user.is_logged_in else None


def current_owner() -> Owner:
    """On whose behalf this browser's database sessions act."""
    if not sign_in_required():
        return EMBEDDED
    try:
        found = who()
    except RulesError:
        return ANONYMOUS
    if isinstance(found, Membership):
        return Owner(found.organisation, found.user, found.admin)
    return ANONYMOUS


def guard(t, *, public: bool, title_key: str = "nav.home") -> None:
    """Stop the run with the sign-in screen, or with the reason there is no access, unless the page
    may be shown. ``public`` pages (the workshop's join flow) are shown to anyone. After signing in,
    the person comes back to the page ``title_key`` and its address (ui/sign_in_return.py)."""
    if public or not sign_in_required():
        return
    try:
        found = who()
    except RulesError as problem:
        _LOG.error("the [organisations] configuration cannot be used: %s", problem)
        st.error(t("access.config_error", problem=escape_markdown(str(problem))), icon=":material/settings:")
        st.stop()
    if found is None:
        sign_in_return.remember(title_key)
        _sign_in_screen(t)
    elif isinstance(found, Refusal):
        sign_in_return.go_back()  # the refusal too is read in the page and language they came from
        st.title(t("access.refused_title"))
        st.error(t(f"access.refused.{found.reason}", value=escape_markdown(found.value or "–"),
                   user=escape_markdown(str(st.user.get("email") or st.user.get("preferred_username")
                                                    or st.user.get("sub") or ""))),
                 icon=":material/block:")
        st.button(t("access.sign_out"), on_click=st.logout, icon=":material/logout:", key="access_refused_sign_out")
        st.stop()
    else:
        sign_in_return.go_back()


def _sign_in_screen(t) -> None:
    st.title(t("app.title"))
    st.markdown(f"**{t('app.tagline')}**")
    st.info(t("access.sign_in_lead"), icon=":material/lock:")
    provider = _provider()
    st.button(t("access.sign_in"), type="primary", icon=":material/login:", on_click=st.login,
              args=(provider,) if provider else (), key="access_sign_in")
    st.caption(t("access.sign_in_participants"))
    st.page_link("pages/delta.py", label=t("nav.join"), icon=":material/how_to_reg:")
    st.stop()


def _provider() -> str | None:
    """The provider to sign in with: the one named in ``[organisations] provider``, else the only
    one configured as a subsection of ``[auth]`` (None when ``[auth]`` configures it directly)."""
    auth = _secrets_section("auth") or {}
    named = (_secrets_section("organisations") or {}).get("provider")
    if isinstance(named, str) and named:
        return named
    if "client_id" in auth:
        return None
    providers = [key for key, value in auth.items() if isinstance(value, Mapping)]
    return providers[0] if providers else None


def account_sidebar(t) -> None:
    """Who is signed in and for which organisation, with a sign-out button; or, on a server
    without sign-in, the note that everyone who reaches it sees everything."""
    if not sign_in_required():
        st.caption(t("access.embedded_note"))
        return
    owner = current_owner()
    if owner.organisation is None:
        return
    st.caption(t("access.signed_in_as", user=escape_markdown(owner.user or ""),
                 organisation=escape_markdown(owner.organisation)))
    st.button(t("access.sign_out"), on_click=st.logout, icon=":material/logout:", key="access_sign_out")
