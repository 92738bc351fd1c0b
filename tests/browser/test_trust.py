"""Trust in the figures (issue 11, points 4-7) in the real browser.

4. A wrong effect never blanks Långsiktig kalkyl: the last valid result stays, marked as such, the
   message at the field is in plain words, and one click widens the range so the result comes back.
5. The expected-case net present value is the same figure on Långsiktig kalkyl and Jämför instrument,
   with the same sentence on why the simulations differ.
6. A blank scenario says what is missing instead of a break-even year, and no chart claims one.
7. Effektmål's quick power calculator answers from its own numbers, shares' smallest effect in
   percentage points.

Expected figures come from the engine, formatted the way the pages format them, so a test fails
when the page shows anything else.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from engine.errors import InputError
from engine.examples import load_example
from engine.i18n import format_number, format_percent, translate
from engine.numbers import format_for_input
from engine.savings.model import project_savings
from engine.savings.narrative import (
    expected_vs_simulated,
    missing_parts,
    missing_sentence,
    savings_headline,
    signed_amount,
    uncertainty_sentence,
)
from engine.savings.uncertainty import simulate_savings
from engine.scenario import blank_scenario, field_label, parse_scenario, scenario_to_dict
from engine.targets.power import PowerQuestion, analyse_power, mde_text
from tests.browser.helpers import assert_no_exception, goto, wait_for_app

#: Internal names that must never reach the user (problem paths and codes of engine/scenario.py).
INTERNAL_NAMES = ("outcomes[", "effect_range")


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def type_into(field, text: str) -> None:
    field.fill(text)
    field.press("Enter")
    wait_for_app(field.page, settle_ms=300)


def amount(text: str) -> float:
    """A figure as the app writes it ("+7,9", "−5,9 mnkr", "1 234") as a float in the unit shown."""
    cleaned = re.sub(r"[^\d,.+\u2212-]", "", text).replace("\u2212", "-").replace(",", ".")
    return float(cleaned)


# --- point 4 ---------------------------------------------------------------------------------------

# (language, field whose text breaks the range, text typed, effect and range the widen button gives)
RANGE_CASES = [
    pytest.param("sv", "calc.effect", "20", 0.20, [0.04, 0.20], id="effect-above-high-sv"),
    pytest.param("en", "calc.effect_high", "10", 0.12, [0.04, 0.12], id="high-below-effect-en"),
]


@pytest.mark.parametrize(("lang", "field_key", "typed", "effect", "widened"), RANGE_CASES)
def test_an_effect_outside_its_range_keeps_the_last_result_and_one_click_widens_the_range(
        page, app_server, lang, field_key, typed, effect, widened):
    # Guards point 4: a value outside the effect range (sick-leave example: effect 12 %, range 4-16 %)
    # must not blank the result, must be explained at the field in plain words (never "outcomes[0]"
    # or "effect_range"), and must offer the obvious fix as a button that brings the result back.
    example = scenario_to_dict(load_example("sjukfranvaro"))
    original_headline = savings_headline(project_savings(parse_scenario(example)), lang)
    goto(page, app_server, "kalkyl?scenario=example:sjukfranvaro", lang=lang)
    assert_no_exception(page, app_server.log_path)
    expect(page.locator("h4").first).to_have_text(original_headline)

    type_into(page.get_by_role("textbox", name=translate(field_key, lang), exact=True).first, typed)

    # The headline still shows the last valid calculation, marked as such.
    expect(page.locator("h4").first).to_have_text(original_headline)
    expect(page.get_by_text(translate("calc.showing_last_valid", lang))).to_be_visible()
    expect(page.get_by_text(translate("calc.fix_to_calculate", lang))).to_be_visible()

    # The message at the field: the field as people name it and the engine's plain-words message.
    broken = scenario_to_dict(load_example("sjukfranvaro"))
    broken["outcomes"][0] |= {"effect": effect, "effect_range": [0.04, 0.16]} if field_key == "calc.effect" \
        else {"effect_range": [0.04, 0.10]}
    with pytest.raises(InputError) as raised:
        parse_scenario(broken, lang)
    problem = next(p for p in raised.value.problems if p.path == "outcomes[0].effect_range")
    # The first outcome's group is the one shown; its message stands among its fields.
    message = page.locator('[data-testid="stAlert"]', has_text=problem.message).first
    expect(message).to_contain_text(field_label(problem.path, lang))
    expect(message).to_contain_text(problem.message)
    text = page.inner_text("body")
    for internal in INTERNAL_NAMES:
        assert internal not in text, f"the page shows the internal name {internal!r}:\n{text}"
    assert_no_exception(page, app_server.log_path)

    # One click widens the range; the problem goes away and the headline is the new calculation.
    widen = page.get_by_role("button", name=translate("calc.widen_range", lang, low=format_percent(widened[0], lang),
                                                      high=format_percent(widened[1], lang)))
    expect(widen).to_be_visible()
    widen.click()
    wait_for_app(page, settle_ms=300)
    fixed = scenario_to_dict(load_example("sjukfranvaro"))
    fixed["outcomes"][0] |= {"effect": effect, "effect_range": widened}
    fixed_headline = savings_headline(project_savings(parse_scenario(fixed)), lang)
    expect(page.locator("h4").first).to_have_text(fixed_headline)
    if field_key == "calc.effect":  # a larger effect: the answer itself moves
        assert fixed_headline != original_headline
    expect(page.get_by_text(translate("calc.showing_last_valid", lang))).to_have_count(0)
    expect(page.get_by_text(translate("calc.fix_to_calculate", lang))).to_have_count(0)
    expect(page.locator('[data-testid="stAlert"]', has_text=problem.message)).to_have_count(0)
    expect(page.get_by_role("textbox", name=translate("calc.effect_high", lang), exact=True).first).to_have_value(
        f"{format_for_input(widened[1] * 100, lang)}{' %' if lang == 'sv' else '%'}")
    assert_no_exception(page, app_server.log_path)


# --- point 5 ---------------------------------------------------------------------------------------

def comparison_cell(page, row_label: str, column_label: str) -> str:
    """A cell of Jämför instrument's comparison table (an st.dataframe: a canvas, read through the
    accessible table the grid keeps beside it)."""
    # The grid draws its accessible table a moment after the caption above it appears, and only for
    # rows on screen: bring it into view and wait for rows.
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    handle = page.wait_for_function(
        """() => { const t = document.querySelector('[data-testid="stDataFrame"] table');
                   const rows = t ? Array.from(t.querySelectorAll('tr'))
                                        .map(r => Array.from(r.children).map(c => c.innerText.trim())) : [];
                   return rows.length > 1 && rows[0].length > 1 ? rows : null; }""", timeout=30_000)
    rows = handle.json_value()
    assert rows, "no comparison table found on Jämför instrument"
    column = rows[0].index(column_label)
    matching = [row for row in rows[1:] if row and row[0].startswith(row_label)]
    assert matching, f"no row {row_label!r} in {rows}"
    return matching[0][column]


def test_the_expected_net_present_value_is_the_same_on_the_calculation_and_the_comparison(page, app_server):
    # Guards point 5: the expected case (every assumption at its stated value) is one figure on both
    # pages, and both say in the same sentence why the simulations' mean differs. The relapse example
    # is chosen because its simulated mean lies far below its expected case (its value range runs from
    # -50 % to +10 %); the figures themselves come from the engine, not from this comment.
    scenario = load_example("aterfall")
    projection = project_savings(scenario)
    npv = projection.npv
    goto(page, app_server, "kalkyl?scenario=example:aterfall", lang="sv")
    assert_no_exception(page, app_server.log_path)
    on_calc = metric_value(page, translate("calc.metric_npv", "sv", years=scenario.horizon_years))
    assert on_calc == signed_amount(npv, "sv", beside=[projection.npv_within_contract])
    page.get_by_role("tab", name=translate("calc.tab_fan", "sv")).click()
    wait_for_app(page, settle_ms=300)
    expect(page.get_by_text(expected_vs_simulated("sv"))).to_be_visible(timeout=60_000)
    assert_no_exception(page, app_server.log_path)

    # The same open scenario on Jämför instrument, reached the way a user goes there.
    page.get_by_role("link", name=translate("nav.compare", "sv")).click()
    wait_for_app(page, settle_ms=500)
    expect(page.get_by_role("heading", name=translate("compare.title", "sv"))).to_be_visible()
    assert "scenario=example%3Aaterfall" in page.url or "scenario=example:aterfall" in page.url
    caption = page.get_by_text(translate("compare.table_caption", "sv", unit=translate("compare.unit.mnkr", "sv")))
    expect(caption).to_be_visible(timeout=60_000)  # the table is in millions of kronor
    expect(page.get_by_text(expected_vs_simulated("sv"))).to_be_visible()
    expected_cell = comparison_cell(page, translate("instruments.short.traditional_procurement", "sv"),
                                    translate("instruments.column.expected", "sv"))
    # Same figure after unit conversion: the table's millions against the metric's "… mnkr".
    assert on_calc.endswith("mnkr")
    assert amount(expected_cell) == amount(on_calc)
    assert amount(expected_cell) == pytest.approx(npv / 1e6, abs=0.05)
    assert_no_exception(page, app_server.log_path)


# --- point 6 ---------------------------------------------------------------------------------------

def open_a_new_blank_scenario_on_the_calculation(page, app_server) -> str:
    """Create a scenario from the blank template on Scenarier, go to Långsiktig kalkyl the way a user
    does (the menu), and return the scenario's name."""
    name = f"Tom mall {time.time_ns()}"  # the test server's database is shared by the file's tests
    goto(page, app_server, "scenarier", lang="sv")
    page.get_by_role("textbox", name=translate("scenarios.new_name", "sv"), exact=True).first.fill(name)
    page.get_by_role("button", name=translate("scenarios.new_button", "sv")).click()
    wait_for_app(page, settle_ms=500)
    expect(page.get_by_text(translate("scenarios.created", "sv", name=name))).to_be_visible()
    assert_no_exception(page, app_server.log_path)

    page.get_by_role("link", name=translate("nav.savings", "sv")).click()
    wait_for_app(page, settle_ms=500)
    expect(page.get_by_role("heading", name=translate("calc.title", "sv"))).to_be_visible()
    # The scenario just created is the one open.
    expect(page.get_by_role("combobox", name=translate("calc.source", "sv"))).to_have_value(
        translate("calc.source_saved", "sv", name=name, version=1))
    return name


def test_a_blank_scenario_says_what_is_missing_instead_of_a_break_even_year(page, app_server):
    # Guards point 6: a scenario with no outcomes and no costs gets the sentence that says what to add,
    # not a headline of zeros and a "Brytpunkt" for an effort that does nothing.
    name = open_a_new_blank_scenario_on_the_calculation(page, app_server)
    missing = missing_sentence(missing_parts(blank_scenario(name)), "sv")  # no outcome, no cost
    expect(page.get_by_text(missing)).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]', has_text=translate("calc.metric_break_even", "sv"))).to_have_count(0)
    expect(page.locator("h4")).to_have_count(0)
    assert_no_exception(page, app_server.log_path)


def test_a_blank_scenario_claims_no_break_even_in_the_charts_either(page, app_server):
    # Guards point 6 beyond the metrics: an effort that does nothing does not "break even in year 1",
    # neither in a chart's label nor in the uncertainty sentence: the page shows no charts for it.
    name = open_a_new_blank_scenario_on_the_calculation(page, app_server)
    expect(page.get_by_text(missing_sentence(missing_parts(blank_scenario(name)), "sv"))).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    expect(page.get_by_role("tab", name=translate("calc.tab_fan", "sv"))).to_have_count(0)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert translate("charts.break_even", "sv", year=1) not in text
    assert uncertainty_sentence(simulate_savings(blank_scenario(name)), "sv") not in text
    assert_no_exception(page, app_server.log_path)


# --- point 7 ---------------------------------------------------------------------------------------

def test_the_quick_power_calculator_works_from_its_own_numbers(page, app_server):
    # Guards point 7: Effektmål's calculator answers without any scenario input. Participants needed
    # for 30 % -> 40 % at 80 % power and 5 % significance is the engine's figure, and with a planned
    # group the smallest detectable effect for a share is given in percentage points.
    goto(page, app_server, "effektmal", lang="sv")
    heading = translate("targets.quick.heading", "sv")
    quick = page.locator('[data-testid="stExpander"]', has_text=heading).first
    quick.get_by_text(heading).click()
    wait_for_app(page, settle_ms=300)
    expect(quick.get_by_role("radio", name=translate("targets.metric.proportion", "sv"))).to_be_checked()
    # Typed the ways people write them; each is rewritten the way the app writes a per cent.
    for label, typed, shown in (("targets.quick.baseline_share", "30", "30 %"),
                                ("targets.quick.target_share", "40%", "40 %"),
                                ("targets.f.power", "80", "80 %"),
                                ("targets.f.alpha", "5,0", "5 %")):
        field = quick.get_by_role("textbox", name=translate(label, "sv"), exact=True)
        type_into(field, typed)
        expect(field).to_have_value(shown)

    question = PowerQuestion(metric="proportion", baseline=0.30, target=0.40, alpha=0.05, power=0.80)
    needed = quick.locator('[data-testid="stMetric"]', has_text=translate("targets.stats.needed", "sv"))
    expect(needed.locator('[data-testid="stMetricValue"]')).to_have_text(
        format_number(analyse_power(question, "sv").n_per_group, "sv"))
    mde = quick.locator('[data-testid="stMetric"]', has_text=translate("targets.stats.mde", "sv"))
    expect(mde.locator('[data-testid="stMetricValue"]')).to_have_text("–")  # no group planned yet

    planned = quick.get_by_role("textbox", name=translate("targets.quick.n", "sv"), exact=True)
    type_into(planned, "1 234")  # a Swedish thousands space
    expect(planned).to_have_value("1 234")
    answer = analyse_power(PowerQuestion(metric="proportion", baseline=0.30, target=0.40, alpha=0.05, power=0.80,
                                         n=1234), "sv")
    expected_mde = mde_text(answer, "", "sv")
    assert "procentenheter" in expected_mde
    expect(mde.locator('[data-testid="stMetricValue"]')).to_have_text(expected_mde)
    expect(mde.locator('[data-testid="stMetricValue"]')).to_contain_text("procentenheter")
    expect(needed.locator('[data-testid="stMetricValue"]')).to_have_text(format_number(answer.n_per_group, "sv"))
    assert_no_exception(page, app_server.log_path)
