"""``python -m engine`` against hostile input: every bad file, argument or environment ends with exit 2
(or the documented code), a plain message on stderr in the chosen language, and stdout either empty
or one valid JSON document without NaN or Infinity. Never a traceback.

The cases are tables. ``SUBPROCESS`` runs a real interpreter per case (about a second each), for
what only a process shows: the entry point, the stack depth, pipes, file permissions, warnings of
the numerical libraries. ``IN_PROCESS`` runs the same ``main`` in the test process
(``tests/engine/cli_runner.py``) for everything else. Paths in a case are written ``{name}`` and
point to the files of the ``files`` fixture.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.cli import support
from engine.i18n import format_number, translate
from engine.questionnaire.scoring import MAX_ANSWERS_BYTES
from engine.scenario import LARGEST_AMOUNT, MAX_FILE_BYTES
from tests.engine.cli_runner import ROOT, run_cli

_EXAMPLE = json.loads((ROOT / "data" / "examples" / "ips.json").read_text(encoding="utf-8"))
_EXAMPLE_TEXT = json.dumps(_EXAMPLE, ensure_ascii=False)
_FIRST_INTAKE = json.dumps(_EXAMPLE["intake"][0])
_POWER = ("power", "--metric", "mean", "--baseline", "1", "--target", "0")


def _scenario_with(field: str, literal: str) -> str:
    """The example scenario with ``field`` set to ``literal``, written as is (``NaN``, ``1e400``)."""
    marker = "__hostile__"
    return json.dumps({**_EXAMPLE, field: marker}, ensure_ascii=False).replace(f'"{marker}"', literal)


def _intake_of(literal: str) -> str:
    """The example scenario whose first intake is ``literal``, written as is."""
    return _EXAMPLE_TEXT.replace(f'"intake": [{_FIRST_INTAKE}', f'"intake": [{literal}', 1)


def _largest(lang: str) -> str:
    """How a field's message states the largest accepted amount (the scenario's own words)."""
    return translate("error.max_value", lang, limit=format_number(LARGEST_AMOUNT, lang))


#: The files the cases read, by name: text (UTF-8) or bytes.
_FILES: dict[str, str | bytes] = {
    "example": _EXAMPLE_TEXT,
    "deep_lists": "[" * 100_000 + "]" * 100_000,
    "deep_objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "deep_answers": '{"answers": ' + "[" * 20_000 + "]" * 20_000 + "}",
    "e308": _intake_of("1e308"),
    "e400": _intake_of("1e400"),
    "minus_e400": _intake_of("-1e400"),
    "rate_e400": _scenario_with("discount_rate", "1e400"),
    "digits_400": _intake_of("1" + "0" * 400),
    "digits_5000": _intake_of("9" * 5000),
    "nan": _scenario_with("discount_rate", "NaN"),
    "infinity": _scenario_with("optimism_bias", "Infinity"),
    "minus_infinity": _intake_of("-Infinity"),
    "nul_in_file": _EXAMPLE_TEXT.encode("utf-8").replace(b'"name": "', b'"name": "\x00', 1),
    "escaped_nul_in_name": json.dumps({**_EXAMPLE, "name": "a\u0000b"}),
    "raw_control_in_string": _EXAMPLE_TEXT.replace('"name": "', '"name": "\x01', 1),
    "escape_in_text": json.dumps({**_EXAMPLE, "description": "\u001b[31mred"}),
    "text_for_number": _scenario_with("discount_rate", '"3,5 %"'),
    "invalid_utf8": b'{"format": "utfallskompassen.scenario/1", "name": "\xff\xfe\x80"}',
    "empty": b"",
    "only_spaces": b" \n\t \n",
    "binary": bytes(range(256)) * 40,
    "utf16": _EXAMPLE_TEXT.encode("utf-16"),
    "oversized": b" " * (MAX_FILE_BYTES + 10) + b"{}",
    "oversized_answers": b'{"answers": {}}' + b" " * MAX_ANSWERS_BYTES,
    "truncated": _EXAMPLE_TEXT[: len(_EXAMPLE_TEXT) // 2],
    "top_list": "[1, 2, 3]",
    "top_string": '"a scenario"',
    "top_number": "1e400",
    "answers_nan": '{"answers": {"volume_msek": NaN}}',
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Every hostile file, plus a folder, a named pipe, a device, a path through a file and a path
    too long for the file system; the folder they are in is readable by anyone (the permission case
    runs as an unprivileged user)."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-cli-"))
    folder.chmod(0o755)
    paths: dict[str, str] = {}
    for name, content in _FILES.items():
        path = folder / f"{name}.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        paths[name] = str(path)
    unreadable = folder / "unreadable.json"
    unreadable.write_text(_EXAMPLE_TEXT, encoding="utf-8")
    unreadable.chmod(0)
    os.mkfifo(folder / "pipe.json")
    paths |= {
        "unreadable": str(unreadable),
        "folder": str(folder),
        "pipe": str(folder / "pipe.json"),
        "device": "/dev/zero",
        "missing": str(folder / "missing.json"),
        "through_a_file": str(folder / "example.json" / "inner.json"),
        "too_long": str(folder / ("a" * 5000 + ".json")),
        "control_path": str(folder / "\x1b[31mred\nfake.json"),
        "nul_path": str(folder / "a\x00b.json"),
    }
    yield paths
    shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Case:
    """One hostile run: ``args`` after ``python -m engine --lang LANG``; the run must end with
    ``code`` and stderr must contain ``says`` (text in ``lang``; empty when the run is quiet)."""

    id: str
    args: tuple[str, ...]
    says: str
    lang: str = "en"
    code: int = 2


SUBPROCESS = [
    Case("valid example: validate", ("validate", "{example}"), "", code=0),
    Case("valid example: evaluate with draws", ("evaluate", "{example}", "--draws", "50", "--seed", "1"), "", code=0),
    Case("deeply nested lists", ("evaluate", "{deep_lists}"), "too many levels"),
    Case("deeply nested answers", ("recommend", "{deep_answers}"), "too many levels deep"),
    Case("number 1e400 beyond a double", ("validate", "{e400}"), _largest("en")),
    Case("integer of 5000 digits", ("compare", "{digits_5000}"), _largest("sv"), lang="sv"),
    Case("NaN literal", ("evaluate", "{nan}"), "contains NaN"),
    Case("NUL bytes in the file", ("validate", "{nul_in_file}"), "NUL-tecken", lang="sv"),
    Case("escape and line break in the path", ("validate", "{control_path}"), "control character"),
    Case("path too long (ENAMETOOLONG)", ("validate", "{too_long}"), "för lång", lang="sv"),
    Case("directory instead of a file", ("evaluate", "{folder}"), "is a folder"),
    Case("named pipe", ("validate", "{pipe}"), "not a regular file"),
    Case("unreadable file", ("validate", "{unreadable}"), "saknar behörighet", lang="sv"),
    Case("invalid UTF-8", ("validate", "{invalid_utf8}"), "not UTF-8"),
    Case("file above MAX_FILE_BYTES", ("validate", "{oversized}"), "at most 2 MB"),
    Case("unknown command", ("frobnicate",), "Okänt kommando frobnicate", lang="sv"),
    Case("--lang xx", ("--lang", "xx", "validate", "{example}"), "Ogiltigt värde xx för --lang", lang="sv"),
    Case("power: negative --n", (*_POWER, "--sd", "1", "--n", "-5"), "from 2 to 10,000,000"),
    Case("power: a non-finite result", ("power", "--metric", "mean", "--baseline", "1e300", "--target", "0",
                                        "--sd", "1e-300"), "inte ett ändligt tal", lang="sv"),
    Case("power: negative number read as an option", ("power", "--metric", "mean", "--baseline", "1",
                                                      "--target", "-1e308"), "--target needs a value"),
]

IN_PROCESS = [
    Case("deeply nested objects", ("validate", "{deep_objects}"), "too many levels"),
    Case("number 1e308 above the largest amount", ("evaluate", "{e308}"), _largest("en")),
    Case("number -1e400", ("validate", "{minus_e400}"), "Must not be less than 0."),
    Case("discount rate 1e400", ("validate", "{rate_e400}"), "Får inte vara större än 0,25", lang="sv"),
    Case("integer of 400 digits", ("validate", "{digits_400}"), _largest("sv"), lang="sv"),
    Case("Infinity literal", ("compare", "{infinity}"), "contains Infinity"),
    Case("-Infinity literal", ("validate", "{minus_infinity}"), "innehåller -Infinity", lang="sv"),
    Case("escaped NUL in a name", ("validate", "{escaped_nul_in_name}"), "name: The text contains an invisible"),
    Case("ESC in a text", ("validate", "{escape_in_text}"), "description: The text contains an invisible"),
    Case("raw control character in a string", ("validate", "{raw_control_in_string}"), "not valid JSON"),
    Case("text where a number belongs", ("validate", "{text_for_number}"), "discount_rate: Must be a number"),
    Case("NUL in the path argument", ("validate", "{nul_path}"), "osynligt styrtecken", lang="sv"),
    Case("NUL in an option value", (*_POWER[:2], "x\x00y", *_POWER[3:]), 'unknown metric “x\\x00y”'),
    Case("missing file", ("compare", "{missing}"), "finns inte", lang="sv"),
    Case("path through a file (ENOTDIR)", ("validate", "{through_a_file}"), "does not exist"),
    Case("character device", ("validate", "{device}"), "not a regular file"),
    Case("empty file", ("evaluate", "{empty}"), "is empty"),
    Case("only white space", ("recommend", "{only_spaces}"), "är tom", lang="sv"),
    Case("binary file", ("compare", "{binary}"), "NUL characters"),
    Case("UTF-16 file", ("validate", "{utf16}"), "UTF-16"),
    Case("answers above MAX_ANSWERS_BYTES", ("recommend", "{oversized_answers}"), "at most 200 kB"),
    Case("truncated JSON", ("validate", "{truncated}"), "not valid JSON"),
    Case("top level a list", ("validate", "{top_list}"), "must contain a JSON object"),
    Case("top level a string", ("recommend", "{top_string}"), "must be a JSON object"),
    Case("top level a number", ("evaluate", "{top_number}"), "JSON-objekt", lang="sv"),
    Case("NaN in an answer file", ("recommend", "{answers_nan}"), "not valid JSON"),
    Case("no command", (), "must be given on the command line: command"),
    Case("no file", ("validate",), "must be given on the command line: file"),
    Case("an extra argument", ("validate", "{example}", "more"), "Unknown arguments: more"),
    Case("power: --n 1e400", (*_POWER, "--sd", "1", "--n", "1e400"), "from 2 to 10,000,000 (given: 1e400)"),
    Case("power: --baseline 1e400", (*_POWER[:4], "1e400", *_POWER[5:], "--sd", "1"), "1e400 är för stort",
         lang="sv"),
    Case("power: negative --sd", (*_POWER, "--sd", "-1"), "greater than 0"),
    Case("power: text for a number", (*_POWER, "--sd", "ett"), "must be a number (given: ett)"),
    Case("--draws negative", ("evaluate", "{example}", "--draws", "-5"), "från 1 till", lang="sv"),
    Case("--draws huge", ("compare", "{example}", "--draws", "9" * 60), "from 1 to"),
    Case("--seed negative", ("evaluate", "{example}", "--seed", "-1"), "from 0 to"),
]


def _command(case: Case, files: dict[str, str]) -> list[str]:
    return ["--lang", case.lang, *(word.format_map(files) for word in case.args)]


def _assert_plain_ending(case: Case, code: int, stdout: str, stderr: str) -> None:
    """The invariants of every run: the exit code, no traceback, the message, clean stdout."""
    assert code == case.code, stderr
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert "Warning" not in stderr  # numerical libraries' warnings stay off the user's screen
    assert "\x1b" not in stderr  # a user's text cannot colour or move the terminal
    assert case.says in stderr
    if case.code == 0:
        assert stderr == ""
    _assert_json_or_nothing(stdout, expect_json=case.code == 0)


def _assert_json_or_nothing(stdout: str, *, expect_json: bool) -> None:
    if not expect_json:
        assert stdout == ""
        return

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} on stdout")

    json.loads(stdout, parse_constant=refuse)


def _subprocess(arguments: list[str], *, prefix: tuple[str, ...] = (), **options: object
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "engine", *arguments], cwd=ROOT, text=True,
                          encoding="utf-8", errors="backslashreplace", timeout=60, check=False,
                          **options)  # type: ignore[call-overload]


def _as_plain_user() -> tuple[str, ...]:
    """A command prefix that runs root's subprocess as a plain user, for whom file permissions
    hold (root reads any file). ``setpriv`` rather than ``os.setuid``: the interpreter lives under
    /root, which a plain user may not enter, and setpriv lets it start there."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("the tests run as root and setpriv (util-linux) is missing, so no file is unreadable")
    return (setpriv, "--reuid=65534", "--regid=65534", "--clear-groups")


@pytest.mark.parametrize("case", SUBPROCESS, ids=lambda case: case.id)
def test_a_hostile_run_as_a_subprocess_ends_plainly(case: Case, files: dict[str, str]) -> None:
    prefix = _as_plain_user() if case.id == "unreadable file" else ()
    done = _subprocess(_command(case, files), prefix=prefix, capture_output=True)
    _assert_plain_ending(case, done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize("case", IN_PROCESS, ids=lambda case: case.id)
def test_a_hostile_run_in_process_ends_plainly(case: Case, files: dict[str, str]) -> None:
    done = run_cli(*_command(case, files))
    _assert_plain_ending(case, done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize("command", [("validate", "{example}"), ("--help",)], ids=["result", "help"])
def test_a_reader_that_leaves_early_is_no_error(command: tuple[str, ...], files: dict[str, str]) -> None:
    """``| head -c1``: the pipe's reading end is gone before anything is written."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        arguments = [word.format_map(files) for word in command]
        done = _subprocess(arguments, stdout=writing, stderr=subprocess.PIPE)
    finally:
        os.close(writing)
    assert done.returncode == 0
    assert done.stderr == ""


def test_a_full_disk_under_stdout_is_refused_plainly(files: dict[str, str]) -> None:
    """No command has ``--out`` yet; stdout on a device that takes nothing is the same failure."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        done = _subprocess(["--lang", "sv", "validate", files["example"]], stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert "Resultatet kunde inte skrivas" in done.stderr
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr


def _failing(exception: BaseException):
    def run(_args: object) -> dict[str, object]:
        raise exception

    return run


def test_a_bug_is_an_internal_error_with_exit_1_in_one_line(monkeypatch: pytest.MonkeyPatch,
                                                              files: dict[str, str]) -> None:
    monkeypatch.delenv("UTFALLSKOMPASSEN_DEBUG", raising=False)
    monkeypatch.setattr("engine.cli.validate.run_validate", _failing(ZeroDivisionError("oops\nsecond line")))
    done = run_cli("--lang", "en", "validate", files["example"])
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "Internal error" in done.stderr
    assert "ZeroDivisionError: oops\\nsecond line" in done.stderr


def test_debug_mode_lets_a_bug_show_its_traceback(monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> None:
    monkeypatch.setenv("UTFALLSKOMPASSEN_DEBUG", "1")
    monkeypatch.setattr("engine.cli.validate.run_validate", _failing(ZeroDivisionError("oops")))
    with pytest.raises(ZeroDivisionError):
        run_cli("validate", files["example"])


def test_ctrl_c_exits_130_with_one_word(monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> None:
    monkeypatch.setattr("engine.cli.validate.run_validate", _failing(KeyboardInterrupt()))
    done = run_cli("--lang", "sv", "validate", files["example"])
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "Avbrutet.\n")


def test_a_file_the_system_refuses_to_read_is_named(monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> None:
    """Permission as the system reports it on open, also where the tests run as root."""

    def refuse(*_: object, **__: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(support.os, "open", refuse)
    done = run_cli("--lang", "en", "validate", files["example"])
    assert done.returncode == 2
    assert "you do not have permission to read it" in done.stderr


def test_a_non_finite_result_is_refused_with_its_place(monkeypatch: pytest.MonkeyPatch,
                                                        files: dict[str, str]) -> None:
    """Whatever a command computes, NaN never reaches stdout: the run is refused and says where."""
    monkeypatch.setattr("engine.cli.validate.run_validate", lambda _args: {"a": [1.0, float("nan")]})
    done = run_cli("--lang", "en", "validate", files["example"])
    assert (done.returncode, done.stdout) == (2, "")
    assert "not a finite number (at a[1])" in done.stderr


def test_the_table_covers_every_kind_once() -> None:
    """Each case names one bad-input kind; a repeated id would hide one."""
    ids = [case.id for case in SUBPROCESS + IN_PROCESS]
    assert len(ids) == len(set(ids))


def test_files_are_what_their_names_say(files: dict[str, str]) -> None:
    assert stat.S_ISFIFO(os.stat(files["pipe"]).st_mode)
    assert Path(files["oversized"]).stat().st_size > MAX_FILE_BYTES
    assert b"\x00" not in Path(files["invalid_utf8"]).read_bytes()

