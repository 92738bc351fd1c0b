"""Mistakes on the command line itself (unknown command, missing or unknown option), in ``--lang``.

argparse would print its usage and an English message and exit; here its parser raises
:class:`UsageError` instead, and :func:`usage_message` says the same in the user's language. The
language comes from :func:`language_of`, which reads ``--lang`` before argparse has, since a
mistake elsewhere on the line stops argparse before it reports any value.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import NoReturn

from engine.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate


class UsageError(Exception):
    """argparse's complaint about the command line, in argparse's (English) words."""


class Parser(argparse.ArgumentParser):
    """An argparse parser that raises :class:`UsageError` rather than printing and exiting.

    Sub-command parsers are made of the same class (argparse uses the parent's type).
    """

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def language_of(argv: Sequence[str]) -> str:
    """The language asked for with ``--lang X`` or ``--lang=X``; Swedish when absent or unknown.

    >>> language_of(["--lang", "en", "frobnicate"]), language_of(["--lang=xx"]), language_of([])
    ('en', 'sv', 'sv')
    """
    for position, word in enumerate(argv):
        if word == "--lang" and position + 1 < len(argv):
            wanted = argv[position + 1]
        elif word.startswith("--lang="):
            wanted = word.partition("=")[2]
        else:
            continue
        return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


# argparse's messages (Python 3.11-3.13), matched loosely: a message we do not recognise is still
# shown, word for word, under a translated heading.
_INVALID_CHOICE = re.compile(r"argument (?P<option>\S+?): invalid choice: '?(?P<value>.*?)'? \(choose from (?P<choices>.*)\)")
_REQUIRED = re.compile(r"the following arguments are required: (?P<names>.*)")
_UNRECOGNISED = re.compile(r"unrecognized arguments: (?P<names>.*)")
_EXPECTED_ONE = re.compile(r"argument (?P<option>\S+?): expected one argument")


def usage_message(complaint: str, lang: str) -> str:
    """argparse's ``complaint`` said in ``lang``.

    >>> usage_message("argument command: invalid choice: 'frob' (choose from 'validate', 'power')", "en")
    'Unknown command frob. Choose one of: validate, power.'
    >>> usage_message("argument --metric: expected one argument", "en")
    '--metric needs a value. Write a negative number like this: --metric=-5.'
    """
    if match := _INVALID_CHOICE.fullmatch(complaint):
        choices = match["choices"].replace("'", "")
        option = match["option"]
        if option == "command":
            return translate("cli.usage.unknown_command", lang, value=match["value"], choices=choices)
        return translate("cli.usage.invalid_choice", lang, option=option.split("/")[0], value=match["value"],
                         choices=choices)
    if match := _REQUIRED.fullmatch(complaint):
        return translate("cli.usage.missing", lang, names=match["names"])
    if match := _UNRECOGNISED.fullmatch(complaint):
        return translate("cli.usage.unrecognized", lang, names=match["names"])
    if match := _EXPECTED_ONE.fullmatch(complaint):
        return translate("cli.usage.expected_value", lang, option=match["option"].split("/")[0])
    return translate("cli.usage.other", lang, detail=complaint)
