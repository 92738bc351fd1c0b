"""The app as AppTest runs it on a server with sign-in: the secrets and a signed-in (or not) user.

AppTest cannot go through a real provider (tests/browser/test_organisations.py does); it sets
``st.user`` directly, which is what Streamlit hands the app after a real sign-in.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "s" * 40,
        "client_id": "utfallskompassen", "client_secret": "c" * 20,
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ORGANISATIONS = {"claim": "email_domain", "names": {"vasteras.se": "Västerås stad", "orebro.se": "Örebro kommun"},
                 "admins": ["admin@vasteras.se"]}
ISSUER = "http://127.0.0.1:9"


def signed(user: dict | None, lang: str = "sv", path: str = "app.py", organisations: dict | None = None,
           query: dict | None = None) -> AppTest:
    """The app with sign-in for ``user``'s claims (None: nobody signed in), run at ``path``."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.secrets["organisations"] = ORGANISATIONS if organisations is None else organisations
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, "iss": ISSUER} | user
    at.query_params["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if path != "app.py":
        at.switch_page(path).run()
    assert not at.exception, at.exception
    return at
