"""The decision memo as a Word document (python-docx).

Real Word structure, so the municipality's templates and tables of contents work on it: the title
in the "Title" style, sections as "Heading 1" and their parts as "Heading 2", tables as Word
tables ("Table Grid", header row bold and repeated on each page), bulleted lists in "List Bullet",
each chart as a PNG at print resolution (:func:`engine.output.export.figure_to_png`: 2 400 px
across a 16 cm text column, about 380 dpi) followed by its caption in the "Caption" style. Text
the official must replace (``[Nämnden beslutar att …]``) is highlighted yellow. The document's
core properties carry the title, the memo's date and its language.

Charts need Chrome or Chromium (kaleido). Without one, or when a chart cannot be rendered, the
document is still written, with a note in place of each chart that says why and how to install a
browser; the first failure stops further attempts, so a missing browser costs no waiting.

Text that XML 1.0 cannot hold (control characters other than tab and line breaks, lone
surrogates, U+FFFE/U+FFFF) is replaced by U+FFFD, the replacement character, always the same way:

>>> clean_text("Plan\\x01B <b>&</b>\\ud800")
'Plan\\ufffdB <b>&</b>\\ufffd'
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from engine.i18n import translate
from engine.memo.content import Bullets, Figure, Memo, Paragraph, Subheading, Table
from engine.output.export import ExportUnavailable, chromium_available, figure_to_png, start_export_server

#: Characters XML 1.0 does not allow (tab, line feed and carriage return are allowed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REPLACEMENT = "\ufffd"
#: Word's language tags for the memo's languages (spelling and hyphenation).
_WORD_LANGUAGE = {"sv": "sv-SE", "en": "en-GB"}
#: Width of the text column on A4 with 2.5 cm margins, and of every chart, in cm.
_TEXT_WIDTH_CM = 16.0


def clean_text(text: str) -> str:
    """``text`` with every character XML cannot hold replaced by U+FFFD (see the module docstring)."""
    return _NOT_XML.sub(_REPLACEMENT, text)


@dataclass(frozen=True)
class DocxResult:
    """A written memo: the file's bytes, how many charts became images, and for each chart that did
    not, the note that stands in its place (empty with ``images=False``, where charts are left out)."""

    data: bytes
    images: int
    notes: tuple[str, ...]


def start_images_in_background() -> threading.Thread | None:
    """Start the shared browser for the charts in a daemon thread and return it (None when no
    browser is installed). A caller that calls this before :func:`engine.memo.content.build_memo`
    overlaps the browser's start (seconds) with the engine's work; the first chart then waits only
    for what is left of the start (:func:`engine.output.export.figure_to_png` serialises both)."""
    if not chromium_available():
        return None
    thread = threading.Thread(target=start_export_server, name="memo-browser-start", daemon=True)
    thread.start()
    return thread


def memo_docx(memo: Memo, *, images: bool = True) -> bytes:
    """The memo as DOCX bytes; with ``images=False`` each chart is left out and only its caption stays
    (for previews and tests that need no browser)."""
    return render_docx(memo, images=images).data


def render_docx(memo: Memo, *, images: bool = True) -> DocxResult:
    """:func:`memo_docx` with a report of the images made and the notes written in their place."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Cm, Pt

    lang = memo.lang
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    _set_language(document, _WORD_LANGUAGE.get(lang, "sv-SE"))

    _add_footer(section, clean_text(memo.title), translate("memo.docx.page", lang))
    document.add_heading(clean_text(memo.title), level=0)
    for label, value in memo.front:
        paragraph = document.add_paragraph()
        paragraph.add_run(clean_text(label) + ": ").bold = True
        run = paragraph.add_run(clean_text(value))
        if value.startswith("["):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    made = 0
    notes: list[str] = []
    failure: str | None = None  # after the first failure no chart is tried again
    for part in memo.sections:
        document.add_heading(clean_text(part.heading), level=1)
        for block in part.blocks:
            if isinstance(block, Paragraph):
                paragraph = document.add_paragraph()
                run = paragraph.add_run(clean_text(block.text))
                if block.placeholder:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            elif isinstance(block, Subheading):
                document.add_heading(clean_text(block.text), level=2)
            elif isinstance(block, Bullets):
                for item in block.items:
                    paragraph = document.add_paragraph(style="List Bullet")
                    run = paragraph.add_run(clean_text(item))
                    if item.startswith("["):
                        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            elif isinstance(block, Table):
                _add_table(document, block, Pt)
            elif isinstance(block, Figure):
                if images:
                    if failure is None:
                        try:
                            png = figure_to_png(block.figure, lang=lang)
                        except ExportUnavailable as error:
                            failure = str(error)
                        else:
                            document.add_picture(io.BytesIO(png), width=Cm(_TEXT_WIDTH_CM))
                            made += 1
                    if failure is not None:
                        note = " ".join((translate("memo.docx.chart_missing", lang, reason=failure),
                                         translate("memo.docx.install_hint", lang)))
                        notes.append(note)
                        paragraph = document.add_paragraph()
                        run = paragraph.add_run(clean_text(note))
                        run.italic = True
                        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                document.add_paragraph(clean_text(block.caption), style="Caption")

    properties = document.core_properties
    properties.title = clean_text(memo.title)[:255]
    properties.subject = clean_text(memo.scenario_name)[:255]
    properties.language = _WORD_LANGUAGE.get(lang, "sv-SE")
    properties.author = properties.last_modified_by = "Utfallskompassen"
    created = datetime.combine(memo.created, time(0, 0), tzinfo=UTC)
    properties.created = properties.modified = created
    properties.revision = 1
    properties.keywords = f"{memo.price_year}" + ("" if memo.version is None else f"; version {memo.version}")
    buffer = io.BytesIO()
    document.save(buffer)
    return DocxResult(buffer.getvalue(), made, tuple(notes))


def _add_table(document: Any, table: Table, points: Any) -> None:
    """A Word table: bold header row repeated on each page, smaller type for wide tables, its note below."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = len(table.header)
    word_table = document.add_table(rows=1 + len(table.rows), cols=width)
    word_table.style = "Table Grid"
    size = points(8 if width > 5 else 9)
    for r, row in enumerate((table.header, *table.rows)):
        for c in range(width):
            cell = word_table.cell(r, c)
            cell.text = clean_text(row[c] if c < len(row) else "")
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size
                    run.font.bold = r == 0
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    word_table.rows[0]._tr.get_or_add_trPr().append(header)
    if table.note:
        note = document.add_paragraph()
        run = note.add_run(clean_text(table.note))
        run.italic = True
        run.font.size = points(8)


def _add_footer(section: Any, title: str, page: str) -> None:
    """The title and the page number (a Word field, so it counts itself) at the foot of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    run = paragraph.add_run(f"{title[:120]} · {page} ")
    run.font.size = Pt(8)
    # One run per part of the field, as Word writes it: begin, instruction, separator, shown value, end.
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        field = paragraph.add_run()
        field.font.size = Pt(8)
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        field._r.append(element)


def _set_language(document: Any, tag: str) -> None:
    """Make ``tag`` the language of every style (Word's spelling and hyphenation follow it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        return
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), tag)
