"""A workshop's record as tables: every answer, every estimate, every saved conclusion; as an Excel
workbook (one sheet each) or as CSV files.

Headings and answer texts are in the chosen language; numbers stay numbers. Everything a person
typed (names, notes, decisions) is guarded so that a spreadsheet shows it as typed and never runs
it as a formula (:func:`engine.output.cells.safe_cell`). CSV follows what a spreadsheet program
in that language expects: Swedish files are separated by semicolons with a decimal comma, English
ones by commas with a decimal point; both are UTF-8 with a byte-order mark, so Excel reads å, ä, ö.

>>> rows = answer_rows([("=Anna", "kommun", {"purpose": "test_new_method"})], "en")
>>> rows[0]["Participant"], rows[0]["Role"], rows[0]["Answer"]
("'=Anna", 'Municipality', 'Test a new method')
>>> csv_bytes([{"a": 1.5, "b": "x"}], "sv").decode("utf-8-sig")
'a;b\\r\\n1,5;x\\r\\n'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.i18n import format_number, translate
from engine.numbers import decimals_of
from engine.output.cells import safe_cell
from engine.questionnaire.scoring import load_questionnaire

Row = dict[str, Any]


@dataclass(frozen=True)
class RoundRecord:
    """One estimate round as stored. With ``shares`` the figures are shares 0..1 of a quantity
    asked in per cent (an effect): the export writes them in per cent, the unit ``unit`` names and
    the participants typed (0.3 is exported as 30)."""

    number: int
    asked: str                    # what was asked, in words
    unit: str                     # the unit, in words
    #: (participant, role id, low, most likely, high); the three are None for a skip.
    estimates: Sequence[tuple[str, str, float | None, float | None, float | None]]
    pooled: tuple[float, float, float] | None
    adopted_version: int | None
    shares: bool = False


@dataclass(frozen=True)
class ConclusionRecord:
    version: int
    saved_at: datetime
    event: str
    agreed: Mapping[str, str | float]
    decisions: str
    notes: str


def _h(key: str, lang: str) -> str:
    return translate(f"workshop.export.col.{key}", lang)


def answer_text(question: str, value: str | float, lang: str) -> str | float:
    """An answer as a reader wants it: a choice's text, a number as it is (a sheet's cell keeps it
    a number; see :func:`answer_words` for an answer inside a text)."""
    if isinstance(value, str):
        return translate(f"questionnaire.q.{question}.o.{value}", lang)
    return value


def answer_words(question: str, value: str | float, lang: str) -> str:
    """An answer inside a text: a choice's text, or a number as the app writes numbers in ``lang``,
    with every decimal it has and none it lacks (the question itself names the unit).

    >>> answer_words("time_to_effect_years", 2.0, "sv"), answer_words("time_to_effect_years", 1.5, "sv")
    ('2', '1,5')
    >>> answer_words("volume_msek", 1250.25, "en"), answer_words("purpose", "test_new_method", "en")
    ('1,250.25', 'Test a new method')
    """
    text = answer_text(question, value, lang)
    if isinstance(text, str):
        return text
    return format_number(float(text), lang, decimals_of(float(text)))


def agreed_words(agreed: Mapping[str, str | float], lang: str) -> tuple[tuple[str, str], ...]:
    """The group's agreed answers as (question, answer) texts, in the questionnaire's order, as the
    memo's workshop section lists them.

    >>> agreed_words({"time_to_effect_years": 2.0, "purpose": "test_new_method"}, "sv")[1]
    ('Hur många år tar det innan effekten syns?', '2')
    """
    return tuple((translate(f"questionnaire.q.{q.id}", lang), answer_words(q.id, agreed[q.id], lang))
                 for q in load_questionnaire().questions if q.id in agreed)


def answer_rows(people: Sequence[tuple[str, str, Mapping[str, str | float]]], lang: str) -> list[Row]:
    """One row per participant and answered question, in the questionnaire's order."""
    questions = load_questionnaire().questions
    rows: list[Row] = []
    for name, role, answers in people:
        for number, question in enumerate(questions, start=1):
            if question.id in answers:
                rows.append({
                    _h("participant", lang): safe_cell(name),
                    _h("role", lang): translate(f"workshop.role.{role}", lang),
                    _h("question_number", lang): number,
                    _h("question", lang): translate(f"questionnaire.q.{question.id}", lang),
                    _h("answer", lang): answer_text(question.id, answers[question.id], lang),
                    _h("answer_code", lang): answers[question.id],
                })
    return rows


def estimate_rows(rounds: Sequence[RoundRecord], lang: str) -> list[Row]:
    """One row per round and participant who answered it, then the round's pooled range; every
    figure in the unit of its row (a share in per cent, see :class:`RoundRecord`).

    >>> row = estimate_rows([RoundRecord(1, "Effekt", "procent minskning", [("Anna", "kommun", 0.15, 0.3, 0.45)],
    ...                                  None, None, shares=True)], "sv")[0]
    >>> row["Lågt"], row["Troligast"], row["Högt"], row["Enhet"]
    (15.0, 30.0, 45.0, 'procent minskning')
    """
    rows: list[Row] = []
    for record in rounds:
        base = {_h("round", lang): record.number, _h("asked", lang): safe_cell(record.asked),
                _h("unit", lang): record.unit}
        for name, role, *figures in record.estimates:
            low, most_likely, high = (_in_unit(f, record.shares) for f in figures)
            rows.append(base | {_h("participant", lang): safe_cell(name),
                                _h("role", lang): translate(f"workshop.role.{role}", lang),
                                _h("low", lang): low, _h("most_likely", lang): most_likely, _h("high", lang): high,
                                _h("skipped", lang): translate("workshop.export.yes" if most_likely is None
                                                               else "workshop.export.no", lang)})
        if record.pooled is not None:
            low, most_likely, high = (_in_unit(f, record.shares) for f in record.pooled)
            rows.append(base | {_h("participant", lang): translate("workshop.export.pooled", lang),
                                _h("role", lang): "", _h("low", lang): low, _h("most_likely", lang): most_likely,
                                _h("high", lang): high, _h("skipped", lang): "",
                                _h("adopted_version", lang): record.adopted_version})
    return rows


def _in_unit(figure: float | None, shares: bool) -> float | None:
    """A stored figure in the unit it is shown in: a share in per cent, rounded off the binary
    noise of the multiplication (0.15 * 100 is 15.000000000000002), anything else as it is."""
    if figure is None or not shares:
        return figure
    return round(figure * 100, 9)


def conclusion_rows(versions: Sequence[ConclusionRecord], lang: str) -> list[Row]:
    """One row per saved version of the workshop: what the group agreed (one text, numbers written
    as in ``lang``), decided and noted then."""
    rows: list[Row] = []
    for record in versions:
        agreed = "; ".join(f"{question}: {answer}" for question, answer in agreed_words(record.agreed, lang))
        rows.append({_h("version", lang): record.version,
                     _h("saved_at", lang): record.saved_at.strftime("%Y-%m-%d %H:%M"),
                     _h("event", lang): translate(f"scenarios.event.{record.event}", lang),
                     _h("agreed", lang): safe_cell(agreed), _h("decisions", lang): safe_cell(record.decisions),
                     _h("notes", lang): safe_cell(record.notes)})
    return rows


def workbook_bytes(sheets: Mapping[str, Sequence[Row]]) -> bytes:
    """An Excel workbook with one sheet per entry (sheet names cut to Excel's 31 characters)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        headers = _headers(rows)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(row.get(h)) for h in headers])
        for column, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(row.get(header, ""))) for row in rows[:200]])
            sheet.column_dimensions[sheet.cell(1, column).column_letter].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Row], lang: str) -> bytes:
    """The rows as CSV for a spreadsheet program in ``lang`` (see the module's docstring)."""
    headers = _headers(rows)
    separator, decimal = (";", ",") if lang == "sv" else (",", ".")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(row.get(h), decimal) for h in headers])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Any, decimal: str) -> Any:
    if isinstance(value, float):
        return repr(value).replace(".", decimal) if value != int(value) else str(int(value))
    return "" if value is None else safe_cell(value)


def _headers(rows: Sequence[Row]) -> list[str]:
    headers: list[str] = []
    for row in rows:
        headers += [key for key in row if key not in headers]
    return headers
