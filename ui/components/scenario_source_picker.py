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
from engine.scenario import Scenario, scenario_to_dict
from engine.storage import DocumentNotFound, get_document, list_scenarios, load_scenario
from ui import state
from ui.auth import sign_in_required
from ui.db import reading
from ui.frame import Translator

SourceKind = Literal["saved", "example"]
#: A scenario that could not be opened and whose unsaved edits are still on offer (a Source's text).
_RESCUE = "source_rescue"


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


def scenario_source_picker(t: Translator, label_key: str, help_key: str | None = None) -> Source:
    """The "which scenario" select box that the calculation, comparison and targets pages share.

    The choices are every saved scenario and every example case. The choice is the one open
    scenario of these pages (``state.OPEN_SOURCE``, mirrored in the URL), so choosing on one page
    opens it on all three; without one, the scenario opened on the Scenarier page in this session is
    preselected, else the first example. When the open scenario (from a link, or trashed by someone
    else in the meantime) is not among the choices, a message says so and the first example opens.
    Returns the chosen source.
    """
    with reading() as session:
        saved = list_scenarios(session)
    sources = [Source.saved(s.id) for s in saved] + [Source.example(e) for e in example_ids()]
    names = [t("calc.source_saved", name=s.name, version=s.latest_version) for s in saved]
    names += [t("calc.source_example", title=t(f"examples.{e}.title")) for e in example_ids()]
    by_token = {source.token: source for source in sources}
    choices = dict(zip(by_token, names, strict=True))
    opened = state.open_scenario_id()
    wanted = state.open_source_token() or (Source.saved(opened).token if opened else None)
    if wanted is not None and wanted not in choices:
        missing_source(t, Source.parse(wanted))
        wanted = None
    elif rescue := Source.parse(st.session_state.get(_RESCUE)):
        # Edits of a scenario that vanished stay on offer until they are saved or discarded.
        _offer_rescue(t, rescue)
    if wanted is None:
        # Never "the newest scenario of anyone": on a shared server that would hand one user's upload
        # to every new session. A session that has opened nothing starts on the first example.
        wanted = Source.example(example_ids()[0]).token
    state.set_open_source(by_token[wanted])
    widget_key = f"{state.OPEN_SOURCE}_widget"
    st.session_state[widget_key] = wanted
    st.selectbox(t(label_key), list(choices), format_func=choices.__getitem__, key=widget_key,
                 on_change=state.copy_widget_value, args=(widget_key, state.OPEN_SOURCE),
                 help=t(help_key) if help_key else None)
    return by_token[wanted]


def missing_source(t: Translator, source: Source | None) -> None:
    """Say that the scenario asked for cannot be opened, and keep any unsaved edits of it findable:
    they stay as a draft and can be saved as a new scenario from here."""
    if source is None or source.document_id is None:
        st.warning(t("source.unknown"), icon=":material/link_off:")
        return
    # Under sign-in the id may be another organisation's: the message does not say which it is.
    key = "access.source_missing" if sign_in_required() else "source.missing"
    st.warning(t(key, id=source.document_id), icon=":material/link_off:")
    st.session_state[_RESCUE] = source.token
    _offer_rescue(t, source)


def _offer_rescue(t: Translator, source: Source) -> None:
    from ui.components.working_copy import rescue_draft  # it imports this module, so imported late

    if not rescue_draft(t, source):
        st.session_state.pop(_RESCUE, None)


def load_source(t: Translator, source: Source, lang: str) -> Scenario:
    """Load the scenario a page's source picker chose. When it cannot be loaded (trashed meanwhile,
    or a stored version that no longer passes validation), say so, forget the choice so that the
    next run falls back to another, and end this run."""
    return load_source_version(t, source, lang)[0]


def load_source_version(t: Translator, source: Source, lang: str) -> tuple[Scenario, int | None]:
    """:func:`load_source`, with the number of the version loaded (None for an example), read in
    one transaction so that the number belongs to the content."""
    try:
        if source.document_id is not None:
            with reading() as session:
                number = get_document(session, source.document_id).latest_version
                scenario = load_scenario(session, source.document_id, number, lang=lang)
            state.set_open_scenario(source.document_id)  # the Scenarier page shows it too
            return scenario, number
        return load_example(source.ident), None
    except (DocumentNotFound, InputError, KeyError):
        st.error(t("calc.load_failed"))
        state.set_open_source(None)
        st.stop()


def load_source_content(t: Translator, source: Source, lang: str) -> tuple[dict, int | None]:
    """What a working copy opens: the scenario as JSON-ready data and its version number."""
    scenario, number = load_source_version(t, source, lang)
    return scenario_to_dict(scenario), number
