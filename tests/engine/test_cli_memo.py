"""``python -m engine memo``: a Word memo for every example case, and every bad input refused whole.

The charts are drawn by a stand-in renderer here (a 1 x 1 PNG), so these tests need no browser and
stay quick; tests/engine/test_memo.py renders real charts with Chromium.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from docx import Document

from engine.cli import memo as memo_command
from engine.examples import example_ids
from engine.i18n import translate
from engine.memo import docx as memo_docx_module
from engine.memo.content import SECTION_KEYS
from tests.engine.cli_runner import ROOT, run_cli
from tests.engine.test_memo import _tiny_png

EXAMPLES = ROOT / "data" / "examples"


@pytest.fixture(autouse=True)
def _no_browser(monkeypatch):
    monkeypatch.setattr(memo_docx_module, "figure_to_png", _tiny_png)
    monkeypatch.setattr(memo_docx_module, "start_images_in_background", lambda: None)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _write(folder: Path, name: str, content: object) -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def _refused(result, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


# --------------------------------------------------------------------------- every example


@pytest.mark.parametrize("example", example_ids())
def test_a_memo_for_every_example_case(example, tmp_path):
    lang = "en" if example == "ips" else "sv"
    out = tmp_path / f"{example}.docx"
    result = run_cli("memo", str(EXAMPLES / f"{example}.json"), "--out", str(out), "--lang", lang)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["path"] == str(out)
    assert report["lang"] == lang
    assert [section["key"] for section in report["sections"]] == list(SECTION_KEYS[:-1])
    assert report["figures"] == report["images"] == 6
    assert report["chart_notes"] == []
    document = Document(io.BytesIO(out.read_bytes()))
    assert report["bytes"] == out.stat().st_size
    assert report["tables"] == len(document.tables)
    assert len(document.inline_shapes) == 6
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [translate(f"memo.section.{key}", lang) for key in SECTION_KEYS[:-1]]
    assert _leftovers(tmp_path) == [out.name]  # no temporary file left


def test_lang_before_the_command_works_too(tmp_path):
    out = tmp_path / "memo.docx"
    result = run_cli("--lang", "en", "memo", str(EXAMPLES / "diabetes.json"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sections"][0]["heading"] == "The matter in brief"


def test_answers_and_targets_go_into_the_memo(tmp_path):
    from engine.examples import load_example
    from engine.targets.design import default_design

    scenario = load_example("sjukfranvaro")
    designs = [json.loads(default_design(scenario, 0).model_dump_json(exclude_none=True))]
    targets = _write(tmp_path, "targets.json", {"format": "utfallskompassen.targets/1", "name": "Mål", "designs": designs})
    answers = _write(tmp_path, "answers.json", {"answers": {"purpose": "scale_proven_method", "provider": "public_internal"}})
    out = tmp_path / "memo.docx"
    result = run_cli("memo", str(EXAMPLES / "sjukfranvaro.json"), "--out", str(out), "--answers", str(answers),
                     "--targets", str(targets))
    assert result.returncode == 0, result.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Uppföljnings- och utvärderingsplan" in text
    assert "Utifrån svaren på frågorna" in text


def test_an_existing_memo_is_replaced_whole(tmp_path):
    out = tmp_path / "memo.docx"
    out.write_bytes(b"old")
    result = run_cli("memo", str(EXAMPLES / "ips.json"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"
    assert _leftovers(tmp_path) == ["memo.docx"]


# --------------------------------------------------------------------------- bad input


def test_a_scenario_that_fails_validation(tmp_path):
    scenario = json.loads((EXAMPLES / "ips.json").read_text(encoding="utf-8"))
    scenario["colour"] = "red"
    scenario["outcomes"][0]["effect"] = 1.5
    broken = _write(tmp_path, "broken.json", scenario)
    out = tmp_path / "memo.docx"
    result = run_cli("--lang", "en", "memo", str(broken), "--out", str(out))
    _refused(result, "2 problem(s)", "colour", "outcomes[0].effect")
    assert not out.exists()
    assert _leftovers(tmp_path) == ["broken.json"]


@pytest.mark.parametrize(("character", "told"), [("\u0001", "styrtecken"), ("\uffff", "U+FFFF")])
def test_a_scenario_name_word_cannot_hold(tmp_path, character, told):
    scenario = json.loads((EXAMPLES / "ips.json").read_text(encoding="utf-8"))
    scenario["name"] = f"IPS {character} 2026"
    path = _write(tmp_path, "name.json", scenario)
    result = run_cli("memo", str(path), "--out", str(tmp_path / "memo.docx"))
    _refused(result, told)
    assert _leftovers(tmp_path) == ["name.json"]


@pytest.mark.parametrize(("answers", "told"), [
    ({"answers": {"colour": "red"}}, "colour"),
    ({"answers": {"purpose": "win_the_lottery"}}, "answers.purpose"),
    ({"answers": {"volume_msek": "tolv"}}, "answers.volume_msek"),
    ("{not json", "JSON"),
])
def test_answers_that_do_not_match_the_questions(tmp_path, answers, told):
    path = _write(tmp_path, "answers.json", answers)
    result = run_cli("--lang", "en", "memo", str(EXAMPLES / "ips.json"), "--out", str(tmp_path / "memo.docx"),
                     "--answers", str(path))
    _refused(result, told)
    assert _leftovers(tmp_path) == ["answers.json"]


@pytest.mark.parametrize(("targets", "told"), [
    ({"format": "something/else", "name": "x", "designs": []}, "utfallskompassen.targets/1"),
    ({"format": "utfallskompassen.targets/1", "name": "x", "designs": [{"outcome": "Sjukdagar"}]}, "designs[0].baseline"),
    ({"format": "utfallskompassen.targets/1", "name": "x", "designs": [
        {"outcome": "Finns inte", "baseline": 3.8, "baseline_year": 2020, "target": 0.1, "sd": 3.8}]},
     "designs[0].outcome"),
    ("[1, 2", "not valid JSON"),
])
def test_a_targets_file_that_does_not_validate(tmp_path, targets, told):
    path = _write(tmp_path, "targets.json", targets)
    result = run_cli("--lang", "en", "memo", str(EXAMPLES / "sjukfranvaro.json"), "--out", str(tmp_path / "m.docx"),
                     "--targets", str(path))
    _refused(result, told)
    assert _leftovers(tmp_path) == ["targets.json"]


def test_an_output_path_that_is_a_folder(tmp_path):
    result = run_cli("memo", str(EXAMPLES / "ips.json"), "--out", str(tmp_path))
    _refused(result, "mapp")
    assert _leftovers(tmp_path) == []


def test_an_output_path_in_a_folder_that_does_not_exist(tmp_path):
    result = run_cli("--lang", "en", "memo", str(EXAMPLES / "ips.json"), "--out", str(tmp_path / "no" / "m.docx"))
    _refused(result, "does not exist")
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["memo.pdf", "memo"])
def test_an_output_path_that_is_not_a_docx(tmp_path, name):
    result = run_cli("memo", str(EXAMPLES / "ips.json"), "--out", str(tmp_path / name))
    _refused(result, ".docx")
    assert _leftovers(tmp_path) == []


def test_an_output_path_that_is_a_device_is_not_overwritten(tmp_path):
    device = tmp_path / "null.docx"
    device.symlink_to(os.devnull)
    result = run_cli("memo", str(EXAMPLES / "ips.json"), "--out", str(device))
    _refused(result, "ingen vanlig fil")
    assert device.is_symlink()


def test_an_output_folder_that_cannot_be_written(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(memo_command.tempfile, "mkstemp", refuse)
    result = run_cli("--lang", "en", "memo", str(EXAMPLES / "ips.json"), "--out", str(tmp_path / "m.docx"))
    _refused(result, "Cannot write", "Permission denied")
    assert _leftovers(tmp_path) == []


def test_a_failure_while_moving_into_place_leaves_nothing_half_written(tmp_path, monkeypatch):
    out = tmp_path / "memo.docx"
    out.write_bytes(b"the previous memo")

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(memo_command.os, "replace", fail)
    result = run_cli("memo", str(EXAMPLES / "ips.json"), "--out", str(out))
    _refused(result, "No space left on device")
    assert out.read_bytes() == b"the previous memo"
    assert _leftovers(tmp_path) == ["memo.docx"]


def test_a_language_other_than_swedish_or_english(tmp_path):
    result = run_cli("memo", str(EXAMPLES / "ips.json"), "--out", str(tmp_path / "m.docx"), "--lang", "de")
    _refused(result, "--lang", "sv, en")
    assert _leftovers(tmp_path) == []


def test_a_missing_scenario_file(tmp_path):
    result = run_cli("--lang", "en", "memo", str(tmp_path / "nowhere.json"), "--out", str(tmp_path / "m.docx"))
    _refused(result, "nowhere.json")
    assert _leftovers(tmp_path) == []


def test_the_out_option_is_required(tmp_path):
    result = run_cli("--lang", "en", "memo", str(EXAMPLES / "ips.json"))
    _refused(result, "--out")


def test_without_a_browser_the_memo_is_still_written_with_a_note_per_chart(tmp_path, monkeypatch):
    from engine.output.export import ExportUnavailable

    def unavailable(_figure, **kwargs):
        raise ExportUnavailable(kwargs.get("lang", "sv"))

    monkeypatch.setattr(memo_docx_module, "figure_to_png", unavailable)
    out = tmp_path / "memo.docx"
    result = run_cli("--lang", "en", "memo", str(EXAMPLES / "aterfall.json"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["images"] == 0
    assert len(report["chart_notes"]) == report["figures"] == 6
    assert all("Chromium" in note for note in report["chart_notes"])
    assert len(Document(str(out)).inline_shapes) == 0
