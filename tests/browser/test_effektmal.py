"""Effektmål in the real browser: change the target and see the sample size move; upload a Swedish
Excel CSV (semicolons, decimal commas, Windows-1252) and see the forecast; a bad CSV is explained."""

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, goto, wait_for_app

NEEDED = '[data-testid="stMetric"]:has-text("Behövs per grupp") [data-testid="stMetricValue"]'


def needed(page) -> str:
    return page.locator(NEEDED).first.inner_text()


def upload_history(page, tmp_path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    page.get_by_text("Utgångsläget som trend (prognos)").first.click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))
    wait_for_app(page, settle_ms=500)


def test_changing_the_target_changes_the_sample_size_and_a_csv_gives_the_forecast(page, app_server, tmp_path):
    goto(page, app_server, "effektmal", lang="sv")
    assert_no_exception(page, app_server.log_path)
    expect(page.locator(NEEDED).first).to_be_visible()
    before = needed(page)

    target = page.get_by_role("spinbutton", name="Effektmål (% minskning)").first
    target.fill("25")
    target.press("Enter")
    wait_for_app(page, settle_ms=300)
    expect(page.locator(NEEDED).first).not_to_have_text(before)
    assert int(needed(page).replace("\u00a0", "").replace(" ", "")) < int(before.replace("\u00a0", "").replace(" ", ""))

    rows = "".join(f"{year};{4.4 - 0.1 * i:.1f}\n".replace(".", ",") for i, year in enumerate(range(2010, 2020)))
    upload_history(page, tmp_path, "sjukdagar.csv", ("Period;Värde\n" + rows).encode("cp1252"))
    expect(page.get_by_text("Linjär trend (kort serie)").first).to_be_visible(timeout=30_000)
    expect(page.locator(".js-plotly-plot", has_text="Utgångsläget som trend").first).to_be_visible()
    assert_no_exception(page, app_server.log_path)


def test_a_csv_with_wrong_columns_is_explained_under_the_upload(page, app_server, tmp_path):
    goto(page, app_server, "effektmal", lang="sv")
    upload_history(page, tmp_path, "fel.csv", "år;antal\n2019;3\n".encode())
    expect(page.get_by_text("hittade kolumnerna “år”, “antal”").first).to_be_visible(timeout=30_000)
    assert_no_exception(page, app_server.log_path)
