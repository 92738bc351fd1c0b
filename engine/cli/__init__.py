"""Command line: ``python -m engine <command> ...``.

This module builds the parser and runs a command; each command lives in its own module here
(``validate``, ``evaluate``, ``compare``, ``recommend``, ``power``, ``memo``) and is imported only when it
runs; ``support`` holds what they share. May import every capability, never storage.

Exit codes: 0 success (JSON on stdout); 2 invalid input (the problems on stderr, one per line,
prefixed by their field path; never a traceback). Mistakes on the command line also exit 2, told in
``--lang`` (``usage``). A fault of the engine exits 1 with one line saying so, Ctrl-C exits 130;
``guard`` is where every run ends, ``streams`` what it writes.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

from engine.cli.guard import guarded
from engine.cli.streams import print_json
from engine.cli.support import EXIT_OK
from engine.cli.usage import Parser, language_of
from engine.i18n import LANGUAGES
from engine.savings.uncertainty import DEFAULT_SEED, MAX_DRAWS

Command = Callable[[argparse.Namespace], dict[str, Any]]


def _later(module: str, function: str) -> Command:
    """A command whose module is imported only when it runs.

    ``validate`` should not pay for importing statsmodels (about a second) that only ``power`` needs.
    """

    def run(args: argparse.Namespace) -> dict[str, Any]:
        command: Command = getattr(importlib.import_module(module), function)
        return command(args)

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m engine", description="Utfallskompassen engine")
    parser.add_argument("--lang", choices=LANGUAGES, default="sv", help="language of messages (sv or en)")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a scenario file (format v1)")
    validate.add_argument("file")
    validate.set_defaults(run=_later("engine.cli.validate", "run_validate"))

    evaluate = commands.add_parser("evaluate", help="savings, present values and break-even of a scenario file")
    evaluate.add_argument("file")
    # Read as text and checked in the command, so that a bad value is reported in --lang.
    evaluate.add_argument("--draws", metavar="N", help=f"Monte Carlo draws, 1-{MAX_DRAWS} (default: none)")
    evaluate.add_argument("--seed", metavar="S", help=f"random seed, a whole number >= 0 (default {DEFAULT_SEED})")
    evaluate.set_defaults(run=_later("engine.cli.evaluate", "run_evaluate"))

    compare = commands.add_parser("compare", help="every instrument on the same Monte Carlo draws")
    compare.add_argument("file")
    compare.add_argument("--draws", metavar="N", help=f"Monte Carlo draws, 1-{MAX_DRAWS} (default 10000)")
    compare.add_argument("--seed", metavar="S", help=f"random seed, a whole number >= 0 (default {DEFAULT_SEED})")
    compare.set_defaults(run=_later("engine.cli.compare", "run_compare"))

    recommend = commands.add_parser("recommend", help="rank the instruments from a questionnaire answer file")
    recommend.add_argument("file", help='JSON file {"answers": {question id: value}}')
    recommend.set_defaults(run=_later("engine.cli.recommend", "run_recommend"))

    power = commands.add_parser("power", help="sample size, achieved power and minimum detectable effect")
    power.add_argument("--metric", required=True, help="proportion or mean")
    power.add_argument("--baseline", required=True, metavar="X", help="value without the intervention")
    power.add_argument("--target", required=True, metavar="Y", help="value the intervention aims for")
    power.add_argument("--sd", metavar="S", help="standard deviation (required for --metric mean)")
    power.add_argument("--alpha", metavar="A", help="significance level, two-sided (default 0.05)")
    power.add_argument("--power", metavar="P", help="wanted power (default 0.8)")
    power.add_argument("--n", metavar="N", help="planned participants per group")
    power.add_argument("--ratio", metavar="R", help="size of the second group relative to the first (default 1)")
    power.set_defaults(run=_later("engine.cli.power", "run_power"))

    memo = commands.add_parser("memo", help="the decision memo (beslutsunderlag) of a scenario file as a Word document")
    memo.add_argument("file")
    memo.add_argument("--out", required=True, metavar="PATH.docx", help="the Word file to write (.docx)")
    memo.add_argument("--answers", metavar="ANSWERS.json", help="questionnaire answers: the proposal follows them")
    memo.add_argument("--targets", metavar="TARGETS.json", help="the scenario's effect targets (utfallskompassen.targets/1)")
    # Also accepted after the command, as DESIGN.md writes it; SUPPRESS keeps a --lang given before it.
    memo.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the memo (sv or en)")
    memo.set_defaults(run=_later("engine.cli.memo", "run_memo"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: the process's arguments) and return the exit code.

    Never raises and never prints a traceback (see :mod:`engine.cli.guard`), except ``SystemExit(0)``
    after ``--help``.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    return guarded(lambda: _run(words), language_of(words))


def _run(words: list[str]) -> int:
    args = build_parser().parse_args(words)
    run: Command = args.run
    print_json(run(args), args.lang)
    return EXIT_OK
