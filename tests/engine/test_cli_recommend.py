"""``python -m engine recommend ANSWERS.json``: JSON ranking on exit 0; exit 2 with problems on stderr."""

import json
from pathlib import Path

import pytest

from tests.engine.cli_runner import run_cli
from tests.engine.test_questionnaire import PERSONAS

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, content) -> str:
    path = tmp_path / "answers.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_a_persona_exits_0_with_the_ranking_best_first(tmp_path):
    result = run_cli("recommend", write(tmp_path, {"answers": PERSONAS["iop"]}))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"ranking", "stability", "legal_notes"} <= set(out)
    first = out["ranking"][0]
    assert set(first) >= {"instrument", "score", "excluded", "exclusion_reasons", "reasons_for", "reasons_against"}
    assert first["instrument"] == "iop"
    assert not first["excluded"]
    assert len(out["ranking"]) == 8
    assert 0 <= out["stability"] <= 1
    assert [r["excluded"] for r in out["ranking"]] == sorted(r["excluded"] for r in out["ranking"])
    assert out["legal_notes"]
    assert all(n["title"] and n["text"] for n in out["legal_notes"])


def test_the_social_bond_is_not_given_the_social_outcomes_contracts_reason(tmp_path):
    # Review finding: an interested investor raised the bond "because it is the precondition of a
    # social outcomes contract". Each instrument now gets a reason that fits it.
    answers = {"purpose": "scale_proven_method", "outcome_measurability": "comparison_group",
               "external_capital": "investor_interested"}
    result = run_cli("recommend", write(tmp_path, {"answers": answers}))
    assert result.returncode == 0, result.stderr
    bond = next(r for r in json.loads(result.stdout)["ranking"] if r["instrument"] == "social_bond")
    shown = " ".join(bond["reasons_for"] + bond["reasons_against"])
    assert "obligation" in shown, shown
    assert "utfallskontrakt" not in shown, shown


def test_an_empty_answer_set_is_answered_with_low_confidence(tmp_path):
    result = run_cli("--lang", "en", "recommend", write(tmp_path, {"answers": {}}))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["confidence"] == "low"
    assert out["confidence_text"].startswith("Low confidence")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(("answers", "path", "words"), [
    ({"colour": "red"}, "answers.colour", {"sv": "ingen fråga", "en": "no question"}),
    ({"purpose": "win"}, "answers.purpose", {"sv": "svarsalternativ", "en": "answer option"}),
    ({"volume_msek": -5}, "answers.volume_msek", {"sv": "utanför", "en": "outside"}),
    ({"timeline_months": 500}, "answers.timeline_months", {"sv": "utanför", "en": "outside"}),
    ({"volume_msek": "tolv"}, "answers.volume_msek", {"sv": "inte text", "en": "not text"}),
    ({"volume_msek": True}, "answers.volume_msek", {"sv": "inte text", "en": "not text"}),
])
def test_each_bad_answer_exits_2_naming_its_question(tmp_path, lang, answers, path, words):
    result = run_cli("--lang", lang, "recommend", write(tmp_path, {"answers": answers}))
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{path}:" in result.stderr
    assert words[lang] in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content", ['{"answers": {"volume_msek": NaN}}', "{not json", "[]", '{"svar": {}}'])
def test_a_malformed_file_exits_2_without_a_traceback(tmp_path, content):
    result = run_cli("recommend", write(tmp_path, content))
    assert result.returncode == 2
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr


def test_a_missing_file_exits_2(tmp_path):
    result = run_cli("--lang", "en", "recommend", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "nope.json" in result.stderr
