"""The print view of Långsiktig kalkyl in the real browser: opened from the page's link on the same
scenario, every chart in a row, no sidebar, no button; printed, Streamlit's header is hidden too."""

from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOT_DIR
from tests.browser.helpers import assert_no_exception, full_page_screenshot, goto, wait_for_app


def test_the_print_view_of_the_calculation_has_every_chart_and_no_sidebar_or_buttons(page, app_server, tmp_path):
    goto(page, app_server, "kalkyl?scenario=example:ips", lang="sv")
    assert_no_exception(page, app_server.log_path)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()

    # On the page, the sources download as a Swedish CSV, made on the click. The button is the one
    # in the sources' expander, clicked once the app is idle (a click during a rerun can be lost).
    sources = page.locator('[data-testid="stExpander"]', has_text="Källor och antaganden").first
    sources.get_by_text("Källor och antaganden", exact=False).first.click()
    wait_for_app(page, settle_ms=300)
    button = sources.get_by_role("button", name="Ladda ner CSV")
    expect(button).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=60_000) as download_info:
        button.click()
    assert download_info.value.suggested_filename.endswith("-kallor.csv")
    data = (tmp_path / "sources.csv")
    download_info.value.save_as(data)
    text = data.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert text.decode("utf-8-sig").splitlines()[0] == "Fält;Typ;Källa"

    page.get_by_role("link", name="Utskriftsvy").click()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_role("heading", name="Långsiktig kalkyl")).to_be_visible()
    # All five charts, drawn one after another and not in tabs.
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(5, timeout=60_000)
    assert "print=1" in page.url
    assert "scenario=example%3Aips" in page.url
    assert_no_exception(page, app_server.log_path)
    assert page.get_by_role("tab").count() == 0
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    assert page.locator('[data-testid="stMain"] button').count() == 0
    assert page.locator('[data-testid="stMain"] input, [data-testid="stMain"] textarea').count() == 0
    assert page.locator('[data-testid="stDownloadButton"]').count() == 0
    # The sources are written out, not behind an expander.
    expect(page.get_by_role("heading", name="Källor och antaganden", exact=False)).to_be_visible()
    assert page.locator('[data-testid="stExpander"]').count() == 0

    # On screen the header is there; printed, it is not, and neither is the way back.
    header = page.locator('[data-testid="stHeader"]')
    back = page.get_by_role("link", name="Tillbaka till sidan")
    expect(back).to_be_visible()
    page.emulate_media(media="print")
    expect(header).to_be_hidden()
    expect(back).to_be_hidden()
    expect(charts.first).to_be_visible()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    full_page_screenshot(page, SCREENSHOT_DIR / "print_view_as_printed.png")
    page.emulate_media(media="screen")
    expect(header).to_be_attached()

    # Back on the page, the inputs and the tabs are there again.
    back.click()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_role("tab").first).to_be_visible()
    assert "print" not in page.url
    assert_no_exception(page, app_server.log_path)
