"""The engine type-checks: mypy, with the settings in pyproject.toml, finds nothing."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_errors_in_the_engine():
    api = pytest.importorskip("mypy.api", reason="mypy is in requirements-dev.txt")
    report, errors, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                      "--cache-dir", str(ROOT / ".mypy_cache"), str(ROOT / "engine")])
    assert status == 0, report + errors
