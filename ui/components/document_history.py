"""A saved document's versions and its name and trash: the same controls for scenarios, answer sets
and target designs.

The functions draw and return what the user asked for (:class:`HistoryAction`); the page carries it
out with its own storage functions, in its own transaction, because each kind of document loads,
restores and words its results differently. Widget keys start with the page's ``key``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import streamlit as st

from engine.storage import VersionInfo
from ui.components.table_with_downloads import table_with_downloads
from ui.frame import Translator
from ui.scenario_views import download_file_name, format_time
from ui.text import escape_markdown

ActionKind = Literal["open", "restore", "rename", "trash"]


@dataclass(frozen=True)
class HistoryTexts:
    """The catalog keys a page words its history with (a scenario, an answer set and target designs
    are spoken of differently). Keys marked ``{version}`` get the picked version number."""

    pick: str
    version: str  # an option of the version picker: {version}
    restore: str  # {version}
    restore_help: str
    open: str | None = None  # {version}; None: the page has no "open an older version"
    open_help: str | None = None
    contents: str | None = None  # heading of the picked version's contents: {version}
    rename_label: str | None = None
    rename: str | None = None
    trash_confirm: str | None = None  # {name}
    trash: str | None = None
    newest: str | None = None  # the newest version's option, when it reads differently: {version}


@dataclass(frozen=True)
class HistoryAction:
    """What the user asked for: open or restore ``version``, rename to ``name``, or trash."""

    kind: ActionKind
    version: int | None = None
    name: str | None = None


@dataclass(frozen=True)
class HistoryChoice:
    """The version the user is looking at, and what they asked to do with it (None: nothing yet)."""

    picked: int
    action: HistoryAction | None = None


def document_history(t: Translator, history: Sequence[VersionInfo], texts: HistoryTexts, *, key: str,
                     lang: str, contents: Callable[[int], None] | None = None,
                     on_open: Callable[[int], None] | None = None) -> HistoryChoice:
    """The versions as a table (newest first) with its CSV and XLSX downloads, a version picker, the picked version's contents
    (drawn by ``contents(version)`` in an expander, when given), and buttons to open it (when the
    texts have ``open``) and to restore it as a new version (disabled for the newest).

    The picker's key holds the document and its newest version, so after every new version the
    choice starts again at the newest. ``on_open(version)``, when given, runs as the open button's
    callback: before the next run draws anything, so it may set other widgets' values.
    """
    # The files are named after the document as it is called now: "kortare-sjukfranvaro-versioner.csv".
    stem = download_file_name(history[0].name).removesuffix(".json")
    table_with_downloads(t, version_table(t, list(history), lang), f"{stem}-{t('exports.history_sheet').lower()}",
                         f"{key}_history", lang, sheet_name=t("exports.history_sheet"), hide_index=True, width="stretch")
    numbers = [info.number for info in history]
    newest = max(numbers)
    # A dict's lookup, not a lambda: widget options must survive pickling of session state.
    labels = {n: t(texts.newest if texts.newest and n == newest else texts.version, version=n) for n in numbers}
    picked = st.selectbox(t(texts.pick), numbers, format_func=labels.__getitem__,
                          key=f"{key}_pick_{history[0].document_id}_{newest}")
    if contents is not None and texts.contents is not None:
        with st.expander(t(texts.contents, version=picked)):
            contents(picked)
    open_column, restore_column = st.columns(2)
    if texts.open is None:  # restore alone stands first, not beside an empty column
        restore_column = open_column
    opening = texts.open is not None and open_column.button(
        t(texts.open, version=picked), key=f"{key}_open_version", icon=":material/open_in_browser:",
        help=t(texts.open_help) if texts.open_help else None, on_click=on_open, args=(picked,))
    restoring = restore_column.button(t(texts.restore, version=picked), key=f"{key}_restore",
                                      icon=":material/restore:", disabled=picked == newest,
                                      help=t(texts.restore_help))
    if opening:
        return HistoryChoice(picked, HistoryAction("open", picked))
    if restoring:
        return HistoryChoice(picked, HistoryAction("restore", picked))
    return HistoryChoice(picked)


def rename_input(t: Translator, texts: HistoryTexts, *, key: str, document_id: int, name: str, newest: int,
                 max_chars: int = 200) -> HistoryAction | None:
    """A name field with a rename button. The field starts again from the stored name after every
    new version. Draw the page's place for name problems right after it."""
    if texts.rename_label is None or texts.rename is None:
        raise ValueError("rename_input needs the rename texts")
    new_name = st.text_input(t(texts.rename_label), name, max_chars=max_chars,
                             key=f"{key}_rename_{document_id}_{newest}")
    if st.button(t(texts.rename), key=f"{key}_rename_button", icon=":material/edit:"):
        return HistoryAction("rename", name=new_name)
    return None


def trash_button(t: Translator, texts: HistoryTexts, *, key: str, document_id: int, name: str) -> HistoryAction | None:
    """A trash button behind a confirmation box. Nothing is deleted: a trashed document can be taken back."""
    if texts.trash is None or texts.trash_confirm is None:
        raise ValueError("trash_button needs the trash texts")
    confirm = st.checkbox(t(texts.trash_confirm, name=escape_markdown(name)), key=f"{key}_trash_confirm_{document_id}")
    if st.button(t(texts.trash), key=f"{key}_trash_button", disabled=not confirm, icon=":material/delete:"):
        return HistoryAction("trash")
    return None


def version_table(t: Translator, history: list[VersionInfo], lang: str) -> pd.DataFrame:
    def what(info: VersionInfo) -> str:
        text = t(f"scenarios.event.{info.event}")
        if info.source_version is not None:
            text += " " + t("scenarios.event_from", version=info.source_version)
        return text

    table = pd.DataFrame({
        t("scenarios.col_version"): [info.number for info in history],
        t("scenarios.col_saved"): [format_time(info.created_at, lang) for info in history],
        t("scenarios.col_event"): [what(info) for info in history],
        t("scenarios.col_name"): [info.name for info in history],
    })
    if any(info.saved_by for info in history):  # under sign-in: who saved each version
        table[t("access.col_saved_by")] = [info.saved_by or "–" for info in history]
    return table
