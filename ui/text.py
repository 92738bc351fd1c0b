"""Showing user-supplied text safely.

Names, units, notes and sources come from users and uploaded files, and a shared server shows
one user's text to another. Streamlit never renders raw HTML unless asked to, but it renders
Markdown in ``st.markdown``, captions, alerts, toasts and in the labels of buttons, expanders,
tabs, radios, segmented controls and metrics, with extras of its own: ``$...$`` as LaTeX,
``:red[...]`` as coloured text, ``:material/home:`` as an icon and ``:smile:`` as an emoji.
A name like ``[Logga in](http://evil.example)`` would then become a link to someone else's
site. :func:`escape_markdown` is the one rule: every piece of user text goes through it before
it enters a string that Streamlit reads as Markdown. Plain-text places (``st.text``,
``st.code``, the cells of ``st.dataframe``, the options of ``st.selectbox`` and
``st.multiselect``) show text as it is and must not be escaped, or the backslashes would show.
"""

from __future__ import annotations

import re

#: Characters with a meaning in CommonMark, GitHub's extensions or Streamlit's own syntax
#: (``$`` math, ``:`` directives and icons, ``&`` entities, ``=`` setext headings). A
#: backslash before any ASCII punctuation makes Markdown show the character itself.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=])")

#: U+2060 WORD JOINER: invisible and not a space. Some of the syntax is found after the
#: escapes have been undone, in the plain text itself (web addresses and e-mail addresses
#: become links, ``:material/...:`` becomes an icon), so a backslash does not stop it; this
#: character placed inside the pattern does.
_JOINER = "\u2060"

#: Where a joiner goes: after a colon that is followed by more text (``http://``,
#: ``mailto:``, ``:material/``, ``:smile:``), before an ``@`` that follows a word character
#: (an e-mail address) and between ``www`` and its dot. A colon before a space, as in
#: ``Kostnad: Kommunen``, is left alone.
_AUTOLINKS = re.compile(r"(?<=\\:)(?=\S)|(?<=\w)(?=@)|(?<=\bwww)(?=\\\.)", re.IGNORECASE)


def escape_markdown(text: str) -> str:
    r"""Make ``text`` display literally wherever Streamlit reads Markdown.

    Emphasis, links, images and raw HTML tags:

    >>> escape_markdown("**fet** [Logga in](http://evil.example/login) <b>x</b>")
    '\\*\\*fet\\*\\* \\[Logga in\\]\\(http\\:\u2060//evil\\.example/login\\) \\<b\\>x\\</b\\>'
    >>> escape_markdown("![i](http://evil.example/i.png)")
    '\\!\\[i\\]\\(http\\:\u2060//evil\\.example/i\\.png\\)'
    >>> escape_markdown("<img src=x onerror=alert(1)>")
    '\\<img src\\=x onerror\\=alert\\(1\\)\\>'

    LaTeX, Streamlit's coloured text, icons and emoji shortcodes:

    >>> escape_markdown("$x^2$ :red[röd] :material/home: :smile:")
    '\\$x^2\\$ \\:\u2060red\\[röd\\] \\:\u2060material/home\\: \\:\u2060smile\\:'

    Entities, headings, web and e-mail addresses that would be linked without any syntax:

    >>> escape_markdown("&amp; # Rubrik www.evil.example a@evil.example")
    '\\&amp; \\# Rubrik www\u2060\\.evil\\.example a\u2060@evil\\.example'

    Ordinary prose keeps its colons and looks the same on screen:

    >>> escape_markdown("Kostnad: Kommunen")
    'Kostnad\\: Kommunen'
    """
    return _AUTOLINKS.sub(_JOINER, _MARKDOWN_SPECIALS.sub(r"\\\1", text))


#: The longest name a toast repeats; a longer one is cut with an ellipsis, because Streamlit folds a
#: long toast behind its own (English) "view more" link.
TOAST_NAME_LENGTH = 60


def toast_name(name: str) -> str:
    """A document's name for a toast: at most :data:`TOAST_NAME_LENGTH` characters, escaped.

    >>> toast_name("Kortare sjukfrånvaro")
    'Kortare sjukfrånvaro'
    >>> len(toast_name("x" * 200))
    61
    """
    short = name if len(name) <= TOAST_NAME_LENGTH else name[:TOAST_NAME_LENGTH].rstrip() + "…"
    return escape_markdown(short)
