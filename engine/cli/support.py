"""Shared pieces of the command line: reading input files and refusing bad input.

A command is a function ``run(args) -> dict`` that returns the JSON to print, or raises
:class:`Refused` (or :class:`~engine.errors.InputError`) to end with exit code 2 and the problems on
stderr. Each command module reads its options as text and checks them itself, so that a bad value is
reported in ``--lang`` (argparse would answer in English only).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Sequence

from engine.cli.overflow import clamped_json
from engine.errors import InputError, Problem
from engine.i18n import format_number, translate
from engine.scenario import LARGEST_AMOUNT, MAX_FILE_BYTES, Scenario, parse_scenario

EXIT_OK = 0
#: The input was refused: a file, an option or the command line itself (DESIGN.md).
EXIT_INVALID = 2
#: A fault in the engine, which no change of input can mend ("internal error").
EXIT_BUG = 1
#: Stopped with Ctrl-C: the shells' convention (128 + SIGINT).
EXIT_INTERRUPTED = 130

#: numpy accepts larger seeds; this bound keeps the number exact in JSON readers that use doubles.
MAX_SEED = 2**32 - 1

#: Characters that no file name typed on purpose contains; NUL cannot be passed to the system at all.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: How much of a path a message repeats.
_SHOWN_PATH = 120


class Refused(Exception):
    """Raised inside a command to end it with exit 2 and these problems on stderr."""

    def __init__(self, heading: str, problems: Sequence[Problem]):
        super().__init__(heading)
        self.heading = heading
        self.problems = problems


def shown_path(path: str) -> str:
    """A path as a message repeats it: at most :data:`_SHOWN_PATH` characters (stderr escapes the rest)."""
    return path if len(path) <= _SHOWN_PATH else path[:_SHOWN_PATH] + "…"


def read_input_file(path: str, lang: str, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a file the user named, turning every way it can fail into a refusal (exit 2).

    At most ``limit + 1`` bytes are read, so that an oversized file is reported, not loaded whole.
    The file is opened without blocking and its type checked on the open descriptor: a named pipe
    would otherwise wait forever for a writer, and a check of the path before opening could be
    fooled by a swap in between.
    """
    shown = shown_path(path)
    if _CONTROL.search(path):
        raise Refused(translate("cli.file.control_character", lang, path=shown), [])
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise Refused(translate("cli.file.folder", lang, path=shown), [])
            if not stat.S_ISREG(mode):
                raise Refused(translate("cli.file.special", lang, path=shown), [])
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise Refused(_unreadable(exc, path, lang), []) from None
    return raw if len(raw) > limit else _checked_content(raw, shown, lang)


def _unreadable(exc: OSError, path: str, lang: str) -> str:
    """Why the file cannot be read, in the user's language where the reason is a common one."""
    shown = shown_path(path)
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return translate("cli.file_missing", lang, path=shown)
    if exc.errno == errno.EISDIR:
        return translate("cli.file.folder", lang, path=shown)
    if exc.errno == errno.ENAMETOOLONG:
        return translate("cli.file.name_too_long", lang, path=shown, length=format_number(len(path), lang))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return translate("cli.file.no_permission", lang, path=shown)
    return translate("cli.file_unreadable", lang, path=shown, reason=exc.strerror or exc)


def _checked_content(raw: bytes, shown: str, lang: str) -> bytes:
    """Refuse an empty file, or one with NUL bytes (binary, or UTF-16 text), with a plain reason
    rather than the JSON parser's "line 1, column 1". (An oversized file is left to the size check
    of its reader, which names the limit.)"""
    if not raw.strip():
        raise Refused(translate("cli.file.empty", lang, path=shown), [])
    if b"\x00" in raw:
        raise Refused(translate("cli.file.binary", lang, path=shown), [])
    return raw


def load_scenario_file(path: str, lang: str) -> Scenario:
    """Read and validate a scenario file, or refuse with every problem found.

    A number too large for a double (``1e400``) is reported as the field's own limit; see
    :mod:`engine.cli.overflow`. Deeply nested lists are reported by :func:`parse_scenario`.
    """
    raw = read_input_file(path, lang)
    try:
        return parse_scenario(raw, lang)
    except InputError as exc:
        problems: Sequence[Problem] = exc.problems
    except ValueError:  # an integer of thousands of digits, which Python will not read
        problems = ()
    clamped = clamped_json(raw) if len(raw) <= MAX_FILE_BYTES else None
    if clamped is not None:
        try:
            parse_scenario(clamped, lang)
        except InputError as exc:
            problems = exc.problems
    if not problems:  # cannot happen with today's limits on every number field; said plainly if it does
        largest = format_number(LARGEST_AMOUNT, lang)
        raise Refused(translate("cli.input.number_too_large", lang, path=shown_path(path), largest=largest), [])
    raise Refused(translate("cli.problems_heading", lang, count=len(problems), path=shown_path(path)), problems)


def whole_number(text: str | None, option: str, key: str, low: int, high: int, lang: str) -> int | None:
    """Parse a whole-number option (None when absent), or refuse with the message under ``key``.

    The message may use ``{limit}`` (``high`` in the language's format) and ``{value}`` (what was typed).
    """
    if text is None:
        return None
    try:
        number = int(text.strip())
    except ValueError:  # not a whole number, or thousands of digits long
        number = None
    if number is None or not low <= number <= high:
        limit = format_number(high, lang)
        problem = Problem(option, translate(key, lang, limit=limit, value=text[:40]), "option_range")
        raise Refused(translate("cli.invalid_option", lang), [problem])
    return number
