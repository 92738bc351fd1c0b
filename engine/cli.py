"""Command line: ``python -m engine <command> ...``.

Exit codes: 0 success (JSON on stdout); 2 invalid input (the problems on stderr, one per line,
prefixed by their field path; never a traceback). Argument mistakes also exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from engine.errors import InputError, Problem
from engine.i18n import LANGUAGES, translate
from engine.scenario import MAX_FILE_BYTES, Scenario, parse_scenario

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


Command = Callable[[argparse.Namespace], dict[str, Any]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine", description="Utfallskompassen engine")
    parser.add_argument("--lang", choices=LANGUAGES, default="sv", help="language of messages (sv or en)")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a scenario file (format v1)")
    validate.add_argument("file")
    validate.set_defaults(run=_validate)
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
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK
