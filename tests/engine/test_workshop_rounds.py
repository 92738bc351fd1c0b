"""Estimate rounds, their chart and the workshop's export: what a round asks about, how a pooled range
goes into the scenario (and nothing else changes), the spread chart, and the XLSX/CSV tables."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from engine.examples import example_ids, load_example
from engine.scenario import parse_scenario, scenario_to_dict
from engine.workshop.charts import spread_chart
from engine.workshop.export import (
    ConclusionRecord,
    RoundRecord,
    answer_rows,
    conclusion_rows,
    csv_bytes,
    estimate_rows,
    workbook_bytes,
)
from engine.workshop.rounds import RoundTarget, TargetGone, adopt_pooled, round_quantity, round_targets


def test_every_example_offers_effect_values_and_duration_for_each_outcome():
    for example in example_ids():
        scenario = load_example(example)
        targets = round_targets(scenario)
        expected = sum(2 + len(o.values) for o in scenario.outcomes)
        assert len(targets) == expected
        for target in targets:
            quantity = round_quantity(scenario, target)
            assert quantity.minimum <= quantity.current <= quantity.maximum


def test_a_target_that_is_no_longer_in_the_scenario_is_named_as_gone():
    scenario = load_example("ips")
    with pytest.raises(TargetGone):
        round_quantity(scenario, RoundTarget("effect", len(scenario.outcomes)))
    with pytest.raises(TargetGone):
        round_quantity(scenario, RoundTarget("value", 0, "nobody"))
    with pytest.raises(TargetGone):
        round_quantity(scenario, RoundTarget("effect", 0, "kommun"))  # a budget holder only for values


def test_adopting_an_effect_changes_that_outcome_and_its_source_only():
    scenario = load_example("sjukfranvaro")
    adopted = adopt_pooled(scenario, RoundTarget("effect", 0), 0.1, 0.15, 0.3, "Workshopskattning, 9 deltagare")
    before, after = scenario_to_dict(scenario), scenario_to_dict(adopted)
    assert after["outcomes"][0]["effect"] == 0.15
    assert after["outcomes"][0]["effect_range"] == [0.1, 0.3]
    after["outcomes"][0] |= {k: before["outcomes"][0].get(k) for k in ("effect", "effect_range")}
    assert {k: v for k, v in after.items() if k != "sources"} == {k: v for k, v in before.items() if k != "sources"}
    sources = [s for s in adopted.sources if s.field == "outcomes[0].effect"]
    assert [s.text for s in sources] == ["Workshopskattning, 9 deltagare"]
    # Adopting again replaces the workshop's source of that field instead of piling up.
    again = adopt_pooled(adopted, RoundTarget("effect", 0), 0.1, 0.2, 0.3, "Andra rundan")
    assert [s.text for s in again.sources if s.field == "outcomes[0].effect"] == ["Andra rundan"]


def test_every_field_an_adoption_changes_cites_the_workshop_and_no_older_source():
    scenario = load_example("ips")
    assert [s.field for s in scenario.sources if s.field.startswith("outcomes[0].effect")] == [
        "outcomes[0].effect", "outcomes[0].effect_range", "outcomes[0].effect_profile"]

    def cited(adopted, field):
        return [s.text for s in adopted.sources if s.field == field]

    effect = adopt_pooled(scenario, RoundTarget("effect", 0), 0.15, 0.35, 0.55, "W")
    assert cited(effect, "outcomes[0].effect") == cited(effect, "outcomes[0].effect_range") == ["W"]
    assert cited(effect, "outcomes[0].effect_profile") == cited(scenario, "outcomes[0].effect_profile")

    payer = "kommun"
    wide = adopt_pooled(scenario, RoundTarget("value", 0, payer), 10_000, 20_000, 60_000, "W")
    assert wide.uncertainty.value_range != scenario.uncertainty.value_range
    assert cited(wide, f"outcomes[0].values.{payer}") == cited(wide, "uncertainty.value_range") == ["W"]
    # Within the common range: the range did not change, and neither does its source.
    value = scenario.outcomes[0].values[payer]
    inside = adopt_pooled(scenario, RoundTarget("value", 0, payer), value, value, value, "W")
    assert cited(inside, "uncertainty.value_range") == cited(scenario, "uncertainty.value_range")

    duration = adopt_pooled(scenario, RoundTarget("duration", 0), 2, 3, 5, "W")
    assert cited(duration, "outcomes[0].effect_profile") == ["W"]
    assert cited(duration, "outcomes[0].effect_range") == cited(scenario, "outcomes[0].effect_range")
    # The sources of fields the adoption did not change stay as they were, in their order.
    assert [s for s in wide.sources if s.text != "W"] == [
        s for s in scenario.sources if s.field not in (f"outcomes[0].values.{payer}", "uncertainty.value_range")]


def test_adopting_a_value_sets_the_budget_holders_value_and_only_widens_the_common_range():
    scenario = load_example("ips")
    payer = next(iter(scenario.outcomes[0].values))
    wide = adopt_pooled(scenario, RoundTarget("value", 0, payer), 500, 1_000, 2_000, "W")
    assert wide.outcomes[0].values[payer] == 1_000
    low, high = wide.uncertainty.value_range
    assert low <= 0.5
    assert high >= 2.0
    narrow = adopt_pooled(wide, RoundTarget("value", 0, payer), 990, 1_000, 1_010, "W")
    assert narrow.uncertainty.value_range == wide.uncertainty.value_range  # never narrowed


def test_adopting_a_duration_keeps_the_ramp_and_the_fade():
    scenario = load_example("ips")
    profile = [0.5, 1.0, 1.0, 0.5]
    shaped = parse_scenario(scenario_to_dict(scenario) | {
        "outcomes": [scenario_to_dict(scenario)["outcomes"][0] | {"effect_profile": profile}]})
    longer = adopt_pooled(shaped, RoundTarget("duration", 0), 3, 6, 9, "W")
    assert longer.outcomes[0].effect_profile == [0.5, 1.0, 1.0, 1.0, 1.0, 0.5]
    shorter = adopt_pooled(shaped, RoundTarget("duration", 0), 1, 2, 3, "W")
    assert shorter.outcomes[0].effect_profile == [1.0, 1.0]  # too short for a ramp and a fade: full effect


def test_a_range_outside_the_quantitys_bounds_or_out_of_order_is_refused():
    scenario = load_example("ips")
    for low, most_likely, high in ((0.1, 0.05, 0.3), (-0.1, 0.2, 0.3), (0.1, 0.2, 1.5)):
        with pytest.raises(ValueError, match="range"):
            adopt_pooled(scenario, RoundTarget("effect", 0), low, most_likely, high, "W")


@given(st.lists(st.floats(0, 1), min_size=3, max_size=3).map(sorted))
def test_any_ordered_effect_range_gives_a_valid_scenario(triple):
    low, most_likely, high = triple
    adopted = adopt_pooled(load_example("diabetes"), RoundTarget("effect", 0), low, most_likely, high, "W")
    assert parse_scenario(scenario_to_dict(adopted)) == adopted


def test_the_spread_chart_draws_one_trace_per_role_and_never_a_name_as_markup():
    estimates = [("<b>Anna</b>", "kommun", 0.1, 0.2, 0.3), ("Bo", "kommun", 0.2, 0.25, 0.4),
                 ("%{x} Cilla", "investerare", 0.0, 0.05, 0.1)]
    figure = spread_chart(estimates, (0.05, 0.2, 0.4), current=0.15, unit="share", title="**Effekt**", lang="sv")
    assert [trace.meta for trace in figure.data] == ["kommun", "investerare", "pooled"]
    labels = [y for trace in figure.data[:2] for y in trace.y if y]
    assert all("<b>" not in label for label in labels)
    assert not any("%{x}" in label for label in labels)
    assert list(figure.data[0].x[:3]) == [10.0, 20.0, 30.0]  # per cent on the axis


def test_export_tables_in_both_languages_keep_numbers_as_numbers_and_text_as_text():
    people = [("@Anna", "kommun", {"purpose": "test_new_method", "time_to_effect_years": 4.5})]
    record = RoundRecord(1, "Effekt på =dagar", "procent", [("Anna", "kommun", 0.1, 0.2, 0.3),
                                                           ("Bo", "region", None, None, None)], (0.1, 0.2, 0.3), 4)
    conclusion = ConclusionRecord(2, datetime(2026, 12, 2, 10, 5, tzinfo=UTC), "saved",
                                  {"purpose": "test_new_method"}, "+Beslut", "-anteckning")
    for lang in ("sv", "en"):
        answers = answer_rows(people, lang)
        assert [row[next(iter(row))] for row in answers] == ["'@Anna", "'@Anna"]
        assert list(answers[1].values())[4] == 4.5
        estimates = estimate_rows([record], lang)
        assert len(estimates) == 3
        conclusions = conclusion_rows([conclusion], lang)
        assert list(conclusions[0].values())[4:] == ["'+Beslut", "'-anteckning"]
        book = load_workbook(io.BytesIO(workbook_bytes({"A": answers, "E": estimates, "C": conclusions})))
        assert book.sheetnames == ["A", "E", "C"]
        assert book["E"]["B2"].value == "Effekt på =dagar"  # a formula sign inside text is harmless
        text = csv_bytes(estimates, lang).decode("utf-8-sig")
        assert ("0,1;0,2;0,3" if lang == "sv" else "0.1,0.2,0.3") in text
