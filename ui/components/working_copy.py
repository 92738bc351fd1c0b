"""A page's working copy of a document: what was loaded (the *base*) and the round of widgets
that edit it.

Streamlit forgets a widget's value when the user leaves the page that drew it, and a widget
cannot be given a new value once drawn. So a page keeps the document it edits in plain session
state, and draws its widgets with keys that carry a *round* number: loading another document, or
rebuilding the form (an outcome added, a version opened, a save), starts a new round, and every
widget starts again from the new base.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.components.scenario_source_picker import Source


@dataclass(frozen=True)
class WorkingCopy:
    """The working copy kept under ``namespace``: the source it came from, the base document
    (JSON-like data) and the round number. ``key`` prefixes the widget keys of this round."""

    namespace: str
    source: Source
    base: Any
    round: int

    @property
    def key(self) -> str:
        return f"{self.namespace}{self.round}"


def _keys(namespace: str) -> tuple[str, str, str]:
    return f"{namespace}_loaded", f"{namespace}_base", f"{namespace}_round"


def restart(namespace: str, source: Source, base: Any) -> WorkingCopy:
    """Start a new round of the working copy from ``base`` (taken from ``source``)."""
    loaded, base_key, round_key = _keys(namespace)
    st.session_state[loaded] = source.token
    st.session_state[base_key] = base
    st.session_state[round_key] = st.session_state.get(round_key, 0) + 1
    return current(namespace)


def current(namespace: str) -> WorkingCopy:
    """The working copy as it stands (call :func:`working_copy` or :func:`restart` first)."""
    loaded, base_key, round_key = _keys(namespace)
    source = Source.parse(st.session_state[loaded])
    if source is None:  # pragma: no cover - only restart() writes the key, always with a source
        raise KeyError(namespace)
    return WorkingCopy(namespace, source, st.session_state[base_key], st.session_state.get(round_key, 0))


def loaded_source(namespace: str) -> Source | None:
    """What the working copy was loaded from, or None when nothing is loaded yet."""
    return Source.parse(st.session_state.get(_keys(namespace)[0]))


def working_copy(namespace: str, source: Source, load: Any) -> WorkingCopy:
    """The working copy of ``source``: the one kept from earlier runs when it is of the same
    source, else a new round from ``load()`` (called only then; it may stop the run)."""
    if loaded_source(namespace) != source:
        return restart(namespace, source, load())
    return current(namespace)
