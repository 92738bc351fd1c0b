"""The optional unit column of a difference-in-differences file: which rows are the same person, school
or kommun measured again, so that the errors can be clustered by unit.

The column is found by its heading (``enhet``, ``unit``, ``id``, ``person``, ``personid``,
``individ``); the panel itself is read by :func:`engine.targets.history.read_panel_csv` with all its
checks, and the ids are lined up with its rows the way it orders them (empty rows skipped, then a
stable sort by period). A file without the column gives no ids, and the evaluation works as before.

>>> data = "period;grupp;värde;enhet\\n2019;a;1;p1\\n2019;b;2;p2\\n\\n2018;a;3;p1\\n2018;b;4;p2\\n".encode()
>>> panel, units = read_panel_with_units(data, "sv")
>>> panel.periods, units
(('2018', '2018', '2019', '2019'), ('p1', 'p2', 'p1', 'p2'))
"""

from __future__ import annotations

import csv
import io

from engine.errors import InputError, Problem
from engine.i18n import DEFAULT_LANGUAGE, translate
from engine.targets.history import _GROUP_NAMES, _PERIOD_NAMES, _VALUE_NAMES, Panel, parse_period, read_panel_csv

#: Headings read as the unit id column (compared in lower case).
UNIT_NAMES = frozenset({"enhet", "enheten", "unit", "id", "person", "personid", "individ", "unit_id"})


def read_panel_with_units(data: bytes, lang: str = DEFAULT_LANGUAGE) -> tuple[Panel, tuple[str, ...]]:
    """The panel and one unit id per panel row (empty when the file has no unit column)."""
    panel = read_panel_csv(data, lang)
    header, rows = _table(data)
    lowered = [cell.lower() for cell in header]
    unit_at = next((i for i, cell in enumerate(lowered) if cell in UNIT_NAMES), None)
    if unit_at is None:
        return panel, ()
    # The panel reader's own heading names: one definition, so both readers find the same columns.
    at = [next(i for i, cell in enumerate(lowered) if cell in names)
          for names in (_PERIOD_NAMES, _GROUP_NAMES, _VALUE_NAMES)]
    kept = []
    for number, row in enumerate(rows, start=2):
        cells = [row[i].strip() if i < len(row) else "" for i in (*at, unit_at)]
        if any(cells[:3]):
            kept.append((number, cells))
    missing = [number for number, cells in kept if not cells[3]]
    if missing and len(missing) < len(kept):
        raise InputError([Problem("panel", translate("evaluation.unit_missing", lang, row=missing[0],
                                                     count=len(missing)), "unit_missing")])
    if missing:
        return panel, ()
    kept.sort(key=lambda item: _period_index(item[1][0]))
    units = tuple(cells[3] for _number, cells in kept)
    if len(units) != len(panel.values) or tuple(cells[1] for _n, cells in kept) != panel.groups:
        return panel, ()  # not lined up (cannot happen for a file the panel reader accepted): no ids
    return panel, units


def _period_index(text: str) -> int:
    parsed = parse_period(text)
    return parsed[1] if parsed else 0


def _table(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows, decoded and split as the panel reader does (UTF-8 else Windows-1252; ``;``,
    tab or ``,`` by the header line)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header_line = text.split("\n", 1)[0]
    separator = ";" if ";" in header_line else "\t" if "\t" in header_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    header = [cell.strip().strip('"') for cell in next(reader)]
    return header, list(reader)
