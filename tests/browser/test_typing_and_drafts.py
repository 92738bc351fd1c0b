"""Numbers typed the Swedish way and work that is never lost, in the real browser.

Typing: ``3,9``, ``1 234``, ``12 %`` and ``0,30`` go into real fields and the value used is checked
against the engine's own answer for that value (not against what the field happens to show).
Drafts: an edit survives a visit to another page, a reload, and is the same on Jämför instrument;
the questionnaire's answers survive a reload; a link to a scenario that does not exist says so.
"""

import re

from playwright.sync_api import expect

from engine.examples import load_example
from engine.savings.model import project_savings
from engine.savings.narrative import savings_headline
from engine.scenario import follow_renamed_outcomes, parse_scenario, scenario_to_dict
from tests.browser.helpers import assert_no_exception, goto, wait_for_app

EXAMPLE = "sjukfranvaro"  # first outcome: baseline 3,8 days, effect 12 %, range 4–16 %
CALC = f"kalkyl?scenario=example:{EXAMPLE}"
BASELINE = "Utgångsläge (enheter per deltagare och år)"
EFFECT = "Effekt (% minskning)"


def _expected_headline(**first_outcome) -> str:
    """The headline the engine gives for the example with the first outcome's fields changed."""
    data = scenario_to_dict(load_example(EXAMPLE))
    old_name = data["outcomes"][0]["name"]
    data["outcomes"][0] |= first_outcome
    data = follow_renamed_outcomes(data, [old_name], [data["outcomes"][0]["name"]])
    return _plain(savings_headline(project_savings(parse_scenario(data)), "sv"))


def _plain(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def _headline(page) -> str:
    return _plain(page.locator("h4").first.inner_text())


def _type(page, label: str, text: str) -> None:
    field = page.get_by_role("textbox", name=label).first
    field.fill(text)
    field.press("Enter")
    wait_for_app(page, settle_ms=300)


def test_swedish_numbers_are_used_as_written(page, app_server):
    goto(page, app_server, CALC, lang="sv")
    assert _headline(page) == _expected_headline()

    _type(page, BASELINE, "3,9")  # not 39
    assert _headline(page) == _expected_headline(baseline=3.9)
    expect(page.get_by_role("textbox", name=BASELINE).first).to_have_value("3,9")

    _type(page, EFFECT, "12 %")
    _type(page, BASELINE, "1 234")  # a space groups thousands
    assert _headline(page) == _expected_headline(baseline=1234.0, effect=0.12)
    expect(page.get_by_role("textbox", name=BASELINE).first).to_have_value("1 234")

    _type(page, EFFECT, "10,5")
    assert _headline(page) == _expected_headline(baseline=1234.0, effect=0.105)
    expect(page.get_by_role("textbox", name=EFFECT).first).to_have_value("10,5 %")
    assert_no_exception(page, app_server.log_path)


def test_what_cannot_be_read_is_said_at_the_field_and_the_result_stays(page, app_server):
    goto(page, app_server, CALC, lang="sv")
    before = _headline(page)
    for typed, message in (("3,9,1", "går inte att läsa som ett tal"), ("1e400", "för stort"),
                           ("−0", "kan inte vara negativt"), ("3.800", "kan betyda två olika tal"),
                           ("", "Fyll i ett tal")):
        _type(page, BASELINE, typed)
        expect(page.get_by_text(message).first).to_be_visible()
        assert _headline(page) == before  # the last valid result, not one from a misread value
        expect(page.get_by_text("senaste giltiga").first).to_be_visible()
    _type(page, EFFECT, "120 %")
    expect(page.get_by_text("högst 100 %").first).to_be_visible()
    assert_no_exception(page, app_server.log_path)


def test_a_share_typed_with_a_decimal_comma_on_effektmal_is_a_share(page, app_server):
    goto(page, app_server, "effektmal?scenario=example:aterfall", lang="sv")
    field = page.get_by_role("textbox", name="Utgångsläge").first
    field.fill("0,30")
    field.press("Enter")
    wait_for_app(page, settle_ms=300)
    expect(field).to_have_value("0,3")  # read as 0,30, not 30
    expect(page.get_by_text("går inte att läsa").first).to_have_count(0)
    assert_no_exception(page, app_server.log_path)


def test_an_edit_survives_another_page_a_reload_and_is_the_same_on_jamfor(page, app_server):
    goto(page, app_server, CALC, lang="sv")
    _type(page, EFFECT, "15")
    _type(page, "Utfall", "Korta sjukdagar X")
    expected = _expected_headline(effect=0.15, name="Korta sjukdagar X")
    assert _headline(page) == expected
    expect(page.get_by_text("Osparade ändringar").first).to_be_visible()

    # Another page and back: the edit is still there.
    page.get_by_role("link", name="Instrumenten").first.click()
    wait_for_app(page, settle_ms=300)
    page.get_by_role("link", name="Långsiktig kalkyl").first.click()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_role("textbox", name=EFFECT).first).to_have_value("15 %")
    assert _headline(page) == expected

    # A reload (a new session; the URL keeps the workspace and the scenario).
    assert "ws=" in page.url
    assert f"scenario=example%3A{EXAMPLE}" in page.url or f"scenario=example:{EXAMPLE}" in page.url
    page.reload()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_role("textbox", name=EFFECT).first).to_have_value("15 %")
    assert _headline(page) == expected

    # Jämför instrument opens the same scenario with the same edit: the renamed outcome is priced.
    page.get_by_role("link", name="Jämför instrument").first.click()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_role("textbox", name=re.compile("Pris per utfall: Korta sjukdagar X")).first).to_be_visible()
    expect(page.get_by_text("Osparade ändringar").first).to_be_visible()

    # One click discards the edits everywhere.
    page.get_by_role("button", name="Släng ändringarna").first.click()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_role("textbox", name=re.compile("Pris per utfall: Korta sjukdagar X"))).to_have_count(0)
    page.get_by_role("link", name="Långsiktig kalkyl").first.click()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_role("textbox", name=EFFECT).first).to_have_value("12 %")
    assert _headline(page) == _expected_headline()
    assert_no_exception(page, app_server.log_path)


def test_questionnaire_answers_survive_a_reload(page, app_server):
    goto(page, app_server, "valj_instrument", lang="sv")
    progress = page.get_by_text(re.compile(r"\d+ av \d+ frågor besvarade")).first
    before = progress.inner_text()
    page.get_by_role("radiogroup").last.get_by_role("radio").first.check(force=True)
    wait_for_app(page, settle_ms=300)
    after = progress.inner_text()
    assert after != before
    page.reload()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_text(re.compile(r"\d+ av \d+ frågor besvarade")).first).to_have_text(after)
    assert_no_exception(page, app_server.log_path)


def test_a_link_to_a_scenario_that_does_not_exist_says_so(page, app_server):
    goto(page, app_server, "kalkyl?scenario=saved:987654", lang="sv")
    expect(page.get_by_text("Scenariot med nummer 987654 finns inte").first).to_be_visible()
    expect(page.locator("h4").first).to_be_visible()  # and the page works, on the first example
    goto(page, app_server, "kalkyl?scenario=saved:987654", lang="en")
    expect(page.get_by_text("There is no scenario number 987654").first).to_be_visible()
    assert_no_exception(page, app_server.log_path)
