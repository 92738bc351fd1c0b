"""The one place where a run of the command line ends: every outcome becomes an exit code and plain
lines on stderr, never a traceback.

Exit codes (DESIGN.md, "Command line", extended where it is silent):

* 0: success, the JSON on stdout;
* 2: the input was refused (a file, an option, the command line), with the reasons on stderr;
* 1: a fault in the engine ("internal error"), which no change of the input can mend;
* 130: interrupted with Ctrl-C.

Warnings of the numerical libraries (statsmodels' "failed to converge", numpy's overflow) are
kept off stderr: what they warn about reaches the user as a refusal or a checked result instead.
``UTFALLSKOMPASSEN_DEBUG=1`` shows the warnings and lets a fault end in its traceback, for the
engineer who has to find it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable

from engine.cli.streams import say, shown, silence_stdout
from engine.cli.support import EXIT_BUG, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, Refused
from engine.cli.usage import UsageError, usage_message
from engine.errors import InputError
from engine.i18n import translate

DEBUG_VARIABLE = "UTFALLSKOMPASSEN_DEBUG"


def debugging() -> bool:
    """Whether the engineer asked for tracebacks and warnings (``UTFALLSKOMPASSEN_DEBUG=1``)."""
    return os.environ.get(DEBUG_VARIABLE, "").strip() not in ("", "0")


def guarded(work: Callable[[], int], lang: str) -> int:
    """Run ``work`` (which returns an exit code) and turn whatever it raises into one."""
    with warnings.catch_warnings():
        if not debugging():
            # Not a filter: statsmodels puts its own "always" filter first when it is imported.
            warnings.showwarning = _keep_quiet
        try:
            return work()
        except Refused as refusal:
            say(refusal.heading, *(f"  {problem}" for problem in refusal.problems))
            return EXIT_INVALID
        except InputError as exc:
            say(*(str(problem) for problem in exc.problems))
            return EXIT_INVALID
        except UsageError as exc:
            say(_message(usage_message, str(exc), lang), _message(translate, "cli.usage.hint", lang))
            return EXIT_INVALID
        except BrokenPipeError:
            # The reader left while argparse printed --help (results are written by print_json,
            # which handles this itself): its choice, not our failure.
            silence_stdout()
            return EXIT_OK
        except KeyboardInterrupt:
            say(_message(translate, "cli.interrupted", lang))
            return EXIT_INTERRUPTED
        except Exception as exc:  # a bug, told in one line (the point of this function)
            if debugging():
                raise
            detail = shown(f"{type(exc).__name__}: {exc}")
            say(_message(translate, "cli.internal_error", lang, detail=detail))
            return EXIT_BUG


def _keep_quiet(*_: object, **__: object) -> None:
    """Show no warning (see the module's docstring)."""


def _message(make: Callable[..., str], *args: str, **params: object) -> str:
    """``make(*args, **params)``: a message from the catalogs, or an English line saying they are
    broken (a key defined twice stops every translation): telling the user must not fail in turn."""
    try:
        return make(*args, **params)
    except Exception as exc:
        return f"Utfallskompassen could not load its messages ({shown(exc)})."
