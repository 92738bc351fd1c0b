"""``python -m engine validate FILE``: exit 0 for a valid file, 2 with the problems on stderr."""

import json
from pathlib import Path

from tests.engine.cli_runner import run_cli
from tests.engine.test_scenario import VALID, edited

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, content) -> str:
    path = tmp_path / "scenario.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_a_valid_file_exits_0_with_json_on_stdout(tmp_path):
    result = run_cli("validate", write(tmp_path, VALID))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["valid"] is True


def test_an_invalid_file_exits_2_with_field_paths_on_stderr(tmp_path):
    data = edited(name="", discount_rate=-1)
    data["outcomes"][0]["effect"] = 1.5
    result = run_cli("--lang", "en", "validate", write(tmp_path, data))
    assert result.returncode == 2
    assert result.stdout == ""
    for path in ("name:", "discount_rate:", "outcomes[0].effect:"):
        assert path in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_json_exits_2_without_a_traceback(tmp_path):
    result = run_cli("validate", write(tmp_path, "{not json"))
    assert result.returncode == 2
    assert "JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_exits_2(tmp_path):
    result = run_cli("validate", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "nope.json" in result.stderr


def test_a_huge_file_exits_2_without_being_read_whole(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * 50_000_000)
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert "MB" in result.stderr
