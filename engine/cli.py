"""Command line: ``python -m engine <command> ...``.

Exit codes: 0 success (JSON on stdout); 2 invalid input (the problems on stderr, one per line,
prefixed by their field path; never a traceback). Argument mistakes also exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem
from engine.i18n import LANGUAGES, format_number, translate
from engine.savings import project_savings, to_json_dict
from engine.scenario import MAX_FILE_BYTES, Scenario, parse_scenario
from engine.uncertainty import (
    DEFAULT_SEED,
    MAX_DRAWS,
    sensitivity,
    simulate_savings,
    simulation_to_json_dict,
    tornado_to_json,
)

EXIT_OK = 0
EXIT_INVALID = 2


class _Refused(Exception):
    """Raised inside a command to end it with exit 2 and these problems on stderr."""

    def __init__(self, heading: str, problems: Sequence[Problem]):
        super().__init__(heading)
        self.heading = heading
        self.problems = problems


def read_input_file(path: str, lang: str) -> bytes:
    """Read a file the user named, turning I/O failures into a refusal (exit 2)."""
    file = Path(path)
    if not file.is_file():
        raise _Refused(translate("cli.file_missing", lang, path=path), [])
    try:
        with file.open("rb") as handle:
            # Read one byte past the limit so an oversized file is reported, not loaded whole.
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _Refused(translate("cli.file_unreadable", lang, path=path, reason=exc.strerror or exc), []) from None


def load_scenario_file(path: str, lang: str) -> Scenario:
    """Read and validate a scenario file, or refuse with every problem found."""
    raw = read_input_file(path, lang)
    try:
        return parse_scenario(raw, lang)
    except InputError as exc:
        raise _Refused(translate("cli.problems_heading", lang, count=len(exc.problems), path=path), exc.problems) from None


def _validate(args: argparse.Namespace) -> dict[str, Any]:
    scenario = load_scenario_file(args.file, args.lang)
    return {"valid": True, "name": scenario.name, "message": translate("cli.valid", args.lang, name=scenario.name)}


# numpy accepts larger seeds; this bound keeps the number exact in JSON readers that use doubles.
_MAX_SEED = 2**32 - 1


def _whole_number(text: str | None, option: str, key: str, low: int, high: int, lang: str) -> int | None:
    """Parse a numeric option ourselves (argparse would answer in English only), or refuse."""
    if text is None:
        return None
    try:
        number = int(text.strip())
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        limit = format_number(high, lang)
        problem = Problem(option, translate(key, lang, limit=limit, value=text[:40]), "option_range")
        raise _Refused(translate("savings.cli.invalid_option", lang), [problem])
    return number


def _evaluate(args: argparse.Namespace) -> dict[str, Any]:
    # Options first: a typo in --draws should not wait for (or hide behind) the scenario's problems.
    draws = _whole_number(args.draws, "--draws", "savings.cli.draws_invalid", 1, MAX_DRAWS, args.lang)
    seed = _whole_number(args.seed, "--seed", "savings.cli.seed_invalid", 0, _MAX_SEED, args.lang)
    scenario = load_scenario_file(args.file, args.lang)
    result: dict[str, Any] = {"name": scenario.name}
    result.update(to_json_dict(project_savings(scenario)))
    result["sensitivity"] = tornado_to_json(sensitivity(scenario), args.lang)
    if draws is not None:
        simulation = simulate_savings(scenario, draws=draws, seed=DEFAULT_SEED if seed is None else seed)
        result["uncertainty"] = simulation_to_json_dict(simulation)
    return result


Command = Callable[[argparse.Namespace], dict[str, Any]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine", description="Utfallskompassen engine")
    parser.add_argument("--lang", choices=LANGUAGES, default="sv", help="language of messages (sv or en)")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a scenario file (format v1)")
    validate.add_argument("file")
    validate.set_defaults(run=_validate)

    evaluate = commands.add_parser("evaluate", help="savings, present values and break-even of a scenario file")
    evaluate.add_argument("file")
    # Read as text and checked in the command, so that a bad value is reported in --lang.
    evaluate.add_argument("--draws", metavar="N", help=f"Monte Carlo draws, 1-{MAX_DRAWS} (default: none)")
    evaluate.add_argument("--seed", metavar="S", help=f"random seed, a whole number >= 0 (default {DEFAULT_SEED})")
    evaluate.set_defaults(run=_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Command = args.run
    try:
        result = run(args)
    except _Refused as refusal:
        print(refusal.heading, file=sys.stderr)
        for problem in refusal.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except InputError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return EXIT_INVALID
    try:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early; that is its choice, not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK
