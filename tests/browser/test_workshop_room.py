"""A workshop room in real browsers: one facilitator screen, several phones, one or two servers.

1. SQLite, one server: the facilitator creates the workshop through the form, shows "Deltagare", and
   four phones (each its own browser context, so its own device cookie) join through the direct link
   and answer a few questions. The facilitator's screen follows without being touched: its live view
   is a fragment that reads the database every 1.5 s. A name typed with Markdown and HTML in it is
   shown as the characters typed, on the phone and in the facilitator's table.
2. PostgreSQL, two servers on one database: the facilitator on server A sees the participants of
   server B and their answers; when A closes the workshop, a phone on B says so on its own (the
   participant page checks every 3 s).

Screenshots go to tests/browser/screenshots/workshop_room_*.png.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from engine.questionnaire.scoring import load_questionnaire
from engine.storage import workshops as ws
from engine.storage.database import open_database, reading, session_factory, writing
from tests.browser.helpers import (
    assert_no_exception,
    free_port,
    full_page_screenshot,
    goto,
    log_tail,
    start_streamlit,
    stop_process,
    wait_for_app,
    wait_for_health,
)

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
BIG_SCREEN = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
TOTAL = len(load_questionnaire().questions)
#: How long the facilitator's screen may take to show what a phone did: the live fragment reruns
#: every 1.5 s, so a change is normally on screen within 2 s; the rest is room for a busy machine.
LIVE_MS = 6_000
#: The participant page asks every 3 s whether the workshop was closed, then reruns.
CLOSED_MS = 8_000
#: Names with different roles; the second is Markdown and HTML that must come out as typed.
MARKUP_NAME = "**Bo** <b>x</b>"
PEOPLE = [("Anna Berg", "Kommun", 3), (MARKUP_NAME, "Region", 2),
          ("Cecilia Ek", "Investerare", 3), ("David Lind", "Utförare", 2)]


# --- helpers ------------------------------------------------------------------------------------

def _shot(page: Page, name: str, whole: bool = True) -> None:
    """A screenshot of the whole page, or (``whole=False``) of what the window shows, which for the big
    screen is what the room sees."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"workshop_room_{name}.png"
    if whole:
        size = page.viewport_size
        full_page_screenshot(page, path)  # grows the window to the page's height...
        if size:
            page.set_viewport_size(size)  # ...which must not change what the rest of the test sees
    else:
        page.screenshot(path=str(path), timeout=15_000)


def _show_view(page: Page, label: str) -> None:
    """Click a view of the facilitator's screen and wait for its run to finish."""
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text=label).click()
    wait_for_app(page, settle_ms=300)


def _metric(page: Page, label: str):
    """The value of the key figure called ``label``."""
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")


_TABLE_TEXTS = """(part) => [...document.querySelectorAll(
    `[data-testid="stMain"] [data-testid="stTable"] ${part},
     [data-testid="stMain"] [data-testid="stDataFrame"] table[role="grid"] ${part}`)].map(c => c.textContent.trim())"""


def _table_texts(page: Page, wanted: list[str], part: str = "td", timeout: float = LIVE_MS) -> list[str]:
    """The texts of the tables' cells (``td``) or headers (``th``), once all of ``wanted`` are among them.

    Works for st.table (HTML) and st.dataframe, whose grid is drawn on a canvas and read here from
    its accessible table (which it does not always render; st.table is what the views use now).
    """
    try:
        page.wait_for_function(f"(wanted) => {{ const texts = ({_TABLE_TEXTS})({part!r});"
                               " return wanted.every(w => texts.includes(w)); }",
                               arg=wanted, timeout=timeout, polling=100)
    except Exception:
        raise AssertionError(f"not all of {wanted} in the table: {page.evaluate(_TABLE_TEXTS, part)}") from None
    return page.evaluate(_TABLE_TEXTS, part)


def _progress_text(phone: Page):
    return phone.locator("[data-testid='stMain'] [data-testid='stProgress']")


def _join(phone: Page, link: str, name: str, role: str) -> None:
    phone.goto(link, wait_until="domcontentloaded")
    wait_for_app(phone)
    phone.get_by_role("textbox", name="Ditt namn").fill(name)
    phone.locator("[data-testid='stMain'] [data-testid='stRadio']").filter(has_text="Din roll") \
        .get_by_text(role, exact=True).click()
    phone.get_by_role("button", name="Gå med").click()
    # Joined: the first question and the progress line with the name as typed.
    expect(_progress_text(phone)).to_contain_text(f"Fråga 1 av {TOTAL}")
    expect(_progress_text(phone)).to_contain_text(name)
    wait_for_app(phone)


def _answer(phone: Page, how_many: int, offset: int = 0) -> None:
    """Answer the first ``how_many`` questions (all choices), moving on with "Nästa" after each."""
    for step in range(how_many):
        question = phone.locator("[data-testid='stMain'] [data-testid='stRadio']").first
        option = question.locator("[data-testid='stRadioOption']").nth(offset % 3)
        option.click()
        expect(option.locator("input")).to_be_checked()
        wait_for_app(phone, settle_ms=200)  # the answer is written at the end of this run
        phone.get_by_role("button", name="Nästa").click()
        expect(_progress_text(phone)).to_contain_text(f"Fråga {step + 2} av {TOTAL}")
        wait_for_app(phone)


@contextlib.contextmanager
def _database(url: str) -> Iterator:
    engine = open_database(url)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


@contextlib.contextmanager
def _servers(database_url: str, folder: Path, count: int) -> Iterator[list[str]]:
    """``count`` Streamlit servers of the app on one database; their base URLs."""
    started: list[tuple[str, object, Path]] = []
    try:
        for n in range(count):
            port = free_port()
            log = folder / f"server{n}.log"
            started.append((f"http://127.0.0.1:{port}", start_streamlit(port, database_url, log), log))
        for base, proc, log in started:  # started together, waited for one after another
            try:
                wait_for_health(base, proc, timeout=90)
            except RuntimeError as e:
                pytest.fail(f"{e}\n--- tail of {log} ---\n{log_tail(log)}", pytrace=False)
        yield [base for base, _, _ in started]
    finally:
        for _, proc, _ in started:
            stop_process(proc)


# --- one server, four phones ---------------------------------------------------------------------

def test_four_phones_join_and_the_big_screen_follows_without_a_click(browser, app_server):
    big = browser.new_context(viewport=BIG_SCREEN)
    phones = [browser.new_context(viewport=PHONE) for _ in PEOPLE]
    try:
        screen = big.new_page()
        # Create the workshop through the form, with an example scenario to estimate and count on.
        goto(screen, app_server, "workshop")
        screen.get_by_role("textbox", name="Workshoppens namn").fill("Rummet testar")
        screen.get_by_role("textbox", name="Organisation som håller i workshoppen").fill("Exempelstads kommun")
        screen.get_by_role("combobox", name="Scenario att skatta och räkna på").click()
        screen.get_by_role("option").filter(has_text="Exempel").first.click()
        screen.get_by_role("button", name="Skapa workshop").click()
        expect(screen).to_have_url(re.compile(r"[?&]f=[A-Za-z0-9_-]{20,}"))
        wait_for_app(screen)
        assert_no_exception(screen, app_server.log_path)
        # The "Anslut" view: the code and the direct link, on this server.
        code = screen.locator(".uk-join-code").inner_text().strip()
        link = screen.locator("[data-testid='stCode']").filter(has_text="/delta?kod=").first.inner_text().strip()
        assert link.startswith(f"{app_server}/delta?kod="), link
        assert link.endswith(code.replace("-", "")), (link, code)
        _shot(screen, "1_join_view", whole=False)

        _show_view(screen, "Deltagare")
        expect(_metric(screen, "Har gått med")).to_have_text("0")
        expect(screen.get_by_text("Ingen har gått med än")).to_be_visible()

        given = 0
        pages: list[Page] = []
        for joined, (context, (name, role, answers)) in enumerate(zip(phones, PEOPLE, strict=True), start=1):
            phone = context.new_page()
            pages.append(phone)
            _join(phone, link, name, role)
            # The big screen has not been touched since "Deltagare" was clicked.
            expect(_metric(screen, "Har gått med")).to_have_text(str(joined), timeout=LIVE_MS)
            if joined == 1:
                _shot(phone, "2_phone_first_question")
            _answer(phone, answers, offset=joined)
            given += answers
            started = time.perf_counter()
            expect(_metric(screen, "Svar totalt")).to_have_text(str(given), timeout=LIVE_MS)
            print(f"participant {joined}: answers on the big screen {time.perf_counter() - started:.1f} s "
                  "after the phone's last run")

        expect(_metric(screen, "Har gått med")).to_have_text(str(len(PEOPLE)))
        expect(_metric(screen, "Har svarat på allt")).to_have_text("0")
        # Every name in the table, the markup one as its characters; the role counts below it.
        _table_texts(screen, [name for name, _, _ in PEOPLE] + [role for _, role, _ in PEOPLE]
                    + [f"fråga {PEOPLE[0][2] + 1} av {TOTAL}"])
        expect(screen.get_by_text("Kommun: 1 · Region: 1 · Investerare: 1 · Utförare: 1", exact=True)).to_be_visible()
        assert screen.locator("[data-testid='stMain'] b").count() == 0
        _shot(screen, "3_participants_view", whole=False)

        # On the phone the name is in the progress line as typed, not bold and not HTML.
        markup_phone = pages[1]
        expect(_progress_text(markup_phone)).to_contain_text(f"· {MARKUP_NAME} · Region")
        assert markup_phone.locator("[data-testid='stMain'] b").count() == 0
        assert markup_phone.locator("[data-testid='stMain'] strong").filter(has_text=re.compile(r"^Bo$")).count() == 0
        _shot(markup_phone, "4_phone_markup_name")

        # What the answers say together, by role: four roles answered.
        _show_view(screen, "Svar och oenighet")
        expect(screen.get_by_text("Vad allas svar pekar på")).to_be_visible()
        expect(screen.get_by_text("Där rollerna skiljer sig åt")).to_be_visible()
        _table_texts(screen, ["Fråga", *(role for _, role, _ in PEOPLE)], part="th")
        assert screen.locator("[data-testid='stMain'] b").count() == 0
        _shot(screen, "5_group_view")

        # The other views draw without an error on this workshop (with its copied example scenario).
        for number, label in enumerate(("Skattningar", "Besparingar", "Slutsatser"), start=1):
            _show_view(screen, label)
            assert_no_exception(screen, app_server.log_path)
            _shot(screen, f"5{'abc'[number - 1]}_{label.lower()}_view", whole=False)

        for page in (screen, *pages):
            assert_no_exception(page, app_server.log_path)

        # The database holds exactly what the phones gave.
        database = Path(app_server.log_path).parent / "app.db"
        secret = re.search(r"[?&]f=([A-Za-z0-9_-]+)", screen.url).group(1)
        with _database(f"sqlite:///{database}") as sessions, reading(sessions) as session:
            workshop = ws.facilitator_workshop(session, secret)
            stored = ws.all_answers(session, workshop.id)
        assert [(p.name, len(a)) for p, a in stored] == [(name, n) for name, _, n in PEOPLE]
    finally:
        for context in (big, *phones):
            context.close()


# --- two servers, one PostgreSQL -----------------------------------------------------------------

@pytest.mark.postgres
def test_two_servers_on_one_postgresql_share_the_room_and_its_closing(browser, postgres_url, tmp_path):
    with _database(postgres_url) as sessions, writing(sessions) as session:  # migrates the new database
        created = ws.create_workshop(session, ws.WorkshopSetup(
            title="Två servrar", date="2026-12-02", organisation="Exempelstads kommun"))
    code, secret = created.workshop.join_code, created.facilitator_secret

    big = browser.new_context(viewport=BIG_SCREEN)
    phones = [browser.new_context(viewport=PHONE) for _ in range(2)]
    with _servers(postgres_url, tmp_path, 2) as (server_a, server_b):
        try:
            screen = big.new_page()
            goto(screen, server_a, f"workshop?f={secret}")
            _show_view(screen, "Deltagare")
            expect(_metric(screen, "Har gått med")).to_have_text("0")

            pages = []
            for context, (name, role, answers) in zip(phones, PEOPLE[:2], strict=True):
                phone = context.new_page()
                pages.append(phone)
                _join(phone, f"{server_b}/delta?kod={code}", name, role)
                _answer(phone, answers)
            given = sum(n for _, _, n in PEOPLE[:2])
            started = time.perf_counter()
            expect(_metric(screen, "Har gått med")).to_have_text("2", timeout=LIVE_MS)
            expect(_metric(screen, "Svar totalt")).to_have_text(str(given), timeout=LIVE_MS)
            print(f"server A showed server B's last answer {time.perf_counter() - started:.1f} s after it")
            _table_texts(screen, [PEOPLE[0][0], MARKUP_NAME])

            # Close on A; the phone on B finds out by itself.
            _show_view(screen, "Stäng och exportera")
            screen.get_by_role("button", name="Stäng workshoppen").click()
            expect(screen.get_by_role("button", name="Öppna workshoppen igen")).to_be_visible()
            # The header's line under the title: organisation, date, code and now "Stängd".
            expect(screen.get_by_text(re.compile(r"Kod [0-9A-Z]{4}-[0-9A-Z]{4} · Stängd$"))).to_be_visible()
            closed_at = time.perf_counter()
            phone = pages[0]
            expect(phone.get_by_text("Workshoppen är stängd och tar inte emot fler svar.")).to_be_visible(
                timeout=CLOSED_MS)
            print(f"the phone on B showed the closing {time.perf_counter() - closed_at:.1f} s after the click on A")
            wait_for_app(phone)
            expect(phone.get_by_text("Dina svar")).to_be_visible()
            assert phone.locator("[data-testid='stMain'] [data-testid='stRadio']").count() == 0
            expect(pages[1].get_by_text("Workshoppen är stängd och tar inte emot fler svar.")).to_be_visible(
                timeout=CLOSED_MS)
            _shot(screen, "6_two_servers_closed_facilitator", whole=False)
            _shot(phone, "7_two_servers_closed_phone")
            for page in (screen, *pages):
                assert_no_exception(page)
        finally:
            for context in (big, *phones):
                context.close()
