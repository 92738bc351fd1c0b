"""Jämför instrument in the real browser: change a price, see the warning and the payments move."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, goto, wait_for_app


def _payments_subtitle(page) -> str:
    page.get_by_role("tab", name="Utfallsbetalningar").click()
    chart = page.get_by_role("tabpanel", name="Utfallsbetalningar").locator(".js-plotly-plot")
    expect(chart).to_be_visible()
    return chart.locator("text").filter(has_text="Totalt").first.text_content() or ""


_SOURCE = {"sv": ("Scenario att jämföra", "Exempel: Kortare sjukfrånvaro bland kommunanställda"),
           "en": ("Scenario to compare", "Example: Shorter sick leave among municipal staff")}


def _open_sick_leave_example(page, app_server, lang: str) -> None:
    """Open the page on the sick-leave example. Chosen explicitly: the browser tests share one
    database, and a scenario saved by an earlier test would otherwise be the page's first choice."""
    goto(page, app_server, "jamfor_instrument", lang=lang)
    label, option = _SOURCE[lang]
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()
    wait_for_app(page, settle_ms=300)


def test_a_price_above_the_value_is_warned_and_the_payments_move(page, app_server):
    _open_sick_leave_example(page, app_server, "sv")
    assert_no_exception(page, app_server.log_path)
    expect(page.locator("h4").first).to_contain_text("av risken")
    expect(page.get_by_text("högre än vad en enhet är värd")).to_have_count(0)
    before = _payments_subtitle(page)

    price = page.get_by_role("textbox", name=re.compile("Pris per utfall: Korta sjukdagar")).first
    price.fill("5000")
    price.press("Enter")
    wait_for_app(page, settle_ms=500)
    assert_no_exception(page, app_server.log_path)
    # Shown twice: under the price and among the results' warnings.
    expect(page.get_by_text("högre än vad en enhet är värd").first).to_be_visible()
    assert _payments_subtitle(page) != before


def test_choosing_another_instrument_rewrites_the_reading_in_english(page, app_server):
    _open_sick_leave_example(page, app_server, "en")
    assert_no_exception(page, app_server.log_path)
    before = page.locator("h4").first.inner_text()
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Instrument", exact=True))
    box.locator("input").click()
    page.keyboard.type("Social outcomes")
    page.keyboard.press("Enter")
    wait_for_app(page, settle_ms=500)
    expect(page.locator("h4").first).not_to_have_text(before)
    expect(page.locator("h4").first).to_contain_text("social outcomes contract (SIB)")
    for tab in ("Risk per instrument", "Outcome payments", "The investor", "The fund"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tabpanel", name=tab).locator(".js-plotly-plot")).to_be_visible()
    assert_no_exception(page, app_server.log_path)
