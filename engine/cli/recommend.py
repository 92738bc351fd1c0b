"""``python -m engine recommend ANSWERS.json``: rank the instruments for one answer file.

The file is ``{"answers": {question id: value}}`` (optionally with ``"format":
"utfallskompassen.answers/1"``). Output: the ranking best first (score 0-100, exclusions and the
strongest reasons in ``--lang``), ``stability`` 0..1, the confidence, what would change the first
choice, and the legal notes. Bad input (unknown question or option, text or NaN in a number
field, a number out of range) ends with exit 2 and one line per problem on stderr.
"""

from __future__ import annotations

import argparse
from typing import Any

from engine.cli.support import Refused, read_input_file, shown_path
from engine.errors import InputError
from engine.i18n import translate
from engine.questionnaire.scoring import MAX_ANSWERS_BYTES, parse_answers, recommend, recommendation_to_json


def run_recommend(args: argparse.Namespace) -> dict[str, Any]:
    raw = read_input_file(args.file, args.lang, limit=MAX_ANSWERS_BYTES)
    try:
        answers = parse_answers(raw, args.lang)
    except InputError as exc:
        heading = translate("questionnaire.cli.heading", args.lang, count=len(exc.problems), path=shown_path(args.file))
        raise Refused(heading, exc.problems) from None
    except RecursionError:  # lists thousands deep: Python's JSON reader gives up (the 200 kB limit allows it)
        raise Refused(translate("cli.input.too_deep", args.lang, path=shown_path(args.file)), []) from None
    return recommendation_to_json(recommend(answers), args.lang)
