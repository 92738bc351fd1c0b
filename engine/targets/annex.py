"""The target table for a contract annex (avtalsbilaga): one row per outcome, as DOCX or XLSX bytes.

Headers are in the user's language (Swedish first). In the DOCX table every cell is text in the
language's number format (``3,8``, ``2 075 kr``); in the XLSX sheet numbers stay numbers, with an
Excel number format (``# ##0,0`` shows as such in Swedish Excel, which supplies the decimal comma and
the thousands space from the computer's locale), so the procurer can calculate with them.

>>> from engine.examples import load_example
>>> from engine.targets.design import default_design
>>> rows = annex_rows([default_design(load_example("sjukfranvaro"), 0)], "sv")
>>> rows[0][:3], rows[1][6], rows[1][8]
(('Utfall', 'Vad räknas', 'Enhet'), '3,8 (2018)', '−12 % (3,34 dagar)')
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, format_sek, translate
from engine.output.cells import safe_cell
from engine.targets.design import TargetDesign

_COLUMNS = ("outcome", "counted", "unit", "data_source", "validated_by", "frequency", "baseline", "counterfactual",
            "target", "time_to_effect", "window", "price")
#: Excel number formats (the locale supplies the separators).
_NUMBER_FORMATS = {"baseline": "#,##0.0##", "target_level": "#,##0.0##", "target_share": "0.0%",
                   "months": "0", "price": "#,##0"}


def _number(value: float, lang: str) -> str:
    decimals = 0 if abs(value) >= 100 or float(value).is_integer() else 2 if abs(value) < 10 else 1
    text = format_number(value, lang, decimals)
    return text.rstrip("0").rstrip(",.") if decimals and ("," in text or "." in text) else text


def _cells(design: TargetDesign, lang: str) -> tuple[str, ...]:
    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    source = t(f"targets.source.{design.data_source}")
    if design.data_source_note:
        source += f": {design.data_source_note}"
    baseline = f"{_number(design.baseline, lang)} ({design.baseline_year})"
    if design.baseline_source:
        baseline += f"; {design.baseline_source}"
    unit = f" {design.unit}" if design.unit else ""
    reduction = format_percent(-design.relative_reduction, lang, 1).replace("\u00a0%", " %")
    target = f"{reduction} ({_number(design.target_level, lang)}{unit})"
    return (
        design.outcome, design.counted, design.unit, source, design.validated_by,
        t(f"targets.every.{design.frequency}"), baseline, t(f"targets.counterfactual.{design.counterfactual}"),
        target, t("targets.annex.months", months=design.time_to_effect_months),
        t("targets.annex.months", months=design.measurement_window_months),
        "–" if design.price is None else format_sek(design.price, lang),
    )


def annex_rows(designs: Sequence[TargetDesign], lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, ...]]:
    """The header row, then one row of text cells per design."""
    header = tuple(translate(f"targets.annex.col.{c}", lang) for c in _COLUMNS)
    return [header, *(_cells(d, lang) for d in designs)]


def annex_docx(designs: Sequence[TargetDesign], lang: str = DEFAULT_LANGUAGE, title: str = "") -> bytes:
    """A Word document with a heading and the target table (landscape A4, header row repeated)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.add_heading(title or translate("targets.annex.title", lang), level=1)
    document.add_paragraph(translate("targets.annex.lead", lang))
    rows = annex_rows(designs, lang)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = text
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
                    run.font.bold = r == 0
    # The header row repeats on every page of a long table.
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def annex_xlsx(designs: Sequence[TargetDesign], lang: str = DEFAULT_LANGUAGE) -> bytes:
    """An Excel workbook with one sheet: the target table, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = translate("targets.annex.sheet", lang)[:31]
    headers = [translate(f"targets.annex.col.{c}", lang) for c in (
        "outcome", "counted", "unit", "data_source", "validated_by", "frequency", "baseline", "baseline_year",
        "baseline_source", "counterfactual", "target_share", "target_level", "time_to_effect", "window", "price")]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for d in designs:
        source = translate(f"targets.source.{d.data_source}", lang) + (f": {d.data_source_note}" if d.data_source_note else "")
        # User text never becomes a formula in the annex (engine/output/cells.py).
        sheet.append([safe_cell(v) for v in (
            d.outcome, d.counted, d.unit, source, d.validated_by, translate(f"targets.every.{d.frequency}", lang),
            d.baseline, d.baseline_year, d.baseline_source,
            translate(f"targets.counterfactual.{d.counterfactual}", lang), -d.relative_reduction,
            d.target_level, d.time_to_effect_months, d.measurement_window_months, d.price)])
        row = sheet.max_row
        for column, key in ((7, "baseline"), (11, "target_share"), (12, "target_level"), (13, "months"), (14, "months"),
                            (15, "price")):
            sheet.cell(row, column).number_format = _NUMBER_FORMATS[key]
    for letter, width in zip("ABCDEFGHIJKLMNO", (28, 28, 10, 22, 18, 12, 10, 8, 30, 22, 10, 10, 10, 10, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
