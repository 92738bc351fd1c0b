"""``python -m engine power``: sample size, achieved power and minimum detectable effect.

Options arrive as text and are read here, so a bad value is explained in ``--lang`` (decimal comma or
point both work: ``--baseline 0,45``). Every bad option is reported, each with its name, and the
command exits 2. ``--metric`` is ``proportion`` or ``mean`` (``paired`` for a before-after design on
the same participants, with ``--sd`` the outcome's standard deviation and an assumed before-after
correlation of 0.5). See :mod:`engine.targets.power` for the statistics.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from engine.cli.support import Refused
from engine.errors import InputError, Problem
from engine.i18n import format_number, translate
from engine.numbers import parse_number
from engine.targets.power import (
    DEFAULT_ALPHA,
    DEFAULT_POWER,
    DEFAULT_RATIO,
    MAX_N,
    METRICS,
    PowerQuestion,
    analyse_power,
    answer_to_json,
)

#: The largest double, about 1.8e308, in the form a message states it: 309 digits would help nobody.
_LARGEST_MANTISSA, _LARGEST_EXPONENT = 1.8, 308


def _not_a_number(option: str, text: str, lang: str) -> Problem:
    """Why ``text`` was not read as a number: too large to compute with (``1e400``), or not one at all."""
    if _overflows(text):
        largest = f"{format_number(_LARGEST_MANTISSA, lang, 1)}e{_LARGEST_EXPONENT}"
        return Problem(option, translate("cli.option.too_large", lang, value=text[:40], largest=largest), "too_large")
    return Problem(option, translate("targets.power.not_a_number", lang, value=text[:40]), "not_a_number")


def _overflows(text: str) -> bool:
    """Whether ``text`` is written as a number but lies beyond the largest double (``-1e400``, ``1,5e999``).

    >>> _overflows("1e400"), _overflows("-1,5e999"), _overflows("1e300"), _overflows("nan"), _overflows("inf")
    (True, True, False, False, False)
    """
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return False
    return math.isinf(value) and not any(word in text.lower() for word in ("inf", "nan"))


def run_power(args: argparse.Namespace) -> dict[str, Any]:
    """Read the options, answer the power question, return the JSON to print (or refuse: exit 2)."""
    lang = args.lang
    problems: list[Problem] = []

    def number(option: str, text: str | None, default: float | None = None) -> float | None:
        if text is None:
            return default
        value = parse_number(text)
        if value is None:
            problems.append(_not_a_number(f"--{option}", text, lang))
        return value

    metric = (args.metric or "").strip().lower()
    if metric not in METRICS:
        problems.append(Problem("--metric", translate("targets.power.metric_unknown", lang, value=args.metric[:40],
                                                      choices="proportion, mean, paired"), "metric_unknown"))
    baseline, target = number("baseline", args.baseline), number("target", args.target)
    sd = number("sd", args.sd)
    alpha = number("alpha", args.alpha, DEFAULT_ALPHA)
    power = number("power", args.power, DEFAULT_POWER)
    ratio = number("ratio", args.ratio, DEFAULT_RATIO)
    n = None
    if args.n is not None:
        value = parse_number(args.n)
        if value is None or not value.is_integer():
            problems.append(Problem("--n", translate("targets.power.n_range", lang, value=args.n[:40],
                                                     limit=format_number(MAX_N, lang)),
                                    "n_range"))
        else:
            n = int(value)
    if problems:
        raise Refused(translate("cli.invalid_option", lang), problems)
    assert baseline is not None
    assert target is not None
    assert alpha is not None
    assert power is not None
    assert ratio is not None
    question = PowerQuestion(metric, baseline, target, sd, alpha, power, n, ratio)
    try:
        answer = analyse_power(question, lang)
    except InputError as exc:
        raise Refused(translate("cli.invalid_option", lang),
                      [Problem(f"--{p.path}", p.message, p.code) for p in exc.problems]) from None
    return answer_to_json(answer)
