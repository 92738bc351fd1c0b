"""Numbers in a scenario or answers file that no float can hold, and nesting no parser can follow:
each is refused with the field's own message (which names the largest accepted value), never an
exception, in the app's path (parse_scenario, parse_answers) as well as the command line's."""

import json

import pytest

from engine.errors import InputError
from engine.examples import load_example
from engine.questionnaire.scoring import parse_answers
from engine.scenario import parse_scenario, scenario_to_dict


def _with(field: str, literal: str) -> str:
    text = json.dumps(scenario_to_dict(load_example("ips")) | {field: 12345})
    return text.replace("12345", literal)


@pytest.mark.parametrize(("field", "literal", "words"), [
    ("horizon_years", "9" * 5000, "större än 60"),
    ("horizon_years", "-" + "9" * 400, "mindre än 1"),
    ("discount_rate", "1e400", "större än 0,25"),
    ("discount_rate", "-1e400", "mindre än 0"),
])
def test_a_number_too_large_for_any_float_gets_the_fields_limit(field, literal, words):
    with pytest.raises(InputError) as refused:
        parse_scenario(_with(field, literal), "sv")
    [problem] = refused.value.problems
    assert problem.path == field
    assert words in problem.message.replace("\u00a0", " ")


def test_answers_nested_beyond_any_reason_are_refused_in_words():
    with pytest.raises(InputError) as refused:
        parse_answers("[" * 100_000, "sv")
    assert "för många nivåer" in refused.value.problems[0].message


def test_an_answer_too_large_for_any_float_is_refused_not_crashed():
    with pytest.raises(InputError):
        parse_answers(json.dumps({"volume_msek": 1}).replace("1}", "9" * 5000 + "}"), "sv")
