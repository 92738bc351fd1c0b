"""The scenario file format v1: what is accepted, what is refused and how it is explained."""

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import ScenarioError
from engine.scenario import FORMAT_ID, MAX_FILE_BYTES, blank_scenario, parse_scenario, scenario_to_json

VALID = {
    "format": FORMAT_ID,
    "name": "Kortare sjukfrånvaro, kommunanställda",
    "description": "Exempel",
    "currency": "SEK",
    "price_year": 2025,
    "discount_rate": 0.035,
    "horizon_years": 15,
    "contract_years": 4,
    "intake": [120, 120, 120, 120],
    "costs": [
        {"name": "Hälsosupport", "payer": "kommun", "kind": "delivery", "per_participant": 25000},
        {"name": "Utvärdering", "payer": "kommun", "kind": "other", "per_year": 300000, "first_year": 1, "last_year": 5},
    ],
    "outcomes": [{
        "name": "Undvikna sjukdagar", "unit": "dagar", "baseline": 20.0, "effect": 0.12,
        "effect_range": [0.05, 0.2], "effect_profile": [0.5, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2],
        "deadweight": 0.1, "values": {"kommun": 2200, "stat": 300},
    }],
    "optimism_bias": 0.0,
    "uncertainty": {"value_range": [0.8, 1.2], "cost_range": [0.95, 1.3]},
    "contract": {"instrument": "social_outcomes_contract", "prices": {"Undvikna sjukdagar": 1500},
                 "payment_window": [1, 4], "cap": 5_000_000, "fixed_share": 0.25},
    "sources": [{"field": "outcomes[0].values.kommun", "text": "FK calculator, 2020", "url": "https://example.org"}],
}


def edited(**changes):
    data = copy.deepcopy(VALID)
    data.update(changes)
    return data


def problems_of(data, lang="sv"):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, lang)
    return {p.path: p for p in caught.value.problems}


def test_the_design_example_is_valid():
    scenario = parse_scenario(VALID)
    assert scenario.name == VALID["name"]
    assert scenario.payers == ("kommun", "stat")


def test_a_json_round_trip_is_lossless():
    scenario = parse_scenario(json.dumps(VALID))
    again = parse_scenario(scenario_to_json(scenario))
    assert again == scenario
    assert scenario_to_json(again) == scenario_to_json(scenario)


def test_the_blank_template_is_valid_and_has_the_usual_defaults():
    scenario = blank_scenario("Nytt")
    assert (scenario.horizon_years, scenario.contract_years, scenario.discount_rate) == (15, 4, 0.035)


def test_an_unknown_field_is_an_error_with_its_path():
    found = problems_of(edited(colour="blue"))
    assert found["colour"].code == "extra_forbidden"


def test_an_unknown_nested_field_is_reported_where_it_is():
    data = edited()
    data["outcomes"][0]["effekt"] = 0.2
    assert "outcomes[0].effekt" in problems_of(data)


def test_a_wrong_format_version_is_reported_alone_and_clearly():
    found = problems_of(edited(format="utfallskompassen.scenario/2", colour="blue"), lang="en")
    assert list(found) == ["format"]
    assert "utfallskompassen.scenario/2" in found["format"].message
    assert FORMAT_ID in found["format"].message


def test_a_missing_format_says_what_a_file_starts_with():
    data = edited()
    del data["format"]
    assert FORMAT_ID in problems_of(data)["format"].message


@pytest.mark.parametrize("text", ["not json", "{\"format\": ", "[1, 2]", "\"a string\""])
def test_text_that_is_not_a_json_object_is_refused(text):
    found = problems_of(text)
    assert list(found) == [""]


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_in_a_file_are_refused_at_the_field_where_they_stand(token):
    text = json.dumps(VALID).replace('"discount_rate": 0.035', f'"discount_rate": {token}')
    found = problems_of(text, lang="en")
    assert list(found) == ["discount_rate"]
    assert token in found["discount_rate"].message


def test_nan_given_as_a_python_float_is_refused_at_its_field():
    assert problems_of(edited(discount_rate=float("nan")))["discount_rate"].code == "finite_number"


def test_text_in_a_number_field_is_not_silently_converted():
    assert problems_of(edited(horizon_years="15"))["horizon_years"].code == "int_type"


def test_negative_costs_are_refused_at_the_cost():
    data = edited()
    data["costs"][0]["per_participant"] = -1
    found = problems_of(data, lang="en")
    assert found["costs[0].per_participant"].message == "Must not be less than 0."


def test_shares_outside_zero_to_one_are_refused():
    data = edited(optimism_bias=1.5)
    data["outcomes"][0]["effect"] = 1.2
    data["outcomes"][0]["deadweight"] = -0.1
    assert {"optimism_bias", "outcomes[0].effect", "outcomes[0].deadweight"} <= problems_of(data).keys()


def test_a_ten_thousand_character_name_is_refused_with_the_limit():
    found = problems_of(edited(name="x" * 10_000))
    assert "200" in found["name"].message


def test_an_empty_name_is_refused():
    assert problems_of(edited(name="   "))["name"].code == "string_too_short"


def test_html_in_a_name_is_kept_as_plain_text():
    scenario = parse_scenario(edited(name="<script>alert('x')</script>"))
    assert scenario.name == "<script>alert('x')</script>"


def test_the_contract_may_not_outlast_the_horizon():
    found = problems_of(edited(horizon_years=3, contract_years=4, intake=[10]))
    assert found["contract_years"].code == "contract_longer_than_horizon"


def test_intake_may_not_extend_past_the_horizon():
    assert problems_of(edited(horizon_years=3, contract_years=3, intake=[1, 1, 1, 1]))["intake"].code == "intake_past_horizon"


def test_zero_participants_is_refused():
    assert problems_of(edited(intake=[0, 0]))["intake"].code == "no_participants"


def test_a_profile_longer_than_the_horizon_is_refused():
    data = edited(horizon_years=5, contract_years=4)
    data["costs"][1]["last_year"] = 5
    data["outcomes"][0]["effect_profile"] = [1.0] * 6
    assert problems_of(data)["outcomes[0].effect_profile"].code == "profile_longer_than_horizon"


def test_an_effect_range_must_contain_the_effect():
    data = edited()
    data["outcomes"][0]["effect_range"] = [0.2, 0.1]
    assert problems_of(data)["outcomes[0].effect_range"].code == "effect_range_order"


def test_an_empty_payer_name_in_values_is_refused():
    data = edited()
    data["outcomes"][0]["values"] = {" ": 100}
    assert problems_of(data)["outcomes[0].values"].code == "empty_payer"


def test_an_empty_payer_name_on_a_cost_is_refused():
    data = edited()
    data["costs"][0]["payer"] = ""
    assert problems_of(data)["costs[0].payer"].code == "string_too_short"


def test_a_cost_needs_exactly_one_kind_of_amount():
    data = edited()
    data["costs"][0]["per_year"] = 100
    assert problems_of(data)["costs[0]"].code == "cost_needs_one_amount"


def test_a_multiplier_range_must_contain_one():
    assert "uncertainty.cost_range" in problems_of(edited(uncertainty={"cost_range": [1.1, 1.3]}))


def test_contract_problems_name_the_contract_field():
    data = edited(contract={"instrument": "social_outcomes_contract", "prices": {"Okänt": 10},
                            "payment_window": [2, 30], "cap": -5, "fixed_share": 2})
    found = problems_of(data)
    assert {"contract.cap", "contract.fixed_share"} <= found.keys()
    data["contract"].update(cap=5, fixed_share=0.5)
    found = problems_of(data)
    assert {"contract.prices.Okänt", "contract.payment_window"} <= found.keys()


def test_an_unknown_instrument_lists_the_allowed_ones():
    found = problems_of(edited(contract={"instrument": "magic"}), lang="en")
    assert "social_outcomes_contract" in found["contract.instrument"].message


def test_every_problem_is_reported_not_only_the_first():
    assert len(problems_of(edited(name="", horizon_years=0, discount_rate=-1))) == 3


def test_messages_come_in_the_chosen_language():
    swedish = problems_of(edited(name=""), lang="sv")["name"].message
    english = problems_of(edited(name=""), lang="en")["name"].message
    assert swedish == "Får inte vara tomt."
    assert english == "Must not be empty."


def test_an_oversized_file_is_refused_before_it_is_parsed():
    found = problems_of(b" " * (MAX_FILE_BYTES + 1))
    assert found[""].code == "too_large"


_share = st.floats(min_value=0, max_value=1, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(effect=_share, deadweight=_share, bias=_share,
       intake=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=10),
       rate=st.floats(min_value=0, max_value=0.25, allow_nan=False))
def test_any_valid_scenario_survives_a_round_trip(effect, deadweight, bias, intake, rate):
    data = edited(intake=intake, optimism_bias=bias, discount_rate=rate, uncertainty=None, contract=None)
    del data["uncertainty"], data["contract"]
    data["outcomes"][0].update(effect=effect, deadweight=deadweight, effect_range=None)
    del data["outcomes"][0]["effect_range"]
    scenario = parse_scenario(data)
    assert parse_scenario(scenario_to_json(scenario)) == scenario


# --- limits that keep one scenario's work bounded -------------------------------------------------

def _outcome(number):
    return {"name": f"Utfall {number}", "baseline": 1.0, "effect": 0.1, "values": {"kommun": 100.0}}


def test_at_most_twenty_outcomes_thirty_costs_and_ten_budget_holders():
    assert parse_scenario(edited(outcomes=[_outcome(n) for n in range(20)], contract=None))
    found = problems_of(edited(outcomes=[_outcome(n) for n in range(21)], contract=None))
    assert "högst 20" in found["outcomes"].message
    cost = {"name": "k", "payer": "kommun", "per_participant": 1.0}
    assert "högst 30" in problems_of(edited(costs=[cost] * 31))["costs"].message
    payers = {f"huvudman {n}": 1.0 for n in range(11)}
    many = edited(outcomes=[_outcome(1) | {"values": dict(list(payers.items())[:10])}],
                  costs=[{"name": "k", "payer": "en elfte", "per_participant": 1.0}], contract=None)
    assert problems_of(many)[""].code == "too_many_payers"
    assert problems_of(edited(outcomes=[_outcome(1) | {"values": payers}], contract=None))["outcomes[0].values"]


@pytest.mark.parametrize("amount", [1e13, 1e308])
def test_an_amount_too_large_for_the_arithmetic_is_refused_with_the_largest_accepted(amount):
    found = problems_of(edited(outcomes=[_outcome(1) | {"values": {"kommun": amount}}], contract=None))
    assert "1 000 000 000 000" in found["outcomes[0].values.kommun"].message.replace("\u00a0", " ")


@pytest.mark.parametrize("text", ["med\x00nul", "med\x1b[31mfärg", "höger\u202etill vänster", "\x7f"])
def test_names_with_control_characters_are_refused_at_their_field(text):
    assert problems_of(edited(name=text))["name"].code == "control_character"
    found = problems_of(edited(outcomes=[_outcome(1) | {"values": {text: 1.0}}], contract=None))
    assert [p.code for p in found.values()] == ["control_character"]


def test_line_breaks_and_tabs_in_a_description_are_fine():
    assert parse_scenario(edited(description="Rad ett\nRad två\tmed tabb")).description.startswith("Rad ett")


def test_json_nested_too_deep_is_a_message_not_a_crash():
    found = problems_of("[" * 100_000 + "]" * 100_000)
    assert found[""].code == "not_json"
