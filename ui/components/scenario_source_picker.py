"""Which scenario a page works on: a saved scenario or one of the built-in examples.

A :class:`Source` names it (kind and id). Its text form ``saved:12`` / ``example:ips`` is what
session state, select boxes and saved target designs (``scenario_ref``) hold; only this module
reads or writes that form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import streamlit as st

from engine.errors import InputError
from engine.examples import example_ids, load_example
from engine.scenario import Scenario
from engine.storage import DocumentNotFound, list_scenarios, load_scenario
from ui import state
from ui.db import transaction
from ui.frame import Translator

SourceKind = Literal["saved", "example"]


@dataclass(frozen=True)
class Source:
    """A scenario to open: ``saved`` (``ident`` is the document id as text) or ``example`` (its id).

    >>> Source.parse("saved:12").document_id, Source.example("ips").token
    (12, 'example:ips')
    >>> Source.parse("nonsense") is None, Source.parse("saved:x") is None
    (True, True)
    """

    kind: SourceKind
    ident: str

    @classmethod
    def saved(cls, document_id: int) -> Source:
        return cls("saved", str(document_id))

    @classmethod
    def example(cls, example_id: str) -> Source:
        return cls("example", example_id)

    @classmethod
    def parse(cls, token: object) -> Source | None:
        """The source a text form names, or None when it names none."""
        if not isinstance(token, str):
            return None
        kind, _, ident = token.partition(":")
        if kind == "saved" and ident.isdigit():
            return cls("saved", ident)
        if kind == "example" and ident:
            return cls("example", ident)
        return None

    @property
    def token(self) -> str:
        return f"{self.kind}:{self.ident}"

    @property
    def is_example(self) -> bool:
        return self.kind == "example"

    @property
    def document_id(self) -> int | None:
        """The saved scenario's document id; None for an example."""
        return int(self.ident) if self.kind == "saved" else None


def scenario_source_picker(t: Translator, state_key: str, label_key: str, help_key: str | None = None) -> Source:
    """The "which scenario" select box that the calculation, comparison and targets pages share.

    The choices are every saved scenario and every example case. The choice lives in the plain
    session-state key ``state_key`` (as its text form) so that it survives a change of page (a
    widget's own key would not); without one, the scenario opened on the Scenarier page is
    preselected, else the first choice. Returns the chosen source.
    """
    with transaction() as session:
        saved = list_scenarios(session)
    sources = [Source.saved(s.id) for s in saved] + [Source.example(e) for e in example_ids()]
    names = [t("calc.source_saved", name=s.name, version=s.latest_version) for s in saved]
    names += [t("calc.source_example", title=t(f"examples.{e}.title")) for e in example_ids()]
    by_token = {source.token: source for source in sources}
    choices = dict(zip(by_token, names, strict=True))
    opened = state.open_scenario_id()
    wanted = st.session_state.get(state_key) or (Source.saved(opened).token if opened else None)
    if wanted not in choices:
        wanted = next(iter(choices))
    st.session_state[state_key] = wanted
    widget_key = f"{state_key}_widget"
    st.session_state[widget_key] = wanted
    st.selectbox(t(label_key), list(choices), format_func=choices.__getitem__, key=widget_key,
                 on_change=state.copy_widget_value, args=(widget_key, state_key),
                 help=t(help_key) if help_key else None)
    return by_token[wanted]


def load_source(t: Translator, source: Source, state_key: str, lang: str) -> Scenario:
    """Load the scenario a page's source picker chose (a saved one also becomes the open scenario).
    When it cannot be loaded (trashed meanwhile, or a stored version that no longer passes
    validation), say so, forget the choice kept under ``state_key`` so the next run falls back to
    another, and end this run."""
    try:
        if source.document_id is not None:
            with transaction() as session:
                scenario = load_scenario(session, source.document_id, lang=lang)
            state.set_open_scenario(source.document_id)
            return scenario
        return load_example(source.ident)
    except (DocumentNotFound, InputError, KeyError):
        st.error(t("calc.load_failed"))
        st.session_state[state_key] = None
        st.stop()
