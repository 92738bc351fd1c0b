"""Target designs: validation, defaults from a scenario, checks in plain words, write-back, storage, annex."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from engine.errors import InputError
from engine.examples import load_example
from engine.scenario import parse_scenario
from engine.storage import list_targets, load_targets, open_database, save_scenario, save_targets, session_factory
from engine.targets.annex import annex_docx, annex_rows, annex_xlsx
from engine.targets.design import (
    FORMAT_ID,
    default_design,
    design_to_dict,
    effect_profile_for,
    outcome_payer,
    parse_target_design,
    parse_targets_document,
    power_question,
    target_checks,
    write_back,
)
from engine.targets.power import analyse_power
from tests.engine.factories import make_outcome, make_scenario_dict


def scenario(**overrides):
    return parse_scenario(make_scenario_dict(**overrides))


def design(**overrides):
    base = {"outcome": "Undvikna sjukdagar", "unit": "dagar", "baseline": 10.0, "baseline_year": 2024,
            "target": 0.2, "sd": 10.0, "metric": "mean", "counterfactual": "matched",
            "time_to_effect_months": 12, "measurement_window_months": 24, "planned_n": 100}
    return parse_target_design(base | overrides, "en")


# --- validation --------------------------------------------------------------------------------------------


def test_a_relative_target_gives_the_level_and_an_absolute_one_the_reduction():
    assert design(target=0.2).target_level == pytest.approx(8.0)
    absolute = design(target_kind="absolute", target=7.5)
    assert absolute.relative_reduction == pytest.approx(0.25)


@pytest.mark.parametrize(("overrides", "path"), [
    ({"target": 1.2}, "target"),
    ({"metric": "proportion", "baseline": 1.7, "sd": None}, "baseline"),
    ({"metric": "mean", "sd": None}, "sd"),
    ({"target_kind": "absolute", "target": 10.0}, "target"),
    ({"power": 0.04, "alpha": 0.05}, "power"),
    ({"measurement_window_months": 0}, "measurement_window_months"),
    ({"counterfactual": "guess"}, "counterfactual"),
    ({"baseline": "3,8"}, "baseline"),
])
def test_bad_designs_are_refused_at_their_field(overrides, path):
    data = {k: v for k, v in overrides.items() if v is not None}
    removed = [k for k, v in overrides.items() if v is None]
    base = {"outcome": "x", "baseline": 10.0, "baseline_year": 2024, "target": 0.2, "sd": 10.0}
    with pytest.raises(InputError) as raised:
        parse_target_design({k: v for k, v in (base | data).items() if k not in removed}, "sv")
    assert path in [p.path for p in raised.value.problems]


def test_a_document_reports_problems_with_the_design_index():
    bad = design_to_dict(design()) | {"target": 3.0}
    with pytest.raises(InputError) as raised:
        parse_targets_document({"format": FORMAT_ID, "name": "Mål", "designs": [design_to_dict(design()), bad]})
    assert raised.value.problems[0].path == "designs[1].target"


# --- defaults ----------------------------------------------------------------------------------------------


def test_the_default_design_takes_the_scenarios_figures():
    example = load_example("sjukfranvaro")
    first = default_design(example, 0)
    assert (first.baseline, first.target, first.price, first.planned_n) == (3.8, 0.12, 2075.0, 6164)
    assert first.measurement_window_months == 36  # no payment window: the 3 contract years
    assert first.time_to_effect_months == 12  # the profile [0.67, 1, 1] peaks in year 2
    assert default_design(example, 1).price is None


def test_a_share_baseline_defaults_to_the_proportion_design():
    s = scenario(outcomes=[make_outcome(baseline=0.45, effect=0.2)])
    d = default_design(s, 0)
    assert d.metric == "proportion"
    assert d.sd is None
    assert d.target_level == pytest.approx(0.36)


# --- checks ------------------------------------------------------------------------------------------------


def test_a_well_designed_target_passes_every_check():
    s = scenario(contract={"instrument": "outcome_based_procurement", "prices": {"Undvikna sjukdagar": 50}})
    d = design(price=50.0, planned_n=500)
    assert target_checks(d, s, analyse_power(power_question(d))) == ()


def test_each_failing_check_is_reported_in_plain_words():
    # value to the kommun 100 kr * (1 - 0.25 optimism) = 75 kr < price 80 kr
    s = scenario(optimism_bias=0.25, outcomes=[make_outcome(deadweight=0.3)])
    d = design(counterfactual="before_after", metric="paired", price=80.0, planned_n=10,
               time_to_effect_months=36, measurement_window_months=24)
    checks = target_checks(d, s, analyse_power(power_question(d)), "sv")
    assert [c.code for c in checks] == ["not_detectable", "before_after_deadweight", "window_too_short",
                                        "price_above_value"]
    messages = [c.message("sv") for c in checks]
    assert "med 10 deltagare per grupp" in messages[0]
    assert "30\u00a0%" in messages[1]
    assert "(24 månader) är kortare än tiden till effekt (36 månader)" in messages[2]
    assert "(80 kr)" in messages[3]
    assert "(75 kr)" in messages[3]
    assert "Kommunen" in messages[3]


def test_no_counterfactual_is_flagged_and_a_low_deadweight_before_after_is_not():
    s = scenario(outcomes=[make_outcome(deadweight=0.1)])
    assert [c.code for c in target_checks(design(counterfactual="none"), s, None)] == ["no_counterfactual"]
    assert target_checks(design(counterfactual="before_after"), s, None) == ()


def test_the_outcome_payer_is_the_contracts_or_the_first_delivery_costs():
    assert outcome_payer(scenario()) == "kommun"
    assert outcome_payer(scenario(contract={"instrument": "iop", "outcome_payer": "region"})) == "region"


# --- write-back ------------------------------------------------------------------------------------------------


def test_writing_back_sets_effect_profile_range_and_price_and_validates():
    s = scenario(horizon_years=6, outcomes=[make_outcome(effect=0.5, effect_range=[0.4, 0.6],
                                                         effect_profile=[1.0, 0.5])],
                 contract={"instrument": "outcome_based_procurement"})
    result = write_back(s, [design(target=0.25, price=60.0, time_to_effect_months=12,
                                   measurement_window_months=36)])
    outcome = result.scenario.outcomes[0]
    assert outcome.effect == 0.25
    assert outcome.effect_range == [0.25, 0.6]  # widened just enough to contain the new effect
    # 1 year to full effect: ramp [0.5], then the old shape from its peak [1.0, 0.5], 3-year window
    assert outcome.effect_profile == [0.5, 1.0, 0.5]
    assert result.scenario.contract.prices == {"Undvikna sjukdagar": 60.0}
    assert result.unpriced == ()
    assert s.outcomes[0].effect == 0.5  # the original is untouched


def test_without_a_contract_the_price_is_reported_not_invented():
    result = write_back(scenario(), [design(price=60.0)])
    assert result.scenario.contract is None
    assert result.unpriced == ("Undvikna sjukdagar",)


def test_a_target_above_the_baseline_is_refused_by_the_scenarios_rules():
    with pytest.raises(InputError) as raised:
        write_back(scenario(), [design(target_kind="absolute", target=12.0)], "en")
    assert raised.value.problems[0].path == "outcomes[0].effect"


def test_an_unknown_outcome_is_named():
    with pytest.raises(InputError) as raised:
        write_back(scenario(), [design(outcome="Annat")], "en")
    assert raised.value.problems[0].path == "designs[0].outcome"


def test_the_profile_ramps_over_the_time_to_effect_and_covers_the_window():
    assert effect_profile_for([1.0], 0, 12, 10) == [1.0]
    assert effect_profile_for([1.0], 30, 48, 10) == [0.25, 0.5, 0.75, 1.0]
    assert effect_profile_for([0.5, 1.0, 1.0, 1.0], 0, 12, 10) == [1.0, 1.0, 1.0, 1.0]


# --- storage -------------------------------------------------------------------------------------------------


def test_target_designs_are_saved_as_versions_and_read_back(database_url):
    engine = open_database(database_url)
    sessions = session_factory(engine)
    example = load_example("sjukfranvaro")
    designs = [default_design(example, 0), default_design(example, 1)]
    document = parse_targets_document({"format": FORMAT_ID, "name": "Effektmål sjukfrånvaro",
                                       "scenario_ref": "example:sjukfranvaro",
                                       "designs": [design_to_dict(d) for d in designs]})
    with sessions.begin() as session:
        first = save_targets(session, document)
        save_scenario(session, example)  # another kind does not show up among targets
    changed = document.model_copy(update={"designs": [designs[0].model_copy(update={"target": 0.2})]})
    with sessions.begin() as session:
        second = save_targets(session, changed, first.document_id)
    with sessions.begin() as session:
        assert (first.number, second.number) == (1, 2)
        assert len(load_targets(session, first.document_id, 1).designs) == 2
        assert load_targets(session, first.document_id).designs[0].target == 0.2
        assert [t.name for t in list_targets(session)] == ["Effektmål sjukfrånvaro"]
    engine.dispose()


# --- annex ----------------------------------------------------------------------------------------------------


def annex_designs():
    example = load_example("sjukfranvaro")
    return [default_design(example, 0).model_copy(update={"validated_by": "RISE", "data_source": "hr_system"}),
            default_design(example, 1)]


def test_the_docx_annex_holds_the_table_with_swedish_headers_and_numbers():
    document = Document(io.BytesIO(annex_docx(annex_designs(), "sv")))
    [table] = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0][0] == "Utfall"
    assert cells[0][-1] == "Pris per utfall"
    assert cells[1][0] == "Korta sjukdagar (dag 1–14)"
    assert cells[1][3] == "HR-systemet"
    assert cells[1][4] == "RISE"
    assert cells[1][-1] == "2\u00a0075 kr"
    assert cells[2][-1] == "–"
    assert cells[1][8] == "−12 % (3,34 dagar)"
    assert document.paragraphs[0].text == "Bilaga: effektmål"


def test_the_xlsx_annex_keeps_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(annex_xlsx(annex_designs(), "en"))).active
    assert sheet["A1"].value == "Outcome"
    assert sheet["O1"].value == "Price per outcome"
    assert sheet["G2"].value == 3.8
    assert sheet["H2"].value == 2018
    assert sheet["K2"].value == pytest.approx(-0.12)
    assert sheet["K2"].number_format == "0.0%"
    assert sheet["O2"].value == 2075
    assert sheet["O3"].value is None
    assert sheet.max_row == 3


def test_text_that_would_start_a_formula_is_shown_not_run_in_the_xlsx_annex():
    planted = annex_designs()[0].model_copy(update={
        "outcome": '=HYPERLINK("http://example.invalid","klicka")', "counted": "+46 70", "unit": "-dagar",
        "validated_by": "@SUM(A1)", "baseline_source": "\t=1+1"})
    sheet = load_workbook(io.BytesIO(annex_xlsx([planted], "sv"))).active
    texts = [sheet[f"{column}2"].value for column in "ABCEI"]
    assert texts == ["'=HYPERLINK(\"http://example.invalid\",\"klicka\")", "'+46 70", "'-dagar", "'@SUM(A1)", "'\t=1+1"]
    assert all(sheet[f"{column}2"].data_type == "s" for column in "ABCEI")  # text cells, no formula
    assert sheet["K2"].value == pytest.approx(-0.12)  # a negative number stays a number


def test_the_annex_rows_follow_the_language():
    rows = annex_rows(annex_designs(), "en")
    assert rows[0][0] == "Outcome"
    assert rows[1][5] == "Every year"
    assert rows[1][9] == "12 months"
