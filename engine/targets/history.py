"""A measured history (period, value) or a panel (period, group, value), from a table or a CSV file.

CSV files are read the way Swedish Excel writes them as well as the international way:

* separator ``;`` (Swedish Excel), ``,`` or tab, found from the header line;
* decimal comma or point, spaces (also non-breaking) as thousands separators, ``−`` as minus;
* UTF-8 with or without byte-order mark, else Windows-1252 (which Swedish Excel uses; it covers Latin-1's
  letters å, ä, ö);
* columns ``period`` and ``value`` (or Swedish ``värde``; also ``år``/``year``, ``månad``/``month``,
  ``kvartal``/``quarter`` for the period), and ``group``/``grupp`` for a panel;
* periods as years (``2019``), months (``2019-01``, ``2019-1``, ``2019/01``, ``2019M01``) or quarters
  (``2019Q1``, ``2019 Q1``, ``2019-K1``); one kind per file.

Every problem names its row (row 1 is the header). A history needs at least :data:`MIN_POINTS`
periods without gaps or duplicates; files over :data:`MAX_BYTES` or :data:`MAX_ROWS` rows are refused
before they are parsed.

>>> history = read_history_csv("period;värde\\n2016;4,1\\n2017;4,0\\n2018;3,9\\n2019;3,8\\n"
...                            "2020;3,9\\n2021;3,7\\n2022;3,6\\n2023;3,6\\n".encode("cp1252"))
>>> history.frequency, history.periods[:2], history.values[:2]
('year', ('2016', '2017'), (4.1, 4.0))
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from engine.errors import InputError, Problem
from engine.i18n import DEFAULT_LANGUAGE, format_number, translate
from engine.numbers import parse_number

#: Fewest periods a history may have: a trend and its uncertainty need some points to stand on.
MIN_POINTS = 8
#: Largest file and most data rows accepted (a monthly series of 400 years, or a modest panel).
MAX_BYTES = 1_000_000
MAX_ROWS = 10_000
#: Largest size of a value: beyond it the models lose all precision (squares of 1e300 overflow), and no
#: outcome counted per period comes near it (a municipality's whole budget is about 1e10 kronor).
MAX_MAGNITUDE = 1e12
#: Problems listed at most per file (the rest are counted).
_MAX_LISTED = 12

PERIODS_PER_YEAR = {"year": 1, "quarter": 4, "month": 12}

_PERIOD_NAMES = {"period", "perioden", "år", "ar", "year", "månad", "manad", "month", "kvartal", "quarter",
                 "tid", "time", "datum", "date"}
_VALUE_NAMES = {"value", "värde", "varde", "utfall", "outcome", "values", "värden"}
_GROUP_NAMES = {"group", "grupp", "gruppen"}

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})\s*(?:-|/|\.|m|M)\s*(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*(?:q|Q|k|K)\s*([1-4])$")


@dataclass(frozen=True)
class History:
    """One value per period, in time order, without gaps. ``index`` numbers the periods
    consecutively (months since year 0 for monthly data, and so on), so ``index[i+1] == index[i] + 1``."""

    periods: tuple[str, ...]
    values: tuple[float, ...]
    frequency: str
    index: tuple[int, ...]
    #: For a CSV file: the columns read (their headings, or "1" and "2" when read by position) and
    #: whether they were found by position because their headings were not the expected names.
    columns: tuple[str, ...] = ()
    by_position: bool = False

    @property
    def periods_per_year(self) -> int:
        return PERIODS_PER_YEAR[self.frequency]


@dataclass(frozen=True)
class Panel:
    """Rows of (period, group, value) for difference-in-differences; several rows per period and group
    are allowed (one per participant or unit). ``index`` as in :class:`History`."""

    periods: tuple[str, ...]
    groups: tuple[str, ...]
    values: tuple[float, ...]
    frequency: str
    index: tuple[int, ...]

    @property
    def group_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.groups))


# --------------------------------------------------------------------------- numbers and periods


def parse_value(text: str) -> float | None:
    """A value cell: a number (:func:`parse_number`), or a number with a per cent sign, read as a
    share (``46 %`` is 0,46, as a share is stored everywhere in the app); None when it is neither.

    >>> parse_value("46 %"), parse_value("12,5%"), parse_value("3,8"), parse_value("%"), parse_value("12 %%")
    (0.46, 0.125, 3.8, None, None)
    """
    stripped = str(text).strip()
    if stripped.endswith("%"):
        number = parse_number(stripped[:-1])
        return None if number is None else round(number / 100, 12)
    return parse_number(stripped)


def parse_period(text: str) -> tuple[str, int, str] | None:
    """(frequency, consecutive index, canonical label) of a period, or None.

    >>> parse_period("2019"), parse_period("2019-1"), parse_period("2019 K3")
    (('year', 2019, '2019'), ('month', 24228, '2019-01'), ('quarter', 8078, '2019-Q3'))
    """
    text = str(text).strip()
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return "year", year, str(year)
    if match := _MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return "month", year * 12 + month - 1, f"{year}-{month:02d}"
        return None
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        return "quarter", year * 4 + quarter - 1, f"{year}-Q{quarter}"
    return None


def period_label(frequency: str, index: int) -> str:
    """The canonical label of a consecutive period index (the inverse of :func:`parse_period`).

    >>> period_label("month", 24228), period_label("quarter", 8078), period_label("year", 2030)
    ('2019-01', '2019-Q3', '2030')
    """
    if frequency == "month":
        return f"{index // 12}-{index % 12 + 1:02d}"
    if frequency == "quarter":
        return f"{index // 4}-Q{index % 4 + 1}"
    return str(index)


# --------------------------------------------------------------------------- reading


def read_history_csv(data: bytes, lang: str = DEFAULT_LANGUAGE, *, proportion: bool = False) -> History:
    """A history from CSV bytes (see the module docstring); ``proportion`` requires values in 0..1."""
    rows, columns, by_position, first_row = _csv_rows(data, lang, "history", ("period", "value"))
    history = history_from_rows(rows, lang, proportion=proportion, first_row=first_row)
    return replace(history, columns=columns, by_position=by_position)


def read_panel_csv(data: bytes, lang: str = DEFAULT_LANGUAGE) -> Panel:
    """A panel from CSV bytes with the columns period, group and value (long format)."""
    rows, _columns, _by_position, first_row = _csv_rows(data, lang, "panel", ("period", "group", "value"))
    return panel_from_rows(rows, lang, first_row=first_row)


def history_from_rows(rows: Iterable[Sequence[object]], lang: str = DEFAULT_LANGUAGE, *,
                      proportion: bool = False, first_row: int = 1) -> History:
    """A history from (period, value) pairs as typed into a table; row numbers start at ``first_row``.

    Values may be numbers or text (``"3,8"``). Empty rows are skipped. More than :data:`MAX_ROWS`
    rows are refused before any is read, as for a file.
    """
    rows = _bounded_rows(rows, "history", lang)
    problems: list[Problem] = []
    cells = []
    for number, row in enumerate(rows, start=first_row):
        period_text, value_text = (_text(row[0]) if len(row) > 0 else ""), (_text(row[1]) if len(row) > 1 else "")
        if not period_text and not value_text:
            continue
        parsed = _parse_cells(number, period_text, value_text, proportion, "history", lang, problems)
        if parsed:
            cells.append(parsed)
    frequency = _one_frequency(cells, "history", lang, problems)
    if problems:
        raise _refusal(problems, lang)
    by_index: dict[int, tuple[int, str, float]] = {}
    for number, (_freq, index, label), value in cells:
        if index in by_index:
            problems.append(_problem("history", "duplicate_period", lang, row=number,
                                     first=by_index[index][0], period=label))
        else:
            by_index[index] = (number, label, value)
    ordered = sorted(by_index)
    for before, after in itertools.pairwise(ordered):
        if after != before + 1:
            missing = [period_label(frequency, i) for i in range(before + 1, min(after, before + 4))]
            more = "…" if after - before - 1 > 3 else ""
            problems.append(_problem("history", "gap", lang, missing=", ".join(missing) + more,
                                     before=by_index[before][0], after=by_index[after][0]))
    if not problems and len(ordered) < MIN_POINTS:
        problems.append(_problem("history", "too_few_points", lang, count=len(ordered), minimum=MIN_POINTS))
    if problems:
        raise _refusal(problems, lang)
    return History(tuple(by_index[i][1] for i in ordered), tuple(by_index[i][2] for i in ordered),
                   frequency, tuple(ordered))


def panel_from_rows(rows: Iterable[Sequence[object]], lang: str = DEFAULT_LANGUAGE, *, first_row: int = 1) -> Panel:
    """A panel from (period, group, value) rows; empty rows are skipped; more than :data:`MAX_ROWS`
    rows are refused."""
    rows = _bounded_rows(rows, "panel", lang)
    problems: list[Problem] = []
    cells = []
    for number, row in enumerate(rows, start=first_row):
        texts = [_text(row[i]) if len(row) > i else "" for i in range(3)]
        if not any(texts):
            continue
        if not texts[1]:
            problems.append(_problem("panel", "group_missing", lang, row=number))
            continue
        parsed = _parse_cells(number, texts[0], texts[2], False, "panel", lang, problems)
        if parsed:
            cells.append((*parsed, texts[1]))
    frequency = _one_frequency([c[:3] for c in cells], "panel", lang, problems)
    if not problems:
        groups = list(dict.fromkeys(c[3] for c in cells))
        if len(groups) != 2:
            problems.append(_problem("panel", "two_groups", lang, count=len(groups),
                                     groups=", ".join(groups[:5]) or "–"))
    if not problems and len({c[1][1] for c in cells}) < 2:
        problems.append(_problem("panel", "too_few_periods", lang))
    if problems:
        raise _refusal(problems, lang)
    cells.sort(key=lambda c: c[1][1])
    return Panel(tuple(c[1][2] for c in cells), tuple(c[3] for c in cells), tuple(c[2] for c in cells),
                 frequency, tuple(c[1][1] for c in cells))


def check_upload_size(size_bytes: int, lang: str = DEFAULT_LANGUAGE, where: str = "history") -> None:
    """Refuse an upload over :data:`MAX_BYTES` before anyone reads it."""
    if size_bytes > MAX_BYTES:
        raise InputError([_problem(where, "file_too_large", lang, size=format_number(size_bytes / 1e6, lang, 1),
                                   limit=format_number(MAX_BYTES / 1e6, lang, 0))])


# --------------------------------------------------------------------------- internals


def _csv_rows(data: bytes, lang: str, where: str,
              wanted: tuple[str, ...]) -> tuple[list[list[str]], tuple[str, ...], bool, int]:
    """(rows with the ``wanted`` columns in order, the headings read, read by position?, the file's
    row number of the first data row)."""
    # Counting newlines is a single pass in C; 100 000 rows are refused here, before any parsing
    # (and before the size, because "too many rows" tells the user what to do about it).
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines - 1 > MAX_ROWS:
        raise InputError([_problem(where, "too_many_rows", lang, rows=format_number(lines - 1, lang),
                                   limit=format_number(MAX_ROWS, lang))])
    check_upload_size(len(data), lang, where)
    text = _decode(data)
    header_line = text.split("\n", 1)[0]
    if not header_line.strip():
        raise InputError([_problem(where, "empty_file", lang)])
    separator = ";" if ";" in header_line else "\t" if "\t" in header_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    raw_header = [cell.strip().strip('"') for cell in next(reader)]
    header = [cell.lower() for cell in raw_header]
    names = {"period": _PERIOD_NAMES, "value": _VALUE_NAMES, "group": _GROUP_NAMES}
    positions = {}
    for column in wanted:
        found = [i for i, cell in enumerate(header) if cell in names[column]]
        if found:
            positions[column] = found[0]
    rows = list(reader)
    if len(positions) == len(wanted):
        order = [positions[column] for column in wanted]
        return _pick(rows, order), tuple(raw_header[i] for i in order), False, 2
    if where == "history" and len(header) >= 2:
        # Headings it does not know (``År;Andel återfall``): the first column is the period, the
        # second the value. A first row that already holds a period and a number is data, not headings.
        if parse_period(raw_header[0]) is not None and parse_value(raw_header[1]) is not None:
            if len(rows) + 1 > MAX_ROWS:  # the first line is data too: the file's own limit, in its words
                raise InputError([_problem(where, "too_many_rows", lang, rows=format_number(len(rows) + 1, lang),
                                           limit=format_number(MAX_ROWS, lang))])
            return _pick([raw_header, *rows], [0, 1]), ("1", "2"), True, 1
        return _pick(rows, [0, 1]), (raw_header[0], raw_header[1]), True, 2
    shown = ", ".join(f"\u201c{cell}\u201d" for cell in header[:8]) or "–"
    key = "columns_wrong_panel" if where == "panel" else "columns_wrong"
    raise InputError([_problem(where, key, lang, found=shown, separator=_separator_name(separator, lang))])


def _bounded_rows(rows: Iterable[Sequence[object]], where: str, lang: str) -> Sequence[Sequence[object]]:
    """``rows`` as a sequence, refused when it holds more than :data:`MAX_ROWS` rows: a table typed or
    pasted into the page is held to the same length as a file, so the models that follow (OLS, Holt,
    Newey-West) never see a series longer than a file could give them.

    >>> len(_bounded_rows(iter([("2019", "1")] * 3), "history", "en"))
    3
    >>> try:
    ...     _bounded_rows([("2019", "1")] * (MAX_ROWS + 1), "history", "en")
    ... except InputError as error:
    ...     print(error.problems[0].message)
    The table has 10,001 rows; at most 10,000 rows can be read. Sum to years, quarters or months first.
    """
    # A generator is read at most one row past the limit, so an endless one is refused too.
    kept = rows if isinstance(rows, Sequence) else list(itertools.islice(rows, MAX_ROWS + 1))
    if len(kept) > MAX_ROWS:
        raise InputError([Problem(where, translate("limits.table_too_many_rows", lang,
                                                   rows=format_number(len(kept), lang),
                                                   limit=format_number(MAX_ROWS, lang)), "too_many_rows")])
    return kept


def _pick(rows: list[list[str]], order: list[int]) -> list[list[str]]:
    return [[row[i] if i < len(row) else "" for i in order] for row in rows]


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Not UTF-8: Swedish Excel's "CSV (semikolonavgränsad)" is Windows-1252.
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _separator_name(separator: str, lang: str) -> str:
    return translate({";": "targets.csv.semicolon", ",": "targets.csv.comma", "\t": "targets.csv.tab"}[separator],
                     lang)


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and math.isnan(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))  # a year typed into a number column comes back as 2019.0
    return str(cell).strip()


def _parse_cells(number: int, period_text: str, value_text: str, proportion: bool, where: str, lang: str,
                 problems: list[Problem]):
    period = parse_period(period_text)
    value = parse_value(value_text) if value_text else None
    ok = True
    if period is None:
        problems.append(_problem(where, "period_unreadable", lang, row=number, text=period_text[:30] or "–"))
        ok = False
    if not value_text:
        problems.append(_problem(where, "value_missing", lang, row=number))
        ok = False
    elif value is None:
        problems.append(_problem(where, "value_not_number", lang, row=number, text=value_text[:30]))
        ok = False
    elif abs(value) > MAX_MAGNITUDE:
        problems.append(_problem(where, "value_too_large", lang, row=number, text=value_text[:30],
                                 limit=format_number(MAX_MAGNITUDE, lang, 0)))
        ok = False
    elif proportion and not 0.0 <= value <= 1.0:
        problems.append(_problem(where, "proportion_range", lang, row=number,
                                 text=format_number(value, lang, 2), share=format_number(value / 100, lang, 3)))
        ok = False
    return (number, period, value) if ok else None


def _one_frequency(cells, where: str, lang: str, problems: list[Problem]) -> str:
    kinds = [(number, period[0]) for number, period, _value in cells]
    if not kinds:
        if not problems:
            problems.append(_problem(where, "too_few_points", lang, count=0, minimum=MIN_POINTS))
        return "year"
    first_kind = kinds[0][1]
    for number, kind in kinds:
        if kind != first_kind:
            problems.append(_problem(where, "mixed_periods", lang, row=number,
                                     kind=translate(f"targets.frequency.{kind}", lang),
                                     first=translate(f"targets.frequency.{first_kind}", lang)))
            break
    return first_kind


def _problem(where: str, code: str, lang: str, **params: object) -> Problem:
    return Problem(where, translate(f"targets.csv.{code}", lang, **params), code)


def _refusal(problems: list[Problem], lang: str) -> InputError:
    if len(problems) <= _MAX_LISTED:
        return InputError(problems)
    rest = len(problems) - _MAX_LISTED
    where = problems[0].path
    return InputError([*problems[:_MAX_LISTED], _problem(where, "more_problems", lang, count=rest)])
