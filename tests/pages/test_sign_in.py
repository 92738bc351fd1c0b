"""The two modes of a server, as the pages show them (AppTest; the real sign-in through an OpenID
Connect provider is tests/browser/test_organisations.py).

Without ``[auth]`` nothing asks for sign-in and the sidebar says that everyone sees everything.
With it, every page but the workshop's join flow shows only the sign-in screen until someone has
signed in; a person whose claim names no organisation, or whose token comes from an issuer the
server does not accept, is told why and sees nothing; a signed-in person sees their organisation's
documents and no one else's, also when they type another organisation's id into the address.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from engine.examples import load_example
from engine.i18n import translate
from engine.scenario import parse_scenario, scenario_to_dict
from engine.storage import Owner, act_as, save_scenario
from tests.pages.signed import ORGANISATIONS, signed
from ui.text import escape_markdown

PAGES = ("app.py", "pages/scenarier.py", "pages/valj_instrument.py", "pages/instrumenten.py", "pages/kalkyl.py",
         "pages/jamfor_instrument.py", "pages/effektmal.py", "pages/beslutsunderlag.py", "pages/workshop.py",
         "pages/exempelbanken.py")


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info", "error", "warning", "success", "title")
                     for e in getattr(at, kind))


def saved(sessions, owner: Owner, name: str) -> int:
    with sessions.begin() as session:
        act_as(session, owner)
        scenario = parse_scenario(scenario_to_dict(load_example("ips")) | {"name": name})
        return save_scenario(session, scenario).document_id


def test_without_auth_nobody_signs_in_and_the_sidebar_says_everyone_sees_everything(open_page):
    at = open_page("pages/scenarier.py")
    assert translate("access.embedded_note", "sv") in [c.value for c in at.sidebar.caption]
    assert not [b for b in at.button if b.label == translate("access.sign_in", "sv")]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_but_the_join_flow_asks_for_sign_in(app_db, sessions, path, lang):
    saved(sessions, Owner("Västerås stad", "anna@vasteras.se"), "Hemlig plan")
    at = signed(None, lang, path)
    assert [b.label for b in at.main.button] == [translate("access.sign_in", lang)]
    assert translate("access.sign_in_lead", lang) in texts(at)
    assert "Hemlig plan" not in texts(at)
    assert not at.main.text_input
    assert not at.main.selectbox
    assert not at.main.dataframe
    assert translate("access.embedded_note", lang) not in texts(at)


def test_the_print_view_asks_for_sign_in_too(app_db):
    at = signed(None, "sv", "pages/kalkyl.py", query={"print": "1", "scenario": "example:ips"})
    assert [b.label for b in at.main.button] == [translate("access.sign_in", "sv")]
    assert not at.get("plotly_chart")


def test_the_join_flow_needs_no_account(app_db):
    at = signed(None, "sv", "pages/delta.py")
    assert translate("join.code", "sv") in [field.label for field in at.text_input]
    assert not [b for b in at.main.button if b.label == translate("access.sign_in", "sv")]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_signed_in_person_works_in_their_organisation(app_db, sessions, lang):
    mine = saved(sessions, Owner("Västerås stad", "anna@vasteras.se"), "Västerås plan")
    saved(sessions, Owner("Örebro kommun", "olle@orebro.se"), "Örebros plan")
    at = signed({"email": "anna@vasteras.se", "sub": "a1"}, lang, "pages/scenarier.py")
    shown = texts(at) + "\n".join(str(o) for box in at.selectbox for o in box.options)
    assert "Västerås plan" in shown
    assert "Örebros plan" not in shown
    assert translate("access.signed_in_as", lang, user=escape_markdown("anna@vasteras.se"),
                     organisation="Västerås stad") in [
        c.value for c in at.sidebar.caption]
    assert translate("access.sign_out", lang) in [b.label for b in at.sidebar.button]
    assert mine


def test_another_organisations_id_in_the_address_opens_nothing(app_db, sessions):
    theirs = saved(sessions, Owner("Örebro kommun", "olle@orebro.se"), "Örebros plan")
    at = signed({"email": "anna@vasteras.se", "sub": "a1"}, "sv", "pages/kalkyl.py",
                query={"scenario": f"saved:{theirs}"})
    assert "Örebros plan" not in texts(at)
    assert [w.value for w in at.warning] == [translate("access.source_missing", "sv", id=theirs)]
    assert at.query_params["scenario"] == "example:sjukfranvaro"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_claim_that_names_no_organisation_gets_a_message_and_nothing_else(app_db, sessions, lang):
    saved(sessions, Owner("Västerås stad", "anna@vasteras.se"), "Hemlig plan")
    at = signed({"email": "eve@example.com", "sub": "e"}, lang, "pages/scenarier.py")
    assert [e.value for e in at.error] == [translate("access.refused.no_organisation", lang,
                                                     user=escape_markdown("eve@example.com"),
                                                     value=escape_markdown("example.com"))]
    assert [b.label for b in at.main.button] == [translate("access.sign_out", lang)]
    assert "Hemlig plan" not in texts(at)


def test_a_token_from_an_issuer_the_server_does_not_accept(app_db):
    rules = ORGANISATIONS | {"issuers": ["https://login.microsoftonline.com/tenant/v2.0"]}
    at = signed({"email": "anna@vasteras.se", "iss": "https://evil.example"}, "sv", organisations=rules)
    assert [e.value for e in at.error] == [translate("access.refused.unknown_issuer", "sv",
                                                     user=escape_markdown("anna@vasteras.se"),
                                                     value=escape_markdown("https://evil.example"))]


@pytest.mark.parametrize("user", [None, {"email": "anna@vasteras.se"}])
def test_a_configuration_that_cannot_be_used_is_named_and_lets_nobody_in(app_db, user):
    at = signed(user, "en", organisations={"claim": "email_domain", "names": {}})
    assert len(at.error) == 1
    assert escape_markdown("[organisations.names] maps no claim value") in at.error[0].value
    assert not at.main.button


def test_a_name_with_markup_in_a_claim_is_shown_as_text(app_db):
    at = signed({"email": "**fet**@example.com", "sub": "x"}, "sv")
    assert escape_markdown("**fet**@example.com") in at.error[0].value
    assert "**fet**" not in at.error[0].value
