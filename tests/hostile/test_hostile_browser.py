"""Hostile input where a user meets it: in Chromium, against a real server and a real SQLite file.

Links that point nowhere (a scenario id that does not exist, a malformed source, a bad workspace
token, an unknown language) and uploads that must be refused (nested too deep, NaN, numbers no
float holds, binary, too large, over the limits, control characters). For each: the page shows a
message in the user's language, never an exception box or a traceback, and nothing saved changes
(the database's documents and versions are the same before and after).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine.examples import load_example
from engine.scenario import MAX_FILE_BYTES, MAX_OUTCOMES, new_outcome, scenario_to_dict
from engine.storage import open_database, save_scenario, session_factory
from tests.browser.helpers import (
    assert_no_exception,
    free_port,
    goto,
    log_tail,
    start_streamlit,
    stop_process,
    wait_for_app,
    wait_for_health,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:
    """A server on its own database with one saved scenario; (base url, database url, log)."""
    folder = tmp_path_factory.mktemp("hostile_browser")
    url = f"sqlite:///{folder / 'app.db'}"
    engine = open_database(url)
    with session_factory(engine).begin() as session:
        save_scenario(session, load_example("ips"))
    engine.dispose()
    port, log = free_port(), folder / "streamlit.log"
    proc = start_streamlit(port, url, log)
    try:
        try:
            wait_for_health(f"http://127.0.0.1:{port}", proc, timeout=120)
        except RuntimeError as error:
            pytest.fail(f"{error}\n{log_tail(log)}", pytrace=False)
        yield f"http://127.0.0.1:{port}", url, log
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def page(server, browser) -> Iterator[object]:
    """One page for the module, in its own context of the session's browser (tests/conftest.py)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def _saved_state(database_url: str) -> list[tuple]:
    """Every document and version as stored: what no refused input may change."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            documents = connection.execute(text(
                "SELECT id, name, latest_version, trashed_at FROM documents ORDER BY id")).all()
            versions = connection.execute(text(
                "SELECT document_id, number, payload FROM document_versions ORDER BY document_id, number")).all()
        return [tuple(row) for row in [*documents, *versions]]
    finally:
        engine.dispose()


LINKS = [
    ("kalkyl?scenario=saved:999999", "Scenariot med nummer 999999 finns inte"),
    ("jamfor_instrument?scenario=saved:-1", "Länken pekar inte på något scenario"),
    ("effektmal?scenario=%3Cb%3Ex%3C%2Fb%3E%00", "Länken pekar inte på något scenario"),
    ("kalkyl?scenario=example:finns_inte", "Länken pekar inte på något scenario"),
    ("kalkyl?ws=inte%20en%20token!", "Långsiktig kalkyl"),
    ("kalkyl?lang=xx", "Långsiktig kalkyl"),
    ("scenarier?scenario=saved:" + "9" * 400, "Scenarier"),
]


@pytest.mark.parametrize(("path", "words"), LINKS, ids=[p for p, _ in LINKS])
def test_a_link_that_points_nowhere_is_explained_and_changes_nothing(page, server, path, words):
    base, database, log = server
    before = _saved_state(database)
    goto(page, base, path)
    assert_no_exception(page, log)
    assert words in page.inner_text("body")
    assert _saved_state(database) == before


def _nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


def _scenario_text(**changes) -> dict:
    return scenario_to_dict(load_example("ips")) | changes


def _replaced(data: dict, marker: str, literal: str) -> bytes:
    return json.dumps(data).replace(f'"{marker}"', literal).encode()


UPLOADS = {
    "nested": (_nested(100_000), "för många nivåer"),
    "nan": (_replaced(_scenario_text(discount_rate="X"), "X", "NaN"), "NaN"),
    "huge_number": (_replaced(_scenario_text(discount_rate="X"), "X", "1e400"), "större än"),
    "huge_integer": (_replaced(_scenario_text(horizon_years="X"), "X", "9" * 5000), "större än 60"),
    "binary": (bytes(range(256)) * 40, "UTF-8"),
    "too_large": (b" " * (MAX_FILE_BYTES + 1) + b"{}", "MB"),
    "too_many_outcomes": (json.dumps(_scenario_text(
        outcomes=[new_outcome(f"Utfall {i}") for i in range(MAX_OUTCOMES + 1)])).encode(), f"högst {MAX_OUTCOMES}"),
    "control_character": (json.dumps(_scenario_text(name="Namn\u001b[31m")).encode(), "styrtecken"),
    "right_to_left": (json.dumps(_scenario_text(name="Namn\u202egnp.exe")).encode(), "styrtecken"),
    "not_an_object": (b'["en lista"]', "Kalkylperiod"),
}


@pytest.mark.parametrize("case", list(UPLOADS))
def test_an_upload_that_must_be_refused_is_refused_in_words(page, server, tmp_path, case):
    base, database, log = server
    content, words = UPLOADS[case]
    before = _saved_state(database)
    goto(page, base, "scenarier")
    path = tmp_path / f"{case}.json"
    path.write_bytes(content)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    button = page.get_by_role("button", name="Importera filen")
    button.wait_for(state="visible", timeout=60_000)
    button.click()
    wait_for_app(page, settle_ms=300)
    assert_no_exception(page, log)
    body = page.inner_text("body")
    assert "kunde inte importeras" in body, body[:2000]
    assert words in body, body[:3000]
    assert _saved_state(database) == before


@pytest.mark.parametrize(("lang", "button", "line"), [("sv", "Välj fil", "eller dra hit den"),
                                                     ("en", "Choose file", "or drop it here")])
def test_the_uploader_speaks_the_users_language_not_the_servers_ceiling(page, server, lang, button, line):
    base, _, log = server
    goto(page, base, "scenarier", lang=lang)
    words = page.evaluate("""() => {
        const after = (selector) => getComputedStyle(document.querySelector(selector), '::after').content;
        return [after('[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'),
                after('[data-testid="stFileUploaderDropzoneInstructions"] span')];
    }""")
    assert words == [f'"{button}"', f'"{line}"']
    # Streamlit's own English words are there but take no space: font size 0.
    size = page.evaluate("""() => getComputedStyle(
        document.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span')).fontSize""")
    assert size == "0px"
    assert_no_exception(page, log)
