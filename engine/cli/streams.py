"""What the command line writes: JSON on stdout, plain lines on stderr.

Both streams are read by people and by other programs on a shared server, so neither may carry
anything the reader did not ask for: stdout holds one valid JSON document or nothing (never
``NaN`` or ``Infinity``, which JSON does not have), and stderr holds lines of text in which a
user's own input (a file name, an option value) cannot smuggle in control characters that move
the cursor, recolour the terminal or fake a second line.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from typing import Any

from engine.cli.support import Refused
from engine.i18n import translate

#: C0 and C1 control characters (line breaks too: each message is one line), bidirectional
#: overrides and lone surrogates (undecodable bytes in a file name).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: How much of a user's text a message repeats: enough to recognise it, never a page of it.
SHOWN_CHARACTERS = 120


def plain(text: object) -> str:
    r"""``text`` with every unprintable character written as an escape, so it shows as itself.

    >>> plain("a\x00b\x1b[31m\nc")
    'a\\x00b\\x1b[31m\\nc'
    """
    return _UNPRINTABLE.sub(lambda match: _escape(match.group()), str(text))


def _escape(character: str) -> str:
    code = ord(character)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(character) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def shown(text: object) -> str:
    """A user's text as a message repeats it: printable and at most :data:`SHOWN_CHARACTERS` long.

    >>> shown("a" * 500)[-4:], len(shown("a" * 500))
    ('aaa…', 121)
    """
    printable = plain(text)
    return printable if len(printable) <= SHOWN_CHARACTERS else printable[:SHOWN_CHARACTERS] + "…"


def say(*lines: str) -> None:
    """Write lines to stderr, each made printable. A closed or broken stderr is ignored: there is
    nobody left to tell, and failing over it would only produce the traceback we avoid."""
    try:
        for line in lines:
            sys.stderr.write(plain(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def print_json(result: Any, lang: str) -> None:
    """Write ``result`` to stdout as JSON, or refuse (exit 2) when it holds a non-finite number.

    The text is made whole before the first byte is written, so a refusal never leaves half a
    document behind. When the reader has gone (``| head -c1``) the rest is dropped quietly: that
    is the reader's choice, not a failure of ours.
    """
    try:
        text = json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    except ValueError:
        where = _first_non_finite(result, "")
        if where is None:
            raise  # not a number problem (say, a circular reference): a bug, reported as such
        raise Refused(translate("cli.output.not_finite", lang, path=where or "/"), []) from None
    stream = sys.stdout
    if stream is None:  # started with stdout closed (`>&-`): nobody to write to
        return
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            # JSON is UTF-8 whatever the terminal's locale says (RFC 8259).
            stream.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            stream.write(text)
            stream.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as exc:
        silence_stdout()
        raise Refused(translate("cli.output.write_failed", lang, reason=exc.strerror or exc), []) from None


def silence_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's final flush of what is still
    buffered cannot fail a second time and print "Exception ignored" on stderr."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # in-process runs write to a StringIO, which has no descriptor and never breaks


def _first_non_finite(value: Any, path: str) -> str | None:
    """The JSON path of the first NaN or infinity in ``value`` (``""`` for the value itself), or
    None when it has none. Results are a few levels deep, so recursion is safe here.

    >>> _first_non_finite({"a": [1.0, float("nan")]}, "")
    'a[1]'
    """
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if isinstance(value, dict):
        children = ((f"{path}.{key}" if path else str(key), child) for key, child in value.items())
    elif isinstance(value, (list, tuple)):
        children = ((f"{path}[{index}]", child) for index, child in enumerate(value))
    else:
        return None
    for where, child in children:
        found = _first_non_finite(child, where)
        if found is not None:
            return found
    return None
