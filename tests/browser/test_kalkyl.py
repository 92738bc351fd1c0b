"""Långsiktig kalkyl in the real browser: change the effect, see the headline move, download a chart."""

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, goto, wait_for_app

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def headline(page) -> str:
    return page.locator("h4").first.inner_text()


def test_changing_the_effect_moves_the_headline_and_the_chart_downloads_as_png(page, app_server, tmp_path):
    goto(page, app_server, "kalkyl", lang="sv")
    assert_no_exception(page, app_server.log_path)
    expect(page.locator("h4").first).to_contain_text("Inom avtalsperioden")
    before = headline(page)

    effect = page.get_by_role("textbox", name="Effekt (% minskning)").first
    effect.fill("15")
    effect.press("Enter")
    wait_for_app(page, settle_ms=300)
    expect(page.locator("h4").first).not_to_have_text(before)
    assert_no_exception(page, app_server.log_path)

    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Ladda ner PNG").first.click()
    path = tmp_path / "chart.png"
    download_info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 20_000  # a real chart at print resolution, not an empty image
    width = int.from_bytes(data[16:20], "big")
    assert width >= 1200
    assert download_info.value.suggested_filename.endswith("-kumulativ.png")


def test_the_page_opens_in_english_with_every_chart_tab(page, app_server):
    goto(page, app_server, "kalkyl", lang="en")
    assert_no_exception(page, app_server.log_path)
    for tab in ("Over time", "Per year", "Who pays, who saves", "Uncertainty", "Sensitivity"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tabpanel", name=tab).locator(".js-plotly-plot")).to_be_visible()
    assert_no_exception(page, app_server.log_path)
