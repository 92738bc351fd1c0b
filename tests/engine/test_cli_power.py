"""`python -m engine power`, in-process through ``main(argv)``: JSON on stdout, exit 2 with reasons."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.engine.cli_runner import run_cli

_REPO = Path(__file__).resolve().parents[2]


def test_a_proportion_question_prints_the_sample_size_and_effect_size():
    done = run_cli("power", "--metric", "proportion", "--baseline", "0.45", "--target", "0.38")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    h = 2 * math.asin(math.sqrt(0.45)) - 2 * math.asin(math.sqrt(0.38))
    assert result["effect_size"] == pytest.approx(h, abs=1e-6)
    assert result["n_per_group"] == 777  # 2 * (2.801585 / 0.14220)^2 = 776.3, rounded up
    assert "achieved_power" not in result
    assert "mde" not in result


def test_a_planned_group_adds_achieved_power_and_mde():
    done = run_cli("power", "--metric", "mean", "--baseline", "20", "--target", "17", "--sd", "6", "--n", "40",
                "--ratio", "2", "--alpha", "0,05", "--power", "0.9")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert isinstance(result["n_per_group"], int)
    assert result["effect_size"] == pytest.approx(0.5)
    assert result["n_comparison"] == math.ceil(2 * result["n_per_group"])
    assert 0 < result["achieved_power"] < 0.9
    assert result["mde"] > 3
    assert result["mde_effect_size"] == pytest.approx(result["mde"] / 6, abs=1e-5)


def test_the_anchor_figure_for_means():
    # anchors.md: d = 0.5, alpha 0.05, power 0.8 -> 63.77 per group -> 64
    result = json.loads(run_cli("power", "--metric", "mean", "--baseline", "10", "--target", "5", "--sd", "10").stdout)
    assert result["n_per_group"] == 64


@pytest.mark.parametrize(("args", "option", "sv_text"), [
    (["--metric", "odds", "--baseline", "1", "--target", "2"], "--metric", "okänt mått"),
    (["--metric", "proportion", "--baseline", "1.7", "--target", "0.5"], "--baseline",
     "en andel måste ligga mellan 0 och 1 (angivet: 1,7)"),
    (["--metric", "proportion", "--baseline", "0.4", "--target", "0.4"], "--target", "samma som utgångsläget"),
    (["--metric", "mean", "--baseline", "20", "--target", "17"], "--sd", "standardavvikelse behövs"),
    (["--metric", "mean", "--baseline", "20", "--target", "17", "--sd", "-1"], "--sd", "större än 0"),
    (["--metric", "mean", "--baseline", "20", "--target", "17", "--sd", "6", "--alpha", "1.5"], "--alpha",
     "mellan 0 och 1"),
    (["--metric", "mean", "--baseline", "20", "--target", "17", "--sd", "6", "--power", "0"], "--power",
     "mellan 0 och 1"),
    (["--metric", "mean", "--baseline", "20", "--target", "17", "--sd", "6", "--n", "1"], "--n", "från 2"),
    (["--metric", "mean", "--baseline", "20", "--target", "17", "--sd", "6", "--ratio", "0"], "--ratio",
     "större än 0"),
    (["--metric", "mean", "--baseline", "tjugo", "--target", "17", "--sd", "6"], "--baseline",
     "måste vara ett tal (angivet: tjugo)"),
    (["--metric", "mean", "--baseline", "20", "--target", "17", "--sd", "6", "--n", "12,5"], "--n", "heltal"),
])
def test_bad_options_exit_2_naming_the_option_in_swedish(args, option, sv_text):
    done = run_cli("--lang", "sv", "power", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert f"{option}: " in done.stderr
    assert sv_text in done.stderr


def test_bad_options_are_explained_in_english_all_at_once():
    done = run_cli("--lang", "en", "power", "--metric", "mean", "--baseline", "x", "--target", "17", "--n", "y")
    assert done.returncode == 2
    assert "Invalid value on the command line" in done.stderr
    assert "--baseline: must be a number (given: x)" in done.stderr
    assert "--n: participants per group" in done.stderr


def test_a_proportion_of_1_7_is_refused_in_english():
    done = run_cli("--lang", "en", "power", "--metric", "proportion", "--baseline", "0.5", "--target", "1.7")
    assert done.returncode == 2
    assert "--target: a proportion must lie between 0 and 1 (given: 1.7)" in done.stderr


def test_a_missing_required_option_is_an_argparse_exit_2():
    assert run_cli("power", "--metric", "mean").returncode == 2
