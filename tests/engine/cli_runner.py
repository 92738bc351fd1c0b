"""Running ``python -m engine`` in the test process: the same ``main(argv)``, without a new interpreter.

Most CLI tests call :func:`run_cli`, which returns what a subprocess would (exit code, stdout,
stderr), from the repository root as working folder. ``tests/engine/test_cli_smoke.py`` runs each
command once as a real subprocess, so the module entry point itself stays covered.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from engine.cli import main

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Completed:
    """What a finished command gave: the fields of :class:`subprocess.CompletedProcess` tests read."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Completed:
    """``python -m engine ARGS`` in-process. Argument errors (argparse exits 2) are caught too."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    return Completed(code, out.getvalue(), err.getvalue())


def run_subprocess(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m engine ARGS`` as users and other tools run it: a new interpreter."""
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, check=False)
