r"""Tables as files a spreadsheet program opens: CSV and XLSX bytes, in the user's language.

A table is given as columns (a mapping from each column's heading to its cells, in order) or as a
pandas DataFrame (its index is left out, as on the pages). Cells that are numbers stay numbers, so
the reader can calculate with them; every other cell is text. User text (a scenario's or an
outcome's name) can start like a formula, and each text cell and heading is written through
:func:`engine.output.cells.safe_cell`, so a spreadsheet shows it and never runs it.

CSV as a Swedish Excel reads it without an import dialog: in Swedish ``;`` between cells and a
decimal comma, in English ``,`` and a decimal point; UTF-8 with a byte order mark (without it Excel
on Windows reads ``å``, ``ä`` and ``ö`` as two characters each); no thousands separator, which Excel
would read as text.

>>> table = {"Utfall": ["Sjukdagar", "=HYPERLINK(\"x\")"], "Effekt": [-0.12, 3], "Källa": [None, "SCB; 2024"]}
>>> print(*table_csv(table, "sv").decode("utf-8-sig").splitlines(), sep="\n")
Utfall;Effekt;Källa
Sjukdagar;-0,12;
"'=HYPERLINK(""x"")";3;"SCB; 2024"
>>> print(*table_csv(table, "en").decode("utf-8-sig").splitlines(), sep="\n")
Utfall,Effekt,Källa
Sjukdagar,-0.12,
"'=HYPERLINK(""x"")",3,SCB; 2024
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Union, cast

from engine.i18n import DEFAULT_LANGUAGE, normalise_language, translate
from engine.output.cells import safe_cell

if TYPE_CHECKING:
    import pandas as pd

#: Columns: each heading with its cells, all columns of the same length.
Columns = Mapping[str, Sequence[object]]
TableData = Union[Columns, "pd.DataFrame"]
#: A cell after :func:`_plain`: empty, a number, or text.
Cell = int | float | str | None

_DELIMITERS = {"sv": ";", "en": ","}
#: Characters a worksheet name may not contain, and its longest length (Excel's rules).
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_LENGTH = 31
#: Control characters an XLSX file cannot hold (openpyxl refuses them); tab and line breaks stay.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Widest column in an XLSX sheet, in characters (longer text wraps there).
_MAX_WIDTH = 60


def table_rows(data: TableData) -> tuple[list[str], list[list[Cell]]]:
    """The headings and the rows of ``data``, each cell a plain number, text or None (empty).

    NumPy and Decimal numbers become Python numbers, a missing value (None, NaN, pandas' NA) an empty
    cell; infinities, which a spreadsheet cannot store, are empty as well. Dates become ISO text.

    >>> table_rows({"a": [1, float("nan")], "b": ["x", None]})
    (['a', 'b'], [[1, 'x'], [None, None]])
    >>> table_rows({"a": [1, 2], "b": ["x"]})
    Traceback (most recent call last):
    ...
    ValueError: every column needs the same number of cells, got [2, 1]
    """
    if hasattr(data, "columns") and hasattr(data, "to_dict"):  # a pandas DataFrame
        frame = cast(Any, data)
        headings = [str(column) for column in frame.columns]
        columns: list[Sequence[object]] = [frame.iloc[:, index].tolist() for index in range(len(headings))]
    else:
        mapping = data if isinstance(data, Mapping) else dict(data)
        headings = [str(column) for column in mapping]
        columns = [list(cells) for cells in mapping.values()]
    lengths = [len(cells) for cells in columns]
    if len(set(lengths)) > 1:
        raise ValueError(f"every column needs the same number of cells, got {lengths}")
    rows = [[_plain(cells[row]) for cells in columns] for row in range(lengths[0] if lengths else 0)]
    return headings, rows


def _plain(value: object) -> Cell:
    """One cell as None, an int, a float or a str."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # NumPy scalars
        with contextlib.suppress(TypeError, ValueError):
            value = value.item()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime.datetime) else value.isoformat()
    if _missing(value):
        return None
    return str(value)


def _missing(value: object) -> bool:
    """pandas' NA and NaT (without importing pandas when it is not loaded)."""
    return type(value).__name__ in ("NAType", "NaTType")


def _csv_number(value: int | float, lang: str) -> str:
    """A number as CSV text: no thousands separator, the language's decimal mark.

    >>> _csv_number(1234567.0, "sv"), _csv_number(0.125, "sv"), _csv_number(-3, "en"), _csv_number(2.5e-7, "sv")
    ('1234567', '0,125', '-3', '2,5e-07')
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = repr(value)
    return text.replace(".", ",") if lang == "sv" else text


def table_csv(data: TableData, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """``data`` as CSV bytes for a spreadsheet program in ``lang`` (see the module's docstring)."""
    lang = normalise_language(lang)
    headings, rows = table_rows(data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=_DELIMITERS[lang], lineterminator="\r\n")
    writer.writerow([safe_cell(heading) for heading in headings])
    for row in rows:
        writer.writerow(["" if cell is None else _csv_number(cell, lang) if isinstance(cell, (int, float))
                         else safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def sheet_title(name: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A worksheet name Excel accepts: without ``[]:*?/\\``, at most 31 characters, never empty.

    >>> sheet_title("Jämförelse: alla instrument [mnkr] / 2025"), sheet_title("  ", "en")
    ('Jämförelse alla instrument mnkr', 'Table')
    """
    cleaned = " ".join(_SHEET_FORBIDDEN.sub("", _ILLEGAL_XML.sub("", name or "")).split())[:_SHEET_LENGTH].strip()
    return cleaned.strip("'") or translate("exports.sheet", lang)


def table_xlsx(data: TableData, lang: str = DEFAULT_LANGUAGE, sheet_name: str | None = None) -> bytes:
    """``data`` as an Excel workbook with one sheet (``sheet_name``, else "Tabell"/"Table"): the
    headings bold in the first row, which stays in view when scrolling; numbers as numbers, text
    through :func:`safe_cell`; columns as wide as their text (up to 60 characters, then wrapped).

    >>> from openpyxl import load_workbook
    >>> book = load_workbook(io.BytesIO(table_xlsx({"Namn": ["@SUM(A1)"], "Värde": [1.5]}, "sv", "Resultat")))
    >>> sheet = book["Resultat"]
    >>> [[cell.value for cell in row] for row in sheet.iter_rows()], sheet["A1"].font.b
    ([['Namn', 'Värde'], ["'@SUM(A1)", 1.5]], True)
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    lang = normalise_language(lang)
    headings, rows = table_rows(data)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(sheet_name, lang)
    sheet.append([_xlsx_text(heading) for heading in headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_xlsx_text(cell) if isinstance(cell, str) else cell for cell in row])
    for index, heading in enumerate(headings, start=1):
        longest = max([len(heading), *(len(str(row[index - 1])) for row in rows if row[index - 1] is not None)])
        sheet.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH, max(8, longest + 2))
        if longest > _MAX_WIDTH:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text(text: str) -> str:
    """Text for an XLSX cell: never a formula, without the control characters XML cannot hold."""
    return str(safe_cell(_ILLEGAL_XML.sub("", text)))
