"""One real ``python -m engine`` subprocess per command: the entry point, exit codes and JSON on stdout
as other tools see them. Everything else about the commands is tested in-process (``cli_runner``)."""

import json

import pytest

from tests.engine.cli_runner import ROOT, run_cli, run_subprocess

_EXAMPLE = str(ROOT / "data" / "examples" / "ips.json")


@pytest.mark.parametrize("args", [
    ("validate", _EXAMPLE),
    ("evaluate", _EXAMPLE, "--draws", "200", "--seed", "3"),
    ("compare", _EXAMPLE, "--draws", "200"),
    ("power", "--metric", "proportion", "--baseline", "0.30", "--target", "0.40", "--n", "150"),
], ids=lambda args: args[0])
def test_each_command_runs_as_a_subprocess_and_agrees_with_the_in_process_run(args):
    real = run_subprocess(*args)
    assert real.returncode == 0, real.stderr
    assert json.loads(real.stdout) == json.loads(run_cli(*args).stdout)


def test_recommend_runs_as_a_subprocess(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {"purpose": "scale_proven_method", "volume_msek": 3}}), encoding="utf-8")
    real = run_subprocess("recommend", str(answers))
    assert real.returncode == 0, real.stderr
    assert json.loads(real.stdout) == json.loads(run_cli("recommend", str(answers)).stdout)


def test_a_refusal_exits_2_with_the_problems_on_stderr_and_nothing_on_stdout(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "utfallskompassen.scenario/1", "name": ""}', encoding="utf-8")
    real = run_subprocess("--lang", "en", "validate", str(broken))
    assert real.returncode == 2
    assert real.stdout == ""
    assert "name:" in real.stderr
    assert "Traceback" not in real.stderr
    assert run_cli("--lang", "en", "validate", str(broken)).stderr == real.stderr


def test_an_unknown_command_exits_2():
    assert run_subprocess("frobnicate").returncode == 2
