"""Streamlit's st.login() end to end through a real OpenID Connect provider, on a throwaway app.

The app's sign-in mode stands on this chain (secrets.toml, the provider, Streamlit's callback and
its signed cookie); proving it on its own says whether a failing sign-in test is the app or the
machinery.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    goto,
    serving_with_sign_in,
    sign_in,
    wait_for_app,
)

SCRIPT = """\
import streamlit as st

if not st.user.is_logged_in:
    st.button("Logga in", on_click=st.login)
else:
    st.write("Inloggad som", st.user.email)
    st.button("Logga ut", on_click=st.logout)
"""

EMAIL = "anna.andersson@vasteras.se"
USER_COOKIE = "_streamlit_user"


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory, oidc_provider) -> Iterator[str]:
    """Base URL of SCRIPT served with secrets that sign in through oidc_provider.

    One server for the module: each test has a browser context of its own, and the sign-in
    lives in the context's cookies, not in the server.
    """
    tmp_path = tmp_path_factory.mktemp("auth_app")
    script = tmp_path / "auth_app.py"
    script.write_text(SCRIPT, encoding="utf-8")
    with serving_with_sign_in(tmp_path, oidc_provider, app=script, cwd=tmp_path,
                              organisations={"vasteras.se": "Västerås stad"}) as (url, _):
        yield url


def signed_in(page, auth_app, oidc_provider) -> None:
    goto(page, auth_app)
    page.get_by_role("button", name="Logga in").click()
    sign_in(page, auth_app, oidc_provider, EMAIL, "Anna Andersson")
    expect(page.get_by_text(EMAIL)).to_be_visible()


def user_cookie(page) -> dict:
    return next(c for c in page.context.cookies() if c["name"] == USER_COOKIE)


def test_signing_in_and_out_through_the_provider(page, auth_app, oidc_provider):
    signed_in(page, auth_app, oidc_provider)
    assert user_cookie(page)["httpOnly"]  # out of reach of scripts on the page

    page.get_by_role("button", name="Logga ut").click()
    # Streamlit clears its cookies, then sends the browser to the provider's end_session_endpoint,
    # which asks before it sends the browser back (through /oauth2callback) to the app.
    page.wait_for_url(f"{oidc_provider}/oauth2/end_session?**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{auth_app}/")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    assert USER_COOKIE not in {c["name"] for c in page.context.cookies()}


def test_a_tampered_identity_cookie_signs_the_user_out(page, auth_app, oidc_provider):
    signed_in(page, auth_app, oidc_provider)
    page.reload(wait_until="domcontentloaded")
    wait_for_app(page)
    expect(page.get_by_text(EMAIL)).to_be_visible()  # the untouched cookie keeps the user signed in

    cookie = user_cookie(page)
    value = cookie["value"]
    middle = len(value) // 2
    forged = value[:middle] + ("B" if value[middle] != "B" else "C") + value[middle + 1:]
    page.context.add_cookies([{**cookie, "value": forged}])

    page.reload(wait_until="domcontentloaded")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    expect(page.get_by_text(EMAIL)).to_have_count(0)
