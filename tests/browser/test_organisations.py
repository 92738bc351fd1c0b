"""Two organisations on one server with sign-in, through a real OpenID Connect provider (issue 16).

Anna works for Västerås stad and Olle for Örebro kommun; both sign in with the provider and save
a scenario. Neither sees the other's, neither opens it by typing its id into the address, and
neither can change or trash it. Anna publishes hers to Exempelbanken and Olle copies it into
Örebro; Anna trashes her original and Olle's copy and the bank entry stay. Signing out ends
access, and so does a forged or expired session cookie. A person whose e-mail domain names no
organisation, and a token from an issuer the server does not accept, get a message and no access.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from engine.i18n import translate
from tests.browser.helpers import (
    assert_no_exception,
    goto,
    serving_with_sign_in,
    sign_in,
    wait_for_app,
)

ORGANISATIONS = {"vasteras.se": "Västerås stad", "orebro.se": "Örebro kommun"}
COOKIE_SECRET = "test-cookie-secret-" + "x" * 40
USER_COOKIE = "_streamlit_user"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@dataclass(frozen=True)
class Server:
    url: str
    log_path: Path


@contextmanager
def serving(tmp_path: Path, oidc_provider: str, **secrets) -> Iterator[Server]:
    """The real app with sign-in through ``oidc_provider``, on a fresh SQLite file."""
    with serving_with_sign_in(tmp_path, oidc_provider, organisations=ORGANISATIONS, cookie_secret=COOKIE_SECRET,
                              **secrets) as (url, log_path):
        yield Server(url, log_path)


@pytest.fixture(scope="module")
def server(tmp_path_factory, oidc_provider) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("organisations"), oidc_provider, admins=["admin@vasteras.se"]) as running:
        yield running


@pytest.fixture
def people(browser, request) -> Iterator[dict[str, Page]]:
    """A browser context per person (their own cookies); screenshots of each page afterwards."""
    pages: dict[str, Page] = {}
    contexts = []

    def person(name: str) -> Page:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        contexts.append(context)
        pages[name] = context.new_page()
        return pages[name]

    yield person  # type: ignore[misc]
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, page in pages.items():
        with suppress(Exception):  # a screenshot is a courtesy, never the failure
            page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-{name}.png"), timeout=15_000)
    for context in contexts:
        context.close()


def t(key: str, **params: object) -> str:
    return translate(key, "sv", **params)


def signed_in(page: Page, server: Server, provider: str, email: str, name: str) -> None:
    """Open the app (the sign-in screen), sign in through the provider, and check who the app says."""
    goto(page, server.url, lang="sv")
    expect(page.get_by_text(t("access.sign_in_lead"))).to_be_visible()
    page.get_by_role("button", name=t("access.sign_in")).click()
    sign_in(page, server.url, provider, email, name)
    assert_no_exception(page, server.log_path)


def expect_signed_in_as(page: Page, email: str, organisation: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text(organisation)
    # The address is shown as text: a word joiner keeps the browser from making it a mail link.
    assert email in sidebar.inner_text().replace("\u2060", "")


def expect_sign_in_screen(page: Page) -> None:
    expect(page.get_by_role("button", name=t("access.sign_in"))).to_be_visible()
    expect(page.get_by_text(t("access.sign_in_lead"))).to_be_visible()


def create_scenario(page: Page, server: Server, name: str) -> int:
    """Create a scenario from the blank template on Scenarier and return its document id (read from
    the address of Långsiktig kalkyl, where it opens)."""
    goto(page, server.url, "scenarier", lang="sv")
    page.get_by_role("textbox", name=t("scenarios.new_name"), exact=True).first.fill(name)
    page.get_by_role("button", name=t("scenarios.new_button")).click()
    wait_for_app(page, settle_ms=500)
    expect(page.get_by_text(t("scenarios.created", name=name))).to_be_visible()
    page.get_by_role("link", name=t("nav.savings")).click()
    wait_for_app(page, settle_ms=500)
    expect(page.get_by_role("combobox", name=t("calc.source"))).to_have_value(
        t("calc.source_saved", name=name, version=1))
    found = re.search(r"scenario=saved(?::|%3A)(\d+)", page.url)
    assert found, page.url
    assert_no_exception(page, server.log_path)
    return int(found.group(1))


def listed(page: Page, label: str) -> list[str]:
    """The options of the select box called ``label``."""
    page.get_by_role("combobox", name=label).click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def test_two_organisations_keep_their_documents_apart(server, oidc_provider, people):
    anna, olle = people("anna"), people("olle")
    signed_in(anna, server, oidc_provider, "anna@vasteras.se", "Anna Andersson")
    expect_signed_in_as(anna, "anna@vasteras.se", "Västerås stad")
    signed_in(olle, server, oidc_provider, "olle@orebro.se", "Olle Olsson")
    expect_signed_in_as(olle, "olle@orebro.se", "Örebro kommun")

    stamp = time.time_ns()
    annas = create_scenario(anna, server, f"Västerås plan {stamp}")
    olles = create_scenario(olle, server, f"Örebro plan {stamp}")

    # Neither sees the other's in the lists of Scenarier or of Långsiktig kalkyl.
    for page, own, other in ((anna, "Västerås plan", "Örebro plan"), (olle, "Örebro plan", "Västerås plan")):
        for path, label in (("scenarier", "scenarios.choose"), ("kalkyl", "calc.source")):
            goto(page, server.url, path, lang="sv")
            options = listed(page, t(label))
            assert any(f"{own} {stamp}" in option for option in options), options
            assert not any(f"{other} {stamp}" in option for option in options), options
            assert f"{other} {stamp}" not in page.locator("body").inner_text()

    # Typing the other's id into the address opens nothing of it, on every page that takes one.
    for path in (f"kalkyl?scenario=saved:{olles}", f"jamfor_instrument?scenario=saved:{olles}",
                 f"effektmal?scenario=saved:{olles}", f"beslutsunderlag?scenario=saved:{olles}",
                 f"kalkyl?scenario=saved:{olles}&print=1"):
        goto(anna, server.url, path, lang="sv")
        assert f"Örebro plan {stamp}" not in anna.locator("body").inner_text(), path
        assert_no_exception(anna, server.log_path)
    goto(anna, server.url, f"kalkyl?scenario=saved:{olles}", lang="sv")
    expect(anna.get_by_text(t("access.source_missing", id=olles))).to_be_visible()

    # Olle's scenario is as he left it: one version, not trashed (nothing Anna did reached it).
    goto(olle, server.url, f"kalkyl?scenario=saved:{olles}", lang="sv")
    expect(olle.get_by_role("combobox", name=t("calc.source"))).to_have_value(
        t("calc.source_saved", name=f"Örebro plan {stamp}", version=1))
    assert annas != olles
    assert_no_exception(olle, server.log_path)


def test_signing_out_ends_access(server, oidc_provider, people):
    olle = people("olle")
    signed_in(olle, server, oidc_provider, "olle@orebro.se", "Olle Olsson")
    name = f"Olles utkast {time.time_ns()}"
    create_scenario(olle, server, name)
    olle.locator('[data-testid="stSidebar"]').get_by_role("button", name=t("access.sign_out")).click()
    # Streamlit drops its cookies, then the provider asks whether to end its session too.
    olle.wait_for_url(f"{oidc_provider}/oauth2/end_session?**")
    olle.get_by_role("button", name="End session").click()
    olle.wait_for_url(f"{server.url}/**")
    wait_for_app(olle)
    expect_sign_in_screen(olle)
    for path in ("scenarier", "kalkyl", "exempelbanken"):
        goto(olle, server.url, path, lang="sv")
        expect_sign_in_screen(olle)
        assert name not in olle.locator("body").inner_text()
    assert USER_COOKIE not in {c["name"] for c in olle.context.cookies()}


def _forged(value: str) -> str:
    middle = len(value) // 2
    return value[:middle] + ("B" if value[middle] != "B" else "C") + value[middle + 1:]


def _expired(value: str) -> str:
    """The same identity, signed with the server's secret as if 60 days ago (past the cookie's age)."""
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 60 * 86_400

    plain = URLSafeTimedSerializer(COOKIE_SECRET, salt=USER_COOKIE).loads(value)
    resigned = URLSafeTimedSerializer(COOKIE_SECRET, salt=USER_COOKIE, signer=Earlier).dumps(plain)
    assert resigned != value
    return resigned


@pytest.mark.parametrize("tamper", [_forged, _expired], ids=["forged", "expired"])
def test_a_forged_or_expired_session_cookie_gives_no_access(server, oidc_provider, people, tamper):
    anna = people("anna")
    signed_in(anna, server, oidc_provider, "anna@vasteras.se", "Anna Andersson")
    name = f"Annas plan {time.time_ns()}"
    create_scenario(anna, server, name)
    cookie = next(c for c in anna.context.cookies() if c["name"] == USER_COOKIE)
    anna.context.add_cookies([{**cookie, "value": tamper(cookie["value"])}])
    goto(anna, server.url, "scenarier", lang="sv")
    expect_sign_in_screen(anna)
    assert name not in anna.locator("body").inner_text()
    assert_no_exception(anna, server.log_path)


def test_a_person_of_no_configured_organisation_is_told_and_sees_nothing(server, oidc_provider, people):
    eve = people("eve")
    signed_in(eve, server, oidc_provider, "eve@example.com", "Eve")
    expect(eve.get_by_text(t("access.refused_title"))).to_be_visible()
    expect(eve.get_by_role("alert")).to_contain_text("example.com")
    for path in ("scenarier", "kalkyl", "exempelbanken", "workshop"):
        goto(eve, server.url, path, lang="sv")
        expect(eve.get_by_text(t("access.refused_title"))).to_be_visible()
        assert not eve.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').count()
    assert_no_exception(eve, server.log_path)


def test_a_token_from_an_issuer_the_server_does_not_accept(tmp_path, oidc_provider, people):
    with serving(tmp_path, oidc_provider, issuers=["https://login.microsoftonline.com/tenant/v2.0"]) as strict:
        anna = people("anna")
        signed_in(anna, strict, oidc_provider, "anna@vasteras.se", "Anna Andersson")
        expect(anna.get_by_text(t("access.refused_title"))).to_be_visible()
        expect(anna.get_by_role("alert")).to_be_visible()
        assert oidc_provider in anna.get_by_role("alert").inner_text().replace("\u2060", "")
        goto(anna, strict.url, "scenarier", lang="sv")
        expect(anna.get_by_text(t("access.refused_title"))).to_be_visible()
        assert_no_exception(anna, strict.log_path)


def _newest_join_code(server: Server) -> str:
    """The join code of the workshop created last on ``server`` (as the shared screen shows it)."""
    import sqlite3

    with sqlite3.connect(server.log_path.parent / "app.db") as connection:
        return connection.execute("SELECT join_code FROM workshops ORDER BY id DESC LIMIT 1").fetchone()[0]


def test_a_signed_in_facilitator_runs_a_workshop_that_participants_join_without_an_account(
        server, oidc_provider, people):
    anna, olle, phone = people("anna"), people("olle"), people("phone")
    signed_in(anna, server, oidc_provider, "anna@vasteras.se", "Anna Andersson")
    goto(anna, server.url, "workshop", lang="sv")
    form = anna.locator('[data-testid="stForm"]')
    # The organiser starts as the facilitator's own organisation.
    expect(form.get_by_role("textbox", name=t("workshop.create.organisation"))).to_have_value("Västerås stad")
    title = f"Arbetsmarknad {time.time_ns()}"
    form.get_by_role("textbox", name=t("workshop.create.name")).fill(title)
    form.get_by_role("button", name=t("workshop.create.submit")).click()
    anna.wait_for_url(re.compile(r".*[?&]f=.*"))
    wait_for_app(anna, settle_ms=300)
    facilitator_link = anna.url
    assert_no_exception(anna, server.log_path)

    # A participant on a phone, signed in nowhere, joins by code and answers.
    goto(phone, server.url, f"delta?kod={_newest_join_code(server)}", lang="sv")
    expect(phone.get_by_text(title, exact=True)).to_be_visible()
    phone.get_by_role("textbox", name=t("join.name")).fill("Wilma Östberg")
    phone.get_by_text(t("workshop.role.utforare"), exact=True).click()
    phone.get_by_role("button", name=t("join.go")).click()
    wait_for_app(phone, settle_ms=300)
    expect(phone.get_by_role("button", name=t("questionnaire.page.next"))).to_be_visible()
    assert_no_exception(phone, server.log_path)

    # The facilitator sees her; Olle, signed in for Örebro, gets nothing from Anna's link.
    anna.locator("[data-testid='stButtonGroup'] button").filter(has_text=t("workshop.view.progress")).click()
    expect(anna.get_by_text("Wilma Östberg")).to_be_visible(timeout=15_000)
    signed_in(olle, server, oidc_provider, "olle@orebro.se", "Olle Olsson")
    olle.goto(facilitator_link, wait_until="domcontentloaded")
    wait_for_app(olle)
    expect(olle.get_by_text(t("access.workshop_link_unknown"))).to_be_visible()
    body = olle.locator("body").inner_text()
    assert title not in body
    assert "Wilma" not in body
    assert_no_exception(olle, server.log_path)

    # Anna opens her link another day, signed out: after signing in she is back on her workshop,
    # not on the start page where Streamlit's sign-in ends.
    later = people("anna_later")
    later.goto(facilitator_link, wait_until="domcontentloaded")
    wait_for_app(later)
    expect_sign_in_screen(later)
    later.get_by_role("button", name=t("access.sign_in")).click()
    sign_in(later, server.url, oidc_provider, "anna@vasteras.se", "Anna Andersson")
    later.wait_for_url(re.compile(r".*/workshop\?.*f=.*"))
    wait_for_app(later, settle_ms=300)
    expect(later.get_by_text(title).first).to_be_visible()
    assert "uk_after_sign_in" not in {c["name"] for c in later.context.cookies()}
    assert_no_exception(later, server.log_path)


def test_one_organisation_publishes_to_the_bank_and_another_copies_it(server, oidc_provider, people):
    anna, olle = people("anna"), people("olle")
    signed_in(anna, server, oidc_provider, "anna@vasteras.se", "Anna Andersson")
    signed_in(olle, server, oidc_provider, "olle@orebro.se", "Olle Olsson")
    stamp = time.time_ns()
    name, note = f"Västerås IPS {stamp}", "Hälften fick jobb inom ett år. <b>**inte fetstil**</b>"
    # Anna starts from the bank's built-in IPS example (a blank scenario could not be published).
    goto(anna, server.url, "exempelbanken?entry=app:ips", lang="sv")
    anna.get_by_role("textbox", name=t("bank.copy_name")).fill(name)
    anna.get_by_role("button", name=t("bank.copy_button")).click()
    wait_for_app(anna, settle_ms=300)
    expect(anna.get_by_text(t("bank.copied", name=name))).to_be_visible()

    # Anna publishes it from Scenarier, with a note on what happened in reality.
    goto(anna, server.url, "scenarier", lang="sv")
    anna.get_by_role("tab", name=t("scenarios.tab_manage")).click()
    anna.locator('[data-testid="stExpander"] summary', has_text=t("bank.publish_heading")).click()
    anna.get_by_role("textbox", name=t("bank.publish_note")).fill(note)
    anna.get_by_text(t("bank.publish_confirm")).click()
    anna.get_by_role("button", name=t("bank.publish_button")).click()
    wait_for_app(anna, settle_ms=300)
    expect(anna.get_by_text(t("bank.published", name=name))).to_be_visible()
    assert_no_exception(anna, server.log_path)

    # Olle finds it in the bank, published by Västerås, with the note as typed, and copies it.
    goto(olle, server.url, "exempelbanken", lang="sv")
    choice = next(option for option in listed(olle, t("bank.choose")) if name in option)
    assert "Västerås stad" in choice
    olle.get_by_role("combobox", name=t("bank.choose")).click()
    olle.get_by_role("option", name=choice).click()
    wait_for_app(olle, settle_ms=300)
    expect(olle.get_by_text(note, exact=True)).to_be_visible()
    copy = f"Örebros IPS {stamp}"
    olle.get_by_role("textbox", name=t("bank.copy_name")).fill(copy)
    olle.get_by_role("button", name=t("bank.copy_button")).click()
    wait_for_app(olle, settle_ms=300)
    expect(olle.get_by_text(t("bank.copied", name=copy))).to_be_visible()
    goto(olle, server.url, "scenarier", lang="sv")
    assert any(copy in option for option in listed(olle, t("scenarios.choose")))
    assert not any(option.startswith(name) for option in listed(olle, t("scenarios.choose")))
    expect(olle.get_by_text(t("bank.copied_from", name=name, organisation="Västerås stad"))).to_be_visible()
    assert_no_exception(olle, server.log_path)

    # Anna trashes her original: the bank entry and Olle's copy stay; Anna is told the source is gone.
    goto(anna, server.url, "scenarier", lang="sv")
    anna.get_by_role("tab", name=t("scenarios.tab_manage")).click()
    anna.get_by_text(t("scenarios.trash_confirm")).click()
    anna.get_by_role("button", name=t("scenarios.trash")).click()
    wait_for_app(anna, settle_ms=300)
    goto(anna, server.url, "exempelbanken", lang="sv")
    mine = next(option for option in listed(anna, t("bank.choose")) if name in option)
    anna.get_by_role("combobox", name=t("bank.choose")).click()
    anna.get_by_role("option", name=mine).click()
    wait_for_app(anna, settle_ms=300)
    expect(anna.get_by_text(t("bank.source_trashed"))).to_be_visible()
    goto(olle, server.url, "exempelbanken", lang="sv")
    assert any(name in option for option in listed(olle, t("bank.choose")))
    goto(olle, server.url, "scenarier", lang="sv")
    assert any(copy in option for option in listed(olle, t("scenarios.choose")))
    assert_no_exception(anna, server.log_path)
    assert_no_exception(olle, server.log_path)
