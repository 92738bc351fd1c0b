"""``python -m engine``: the command line (:mod:`engine.cli`).

:func:`engine.cli.main` ends every run with an exit code and plain messages, never a traceback.
What it cannot guard is its own import; a failure there (a broken installation, Ctrl-C while
numpy loads) is told here in one line, before any catalog of messages can be trusted.
"""

import os
import sys


def _start() -> int:
    try:
        from engine.cli import main
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("UTFALLSKOMPASSEN_DEBUG", "").strip() not in ("", "0"):
            raise
        print(f"Utfallskompassen: internt fel vid start / internal error on start-up ({type(exc).__name__}).",
              file=sys.stderr)
        return 1
    return main()


sys.exit(_start())
