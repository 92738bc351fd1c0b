"""``python -m engine validate FILE``: check a scenario file (format v1)."""

from __future__ import annotations

import argparse
from typing import Any

from engine.cli.support import load_scenario_file
from engine.i18n import translate


def run_validate(args: argparse.Namespace) -> dict[str, Any]:
    scenario = load_scenario_file(args.file, args.lang)
    return {"valid": True, "name": scenario.name, "message": translate("cli.valid", args.lang, name=scenario.name)}
