"""escape_markdown: whatever a user types comes back as typed once Markdown has read it."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ui.text import escape_markdown

#: What CommonMark does with a backslash before ASCII punctuation: it shows the character itself.
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _as_markdown_shows(escaped: str) -> str:
    """The text Markdown shows for escaped text: the escapes undone, the invisible joiners gone."""
    return _BACKSLASH_ESCAPE.sub(r"\1", escaped).replace("\u2060", "")


@given(st.text(alphabet=st.sampled_from(list("*_[]()<>!$:&=#-+.|~`\\{}@/ hwtpsa.e1\n")), max_size=60))
def test_escaped_text_reads_back_as_typed(text):
    assert _as_markdown_shows(escape_markdown(text)) == text


@given(st.text(max_size=60))
def test_no_markdown_character_is_left_bare(text):
    escaped = escape_markdown(text)
    bare = re.sub(r"\\.", "", escaped, flags=re.DOTALL)
    assert not set(bare) & set("\\`*_{}[]()<>#+-.!|~$:&=")


def test_addresses_and_shortcodes_are_broken_up_invisibly():
    for typed in ("http://evil.example", "HTTPS://evil.example", "www.evil.example", "a@evil.example",
                  "mailto:a@evil.example", ":material/home:", ":smile:", ":red[röd]"):
        escaped = escape_markdown(typed)
        assert "\u2060" in escaped, typed
        assert _as_markdown_shows(escaped) == typed


def test_a_colon_in_prose_stays_as_it_is():
    assert escape_markdown("Kostnad: Kommunen") == "Kostnad\\: Kommunen"
