"""The decision memo as Markdown, for a preview on the page before the Word file is downloaded.

Headings, paragraphs, bulleted lists and tables (GitHub's pipe tables); a chart is represented by
its caption, since the preview shows the charts elsewhere. Every text is escaped by
:func:`markdown_text`, so that a scenario, outcome or budget holder named like a link, an image or
an HTML tag shows as typed and never becomes markup. This is the engine's own copy of the rule the
app's pages use (``ui/text.py``), because the engine does not import ``ui``.
"""

from __future__ import annotations

import re

from engine.i18n import translate
from engine.memo.content import Bullets, Figure, Memo, Paragraph, Subheading, Table

#: ASCII punctuation with a meaning in CommonMark, GitHub's extensions or Streamlit's Markdown
#: (``$`` maths, ``:`` icons and colours, ``&`` entities, ``=`` setext headings, ``|`` table cells).
#: A backslash in front of any of them makes Markdown show the character itself.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=])")
#: U+2060 WORD JOINER, invisible: placed inside text that is linked without any syntax (web and
#: e-mail addresses, ``:icon:`` shortcodes), where a backslash does not help.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=\\:)(?=\S)|(?<=\w)(?=@)|(?<=\bwww)(?=\\\.)", re.IGNORECASE)
#: Line breaks inside one paragraph or cell: a blank line would start a new block.
_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def markdown_text(text: str) -> str:
    r"""``text`` as Markdown that displays it literally, on one line.

    >>> markdown_text("[Logga in](http://evil.example) <b>x</b> | **fet**")
    '\\[Logga in\\]\\(http\\:\u2060//evil\\.example\\) \\<b\\>x\\</b\\> \\| \\*\\*fet\\*\\*'
    >>> markdown_text("Kostnad: 12,5 %\nny rad")
    'Kostnad\\: 12,5 % ny rad'
    """
    flat = _BREAKS.sub(" ", text)
    return _AUTOLINK.sub(_JOINER, _SPECIAL.sub(r"\\\1", flat))


def memo_markdown(memo: Memo) -> str:
    """The whole memo as one Markdown text (the title as ``#``, sections ``##``, their parts ``###``)."""
    lines: list[str] = [f"# {markdown_text(memo.title)}", ""]
    for label, value in memo.front:
        lines.append(f"**{markdown_text(label)}:** {markdown_text(value)}  ")
    lines.append("")
    for section in memo.sections:
        lines += [f"## {markdown_text(section.heading)}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                text = markdown_text(block.text)
                lines += [f"*{text}*" if block.placeholder else text, ""]
            elif isinstance(block, Subheading):
                lines += [f"### {markdown_text(block.text)}", ""]
            elif isinstance(block, Bullets):
                lines += [f"- {markdown_text(item)}" for item in block.items]
                lines.append("")
            elif isinstance(block, Table):
                lines += _table(block)
            elif isinstance(block, Figure):
                lines += [f"*{markdown_text(block.caption)}* {markdown_text(translate('memo.markdown.figure', memo.lang))}",
                          ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(table: Table) -> list[str]:
    def row(cells: tuple[str, ...]) -> str:
        padded = [*cells, *("",) * (len(table.header) - len(cells))][: len(table.header)]
        return "| " + " | ".join(markdown_text(cell) or " " for cell in padded) + " |"

    lines = [row(table.header), "|" + "|".join("---" for _ in table.header) + "|"]
    lines += [row(cells) for cells in table.rows]
    lines.append("")
    if table.note:
        lines += [f"*{markdown_text(table.note)}*", ""]
    return lines
