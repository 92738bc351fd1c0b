"""Shared pieces of the command line: reading input files and refusing bad input.

A command is a function ``run(args) -> dict`` that returns the JSON to print, or raises
:class:`Refused` (or :class:`~engine.errors.InputError`) to end with exit code 2 and the problems on
stderr. Each command module reads its options as text and checks them itself, so that a bad value is
reported in ``--lang`` (argparse would answer in English only).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from engine.errors import InputError, Problem
from engine.i18n import format_number, translate
from engine.scenario import MAX_FILE_BYTES, Scenario, parse_scenario

EXIT_OK = 0
EXIT_INVALID = 2

#: numpy accepts larger seeds; this bound keeps the number exact in JSON readers that use doubles.
MAX_SEED = 2**32 - 1


class Refused(Exception):
    """Raised inside a command to end it with exit 2 and these problems on stderr."""

    def __init__(self, heading: str, problems: Sequence[Problem]):
        super().__init__(heading)
        self.heading = heading
        self.problems = problems


def read_input_file(path: str, lang: str, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a file the user named, turning I/O failures into a refusal (exit 2).

    At most ``limit + 1`` bytes are read, so that an oversized file is reported, not loaded whole.
    """
    file = Path(path)
    if not file.is_file():
        raise Refused(translate("cli.file_missing", lang, path=path), [])
    try:
        with file.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise Refused(translate("cli.file_unreadable", lang, path=path, reason=exc.strerror or exc), []) from None


def load_scenario_file(path: str, lang: str) -> Scenario:
    """Read and validate a scenario file, or refuse with every problem found."""
    raw = read_input_file(path, lang)
    try:
        return parse_scenario(raw, lang)
    except InputError as exc:
        raise Refused(translate("cli.problems_heading", lang, count=len(exc.problems), path=path), exc.problems) from None


def whole_number(text: str | None, option: str, key: str, low: int, high: int, lang: str) -> int | None:
    """Parse a whole-number option (None when absent), or refuse with the message under ``key``.

    The message may use ``{limit}`` (``high`` in the language's format) and ``{value}`` (what was typed).
    """
    if text is None:
        return None
    try:
        number = int(text.strip())
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        limit = format_number(high, lang)
        problem = Problem(option, translate(key, lang, limit=limit, value=text[:40]), "option_range")
        raise Refused(translate("cli.invalid_option", lang), [problem])
    return number
