"""The real app in headless Chromium: every page in both languages, and the scenario journey."""

import json
import re

import pytest
from playwright.sync_api import expect

from engine.storage import list_scenarios, open_database, session_factory
from tests.browser.helpers import assert_no_exception, goto, wait_for_app
from tests.engine.test_scenario import VALID, edited

PAGES = {"": {"sv": "Utfallskompassen", "en": "Utfallskompassen"},
         "scenarier": {"sv": "Scenarier", "en": "Scenarios"},
         "kalkyl": {"sv": "Långsiktig kalkyl", "en": "Long-term calculation"},
         "jamfor_instrument": {"sv": "Jämför instrument", "en": "Compare instruments"},
         "valj_instrument": {"sv": "Välj instrument", "en": "Choose an instrument"},
         "instrumenten": {"sv": "Instrumenten", "en": "The instruments"},
         "effektmal": {"sv": "Effektmål", "en": "Effect targets"}}
SUBTEXT = {"": {"sv": "Vilket instrument passar oss?", "en": "Which instrument fits us?"},
           "scenarier": {"sv": "Sparade scenarier", "en": "Saved scenarios"},
           "kalkyl": {"sv": "Resultat", "en": "Results"},
           "jamfor_instrument": {"sv": "Vem bär risken?", "en": "Who bears the risk?"},
           "valj_instrument": {"sv": "Rekommendation", "en": "Recommendation"},
           "instrumenten": {"sv": "Vad det är", "en": "What it is"},
           "effektmal": {"sv": "Går målet att upptäcka?", "en": "Can the target be detected?"}}


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_opens_without_errors_in_both_languages(page, app_server, path, lang):
    goto(page, app_server, path, lang=lang)
    assert_no_exception(page, app_server.log_path)
    expect(page.locator("h1").first).to_contain_text(PAGES[path][lang])
    expect(page.get_by_text(SUBTEXT[path][lang]).first).to_be_visible()


def test_the_language_switch_rewrites_the_page_and_the_link(page, app_server):
    goto(page, app_server, "", lang="sv")
    page.get_by_text("English", exact=True).click()
    expect(page.get_by_text("Which instrument fits us?")).to_be_visible()
    expect(page).to_have_url(re.compile(r"lang=en"))
    page.get_by_role("link", name="Scenarios", exact=True).click()
    wait_for_app(page, settle_ms=300)
    expect(page.locator("h1").first).to_contain_text("Scenarios")
    assert_no_exception(page, app_server.log_path)


def stored_versions(app_server) -> dict[int, int]:
    """Every scenario in the server's database with its number of versions, read directly."""
    engine = open_database(f"sqlite:///{app_server.log_path.parent / 'app.db'}")
    try:
        with session_factory(engine).begin() as session:
            return {s.id: s.latest_version for s in list_scenarios(session)}
    finally:
        engine.dispose()


def upload(page, tmp_path, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    button = page.get_by_role("button", name="Importera filen")
    expect(button).to_be_visible(timeout=60_000)
    button.click()
    wait_for_app(page, settle_ms=300)


def expect_open(page, text):
    """The "open scenario" select box shows ``text`` (its value is not ordinary page text)."""
    expect(page.get_by_role("combobox", name=re.compile("Öppna scenario|Open scenario"))).to_have_value(
        re.compile(re.escape(text)))


def choose_option(page, label, option):
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()
    wait_for_app(page, settle_ms=300)


def test_upload_save_history_restore_and_download(page, app_server, tmp_path):
    goto(page, app_server, "scenarier", lang="sv")
    scenario = edited(name="Webbtest hälsostöd")
    upload(page, tmp_path, "webbtest.json", json.dumps(scenario).encode())
    assert_no_exception(page, app_server.log_path)
    expect_open(page, "Webbtest hälsostöd (version 1")

    horizon = page.get_by_role("textbox", name="Kalkylperiod (år)")
    horizon.fill("20")
    horizon.press("Tab")
    page.get_by_role("button", name="Spara som ny version").click()
    wait_for_app(page, settle_ms=300)
    expect_open(page, "Webbtest hälsostöd (version 2")
    expect(page.get_by_role("textbox", name="Kalkylperiod (år)")).to_have_value("20")

    page.get_by_role("tab", name="Historik").click()
    choose_option(page, "Välj version", "Version 1")
    page.get_by_role("button", name="Återställ version 1").click()
    wait_for_app(page, settle_ms=300)
    expect_open(page, "Webbtest hälsostöd (version 3")
    assert_no_exception(page, app_server.log_path)

    page.get_by_role("tab", name="Grunduppgifter").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ner scenariot (JSON)").click()
    downloaded = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert downloaded["name"] == "Webbtest hälsostöd"
    assert downloaded["horizon_years"] == 15  # version 1's value, restored as version 3
    assert download_info.value.suggested_filename == "webbtest-halsostod.json"


BAD_UPLOADS = {
    "not-json.json": (b"this is not json {", "inte giltig JSON"),
    "wrong-version.json": (json.dumps(edited(format="utfallskompassen.scenario/9")).encode(), "känns inte igen"),
    "unknown-field.json": (json.dumps(edited(colour="blue")).encode(), "Okänt fält"),
    "nan.json": (json.dumps(VALID).replace('"discount_rate": 0.035', '"discount_rate": NaN').encode(), "NaN"),
    "negative-cost.json": (json.dumps(edited(costs=[{"name": "X", "payer": "kommun", "per_year": -5}])).encode(),
                           "Kostnad 1 – Kostnad per år"),  # the field as people name it, not costs[0].per_year
    "long-name.json": (json.dumps(edited(name="x" * 10_000)).encode(), "högst 200 tecken"),
}


@pytest.mark.parametrize("file_name", list(BAD_UPLOADS))
def test_a_bad_upload_is_explained_and_saves_nothing(page, app_server, tmp_path, file_name):
    content, expected = BAD_UPLOADS[file_name]
    goto(page, app_server, "scenarier", lang="sv")
    before = stored_versions(app_server)
    upload(page, tmp_path, file_name, content)
    assert_no_exception(page, app_server.log_path)
    expect(page.get_by_text(f"Filen {file_name} kunde inte importeras")).to_be_visible()
    expect(page.get_by_text(expected).first).to_be_visible()
    assert stored_versions(app_server) == before


def test_a_50_mb_upload_is_refused_with_its_size(page, app_server, tmp_path):
    goto(page, app_server, "scenarier", lang="en")
    before = stored_versions(app_server)
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * 50_000_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_role("button", name="Import the file").click(timeout=120_000)
    wait_for_app(page, settle_ms=300)
    assert_no_exception(page, app_server.log_path)
    expect(page.get_by_text("The file is 50.0 MB").first).to_be_visible()
    assert stored_versions(app_server) == before


def test_markup_in_a_name_is_shown_as_text_and_never_run(page, app_server, tmp_path):
    goto(page, app_server, "scenarier", lang="sv")
    name = "<img src=x onerror=\"document.title='hacked'\"> **fet**"
    upload(page, tmp_path, "markup.json", json.dumps(edited(name=name)).encode())
    assert_no_exception(page, app_server.log_path)
    expect(page.get_by_role("textbox", name="Namn", exact=True).nth(1)).to_have_value(name)
    assert page.locator('img[src="x"]').count() == 0
    assert page.title() != "hacked"
