"""``python -m engine memo FILE --out PATH.docx [--answers ANSWERS.json] [--targets TARGETS.json] [--lang sv|en]``:
the decision memo (beslutsunderlag) of a scenario file as a Word document.

Prints what was written: ``{"path", "lang", "title", "bytes", "sections": [{"key", "heading"}],
"figures", "images", "tables", "chart_notes"}``. ``images`` is the number of charts that became
pictures; without Chrome or Chromium it is 0, each chart has a note in its place (``chart_notes``)
and the document is still written.

Bad input ends with exit 2 and the problem on stderr in ``--lang``, before any work is done where
it can be: an output path that is a folder, does not end in ``.docx``, lies in a folder that does
not exist or cannot be written; a scenario that fails validation or whose name Word cannot hold;
answers that do not match the questionnaire; a targets file that does not validate or names an
outcome the scenario lacks. The document is written to a temporary file in the target folder and
moved into place only when it is whole, so a refusal or a failure never leaves half a file.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

from engine.cli.support import Refused, load_scenario_file, read_input_file, shown_path
from engine.errors import InputError, Problem
from engine.i18n import format_number, translate
from engine.scenario import MAX_FILE_BYTES, Scenario

#: Characters no file name typed on purpose contains.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Characters a Word document (XML 1.0) cannot hold; see engine.memo.docx.clean_text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def run_memo(args: argparse.Namespace) -> dict[str, Any]:
    """Write the memo of ``args.file`` to ``args.out`` (exit 2 on bad input, nothing half-written)."""
    lang = args.lang
    out = _checked_output(args.out, lang)
    scenario = load_scenario_file(args.file, lang)
    _check_name(scenario, lang)
    answers = _load_answers(args.answers, lang) if args.answers is not None else None
    targets = _load_targets(args.targets, scenario, lang) if args.targets is not None else None

    # Imported here: plotly, python-docx and the charts are needed by this command only.
    from engine.memo.content import build_memo
    from engine.memo.docx import render_docx, start_images_in_background

    # The temporary file is made before the work, so an unwritable folder is told at once.
    handle, temporary = _temporary_beside(out, lang)
    start_images_in_background()  # the browser starts while the engine computes
    try:
        memo = build_memo(scenario, lang=lang, answers=answers, targets=targets)
        rendered = render_docx(memo)
        with os.fdopen(handle, "wb") as stream:
            handle = -1
            stream.write(rendered.data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, out)
    except OSError as exc:
        raise Refused(translate("memo.cli.out_not_writable", lang, path=shown_path(str(out)),
                                reason=exc.strerror or exc), []) from None
    finally:
        if handle >= 0:
            os.close(handle)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return {
        "path": str(out),
        "lang": lang,
        "title": memo.title,
        "bytes": len(rendered.data),
        "sections": [{"key": section.key, "heading": section.heading} for section in memo.sections],
        "figures": len(memo.figures),
        "images": rendered.images,
        "tables": len(memo.tables),
        "chart_notes": list(rendered.notes),
    }


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _checked_output(path: str, lang: str) -> Path:
    """The output path, or a refusal when it cannot be the memo's file."""
    shown = shown_path(path)
    if _CONTROL.search(path):
        raise Refused(translate("memo.cli.out_control_character", lang, path=shown), [])
    out = Path(path)
    if path.endswith(os.sep) or out.is_dir():
        raise Refused(translate("memo.cli.out_folder", lang, path=shown.rstrip(os.sep) or os.sep), [])
    if out.suffix.lower() != ".docx":
        raise Refused(translate("memo.cli.out_suffix", lang, path=shown), [])
    folder = out.parent
    if not folder.is_dir():
        raise Refused(translate("memo.cli.out_parent_missing", lang, path=shown, folder=shown_path(str(folder))), [])
    try:
        mode = out.lstat().st_mode
    except FileNotFoundError:
        return out
    except OSError as exc:
        raise Refused(translate("memo.cli.out_not_writable", lang, path=shown, reason=exc.strerror or exc), []) from None
    # Replacing a device, a pipe or a link would not write a file where the user expects one.
    if not stat.S_ISREG(mode):
        raise Refused(translate("memo.cli.out_special", lang, path=shown), [])
    return out


def _temporary_beside(out: Path, lang: str) -> tuple[int, str]:
    """A new hidden file in the output's folder (so ``os.replace`` is one rename on one file system)."""
    try:
        return tempfile.mkstemp(prefix=f".{out.name[:40]}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise Refused(translate("memo.cli.out_not_writable", lang, path=shown_path(str(out)),
                                reason=exc.strerror or exc), []) from None


def _check_name(scenario: Scenario, lang: str) -> None:
    found = _NOT_XML.search(scenario.name)
    if found is not None:
        character = f"U+{ord(found.group()):04X}"
        raise Refused(translate("memo.cli.name_characters", lang, character=character), [])


def _load_answers(path: str, lang: str) -> dict[str, str | float]:
    from engine.questionnaire.scoring import MAX_ANSWERS_BYTES, parse_answers

    raw = read_input_file(path, lang, limit=MAX_ANSWERS_BYTES)
    try:
        return parse_answers(raw, lang)
    except InputError as exc:
        heading = translate("memo.cli.answers_heading", lang, count=len(exc.problems), path=shown_path(path))
        raise Refused(heading, exc.problems) from None
    except RecursionError:
        raise Refused(translate("cli.input.too_deep", lang, path=shown_path(path)), []) from None


def _load_targets(path: str, scenario: Scenario, lang: str) -> Any:
    from engine.targets.design import parse_targets_document

    raw = read_input_file(path, lang, limit=MAX_FILE_BYTES)
    shown = shown_path(path)
    if len(raw) > MAX_FILE_BYTES:
        raise Refused(translate("memo.cli.targets_too_large", lang, path=shown,
                                limit=format_number(MAX_FILE_BYTES / 1e6, lang)), [])
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Refused(translate("memo.cli.targets_not_json", lang, path=shown, line=1, column=1), []) from None
    except json.JSONDecodeError as exc:
        raise Refused(translate("memo.cli.targets_not_json", lang, path=shown, line=exc.lineno, column=exc.colno),
                      []) from None
    except RecursionError:
        raise Refused(translate("cli.input.too_deep", lang, path=shown), []) from None
    except ValueError:  # an integer of thousands of digits
        raise Refused(translate("memo.cli.targets_not_json", lang, path=shown, line=1, column=1), []) from None
    try:
        document = parse_targets_document(data, lang)
    except InputError as exc:
        raise Refused(translate("memo.cli.targets_heading", lang, count=len(exc.problems), path=shown),
                      exc.problems) from None
    names = {outcome.name for outcome in scenario.outcomes}
    problems = [Problem(f"designs[{i}].outcome", translate("memo.cli.targets_unknown_outcome", lang, name=design.outcome),
                        "unknown_outcome")
                for i, design in enumerate(document.designs) if design.outcome not in names]
    if problems:
        raise Refused(translate("memo.cli.targets_heading", lang, count=len(problems), path=shown), problems)
    return document
