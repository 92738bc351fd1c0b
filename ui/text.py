"""Showing user-supplied text safely.

Names and descriptions come from users and uploaded files. Streamlit never renders raw HTML
unless asked to, but it does render Markdown, so ``**`` or ``[link](...)`` in a name would
change how it looks. Escape every Markdown character before user text enters a Markdown string.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def escape_markdown(text: str) -> str:
    r"""Make ``text`` display literally inside Markdown.

    >>> escape_markdown("<script>alert(1)</script> **x**")
    '\\<script\\>alert\\(1\\)\\</script\\> \\*\\*x\\*\\*'
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
