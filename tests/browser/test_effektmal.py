"""Effektmål in the real browser: change the target and see the sample size move; upload a Swedish
Excel CSV (semicolons, decimal commas, Windows-1252) and see the forecast; a bad CSV is explained."""

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, goto, wait_for_app

# The first outcome's card (the plain calculator's figure sits in a closed expander above it).
NEEDED = '[data-testid="stMetric"]:has-text("Behövs per grupp") [data-testid="stMetricValue"] >> visible=true'


def needed(page) -> str:
    return page.locator(NEEDED).first.inner_text()


def _open_sick_leave_example(page, app_server) -> None:
    """Open the page on the sick-leave example. Chosen explicitly: the browser tests share one
    database, and a scenario saved by another test would otherwise be the page's first choice."""
    goto(page, app_server, "effektmal", lang="sv")
    page.get_by_role("combobox", name="Scenario").click()
    page.get_by_role("option", name="Exempel: Kortare sjukfrånvaro bland kommunanställda").click()
    wait_for_app(page, settle_ms=300)


def upload_history(page, tmp_path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    page.get_by_text("Utgångsläget som trend (prognos)").first.click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))
    wait_for_app(page, settle_ms=500)


def test_changing_the_target_changes_the_sample_size_and_a_csv_gives_the_forecast(page, app_server, tmp_path):
    _open_sick_leave_example(page, app_server)
    assert_no_exception(page, app_server.log_path)
    expect(page.locator(NEEDED).first).to_be_visible()
    before = needed(page)

    target = page.get_by_role("textbox", name="Effektmål (% minskning)").first
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


def test_a_csv_with_other_headings_is_read_by_position_and_says_so(page, app_server, tmp_path):
    _open_sick_leave_example(page, app_server)
    rows = "".join(f"{year};{4.4 - 0.1 * i:.1f}\n".replace(".", ",") for i, year in enumerate(range(2010, 2020)))
    upload_history(page, tmp_path, "sjukdagar.csv", ("År;Sjukdagar per anställd\n" + rows).encode("cp1252"))
    expect(page.get_by_text("första kolumnen (”År”) lästes som period").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Linjär trend (kort serie)").first).to_be_visible()
    assert_no_exception(page, app_server.log_path)


def test_a_csv_with_one_column_is_explained_under_the_upload(page, app_server, tmp_path):
    _open_sick_leave_example(page, app_server)
    upload_history(page, tmp_path, "fel.csv", b"antal\n3\n4\n")
    expect(page.get_by_text("hittade kolumnerna “antal”").first).to_be_visible(timeout=30_000)
    assert_no_exception(page, app_server.log_path)


def evaluation_section(page):
    return page.locator('[data-testid="stExpander"]', has_text="Utvärdera uppföljningsdata").first


def upload_follow_up(page, tmp_path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    evaluation_section(page).locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))
    wait_for_app(page, settle_ms=500)


# Twelve years at about 4 sick days, one day fewer from 2018 on (the injected effect), as Swedish Excel writes it.
ITS_ROWS = ["2012;4,10", "2013;3,90", "2014;4,00", "2015;4,10", "2016;3,90", "2017;4,05",
            "2018;2,95", "2019;3,10", "2020;2,90", "2021;3,00", "2022;3,05", "2023;2,95"]


def did_csv(*, units: bool = False) -> bytes:
    """Four people per group and year; with ``units`` a column enhet says they are the same four each year."""
    lines = ["period;grupp;värde" + (";enhet" if units else "")]
    for year in range(2016, 2022):
        for group, level in (("Insats", 4.0), ("Jämförelse", 4.2)):
            # The intervention group's mean moves a little from year to year (as real data do; the
            # interval is computed from those year-by-year differences), averaging out before and after.
            shift = (0.1, -0.05, -0.05, 0.05, -0.1, 0.05)[year - 2016] if group == "Insats" else 0.0
            for person, wiggle in enumerate((0.3, -0.3, 0.1, -0.1)):
                value = level + shift + wiggle - (0.8 if group == "Insats" and year >= 2019 else 0)
                if units:  # each person also varies a little from year to year
                    value += 0.05 * ((2 * person + year * year) % 5 - 2)
                lines.append(f"{year};{group};{value:.2f}".replace(".", ",") + (f";{group}{person}" if units else ""))
    return ("\n".join(lines) + "\n").encode("cp1252")


def test_follow_up_data_gives_the_effect_with_its_interval_in_plain_swedish(page, app_server, tmp_path):
    _open_sick_leave_example(page, app_server)
    section = evaluation_section(page)
    section.get_by_text("Utvärdera uppföljningsdata").click()
    # Interrupted time series: an effect of -1 day, its interval below zero, decimal commas and real minus signs.
    upload_follow_up(page, tmp_path, "uppfoljning.csv", ("År;Värde\n" + "\n".join(ITS_ROWS) + "\n").encode("cp1252"))
    expect(section.get_by_text("Skriv första perioden med insatsen ovan").first).to_be_visible(timeout=30_000)
    start = section.get_by_role("textbox", name="Första perioden med insatsen")
    start.fill("2018")
    start.press("Enter")
    wait_for_app(page, settle_ms=300)
    sentence = section.get_by_text("Effekten är mellan").first
    expect(sentence).to_be_visible(timeout=30_000)
    expect(sentence).to_contain_text("Effekten är mellan −1,3 och −0,7 dagar (95\u00a0% konfidensintervall; "
                                     "bästa skattning −1,0). Hela intervallet ligger under noll")
    expect(section.locator(".js-plotly-plot", has_text="Avbruten tidsserie")).to_be_visible()
    # How the interval was made, and the warning that six years on each side is short.
    expect(section.get_by_text("Intervallet bygger på vanliga regressionsfel (OLS)").first).to_be_visible()
    expect(section.get_by_text("Kort serie: 6 perioder före och 6 efter starten").first).to_be_visible()

    # A start the series cannot place is explained under the field, not as a traceback.
    start.fill("2018-03")
    start.press("Enter")
    wait_for_app(page, settle_ms=300)
    expect(section.get_by_text("Startperioden “2018-03” går inte att läsa som år").first).to_be_visible()
    assert_no_exception(page, app_server.log_path)

    # Difference-in-differences on a long file (period, group, value): -0.8 days against the comparison group.
    section.get_by_text("Skillnad-i-skillnader").click()
    wait_for_app(page, settle_ms=300)
    start.fill("2019")
    start.press("Enter")
    wait_for_app(page, settle_ms=300)
    upload_follow_up(page, tmp_path, "grupper.csv", did_csv())
    expect(section.get_by_text("Effekten är mellan −1,00 och −0,60 dagar").first).to_be_visible(timeout=30_000)
    expect(section.get_by_text("insatsgruppen 4,00 före och 3,20 efter").first).to_be_visible()
    expect(section.get_by_text("period för period (6 perioder)").first).to_be_visible()
    expect(section.get_by_text("En enda jämförelsegrupp kan visa").first).to_be_visible()
    assert_no_exception(page, app_server.log_path)

    # The same people followed over the years, with a unit column: the uncertainty is counted per person.
    upload_follow_up(page, tmp_path, "personer.csv", did_csv(units=True))
    expect(section.get_by_text("Effekten är mellan −0,93 och −0,67 dagar").first).to_be_visible(timeout=30_000)
    expect(section.get_by_text("osäkerheten räknas per enhet (klustrade standardfel, 8 enheter").first).to_be_visible(
        timeout=30_000)
    expect(section.get_by_text("Få enheter (8)").first).to_be_visible()
    assert_no_exception(page, app_server.log_path)
