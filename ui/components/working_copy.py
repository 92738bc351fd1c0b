"""Working copies: what a page edits, kept across reruns, pages and reloads.

Two layers.

*Rounds* (any page, any document). Streamlit forgets a widget's value when the user leaves the
page that drew it, and a widget cannot be given a new value once drawn. So a page keeps the
document it edits in plain session state (its *base*) and draws its widgets with keys that carry
a *round* number: loading another document, rebuilding the form (an outcome added, a version
opened, a save) or coming back to the page starts a new round, and every widget starts again
from the base. :func:`restart`, :func:`current` and :func:`loaded_source` work on one namespace.

*The open scenario* (Långsiktig kalkyl, Jämför instrument, Effektmål). One working copy shared by
the three pages: what was saved, and the draft with the user's unsaved edits. Each page opens it
with :func:`open_scenario_copy` (a new round whenever the page is entered, from the latest draft,
so an edit on one page is there on the next) and hands back what its widgets made with
:func:`keep_scenario`. Edits are written to the database as a draft under the browser's workspace
(engine/storage/drafts.py), so a reload finds them again; a draft is never a version, and
:func:`discard_scenario` forgets it in one click.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from engine.errors import InputError
from engine.scenario import Scenario, parse_scenario, scenario_to_dict
from engine.storage import discard_draft, keep_draft, load_draft, save_scenario
from ui import state
from ui.components.scenario_source_picker import Source
from ui.db import transaction
from ui.frame import Translator

# --- rounds ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingCopy:
    """The working copy kept under ``namespace``: the source it came from, the base document
    (JSON-like data) and the round number. ``key`` prefixes the widget keys of this round;
    ``changed`` says whether the base holds edits that are not saved."""

    namespace: str
    source: Source
    base: Any
    round: int
    changed: bool = False

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
    """The working copy as it stands (call :func:`restart` first)."""
    loaded, base_key, round_key = _keys(namespace)
    source = Source.parse(st.session_state[loaded])
    if source is None:  # pragma: no cover - only restart() writes the key, always with a source
        raise KeyError(namespace)
    return WorkingCopy(namespace, source, st.session_state[base_key], st.session_state.get(round_key, 0))


def loaded_source(namespace: str) -> Source | None:
    """What the working copy was loaded from, or None when nothing is loaded yet."""
    return Source.parse(st.session_state.get(_keys(namespace)[0]))


# --- the open scenario -------------------------------------------------------------------------------

#: The shared copy: {"source": token, "saved": dict, "draft": dict, "stored": dict | None}. "saved" is
#: the content as saved (or the example), "draft" what the pages start from, "stored" what the
#: database holds as this workspace's draft (None: no unsaved edits).
_SHARED = "open_scenario_copy"
_KIND = "scenario"


def _pristine_key(page: str) -> str:
    return f"{page}_pristine"


def open_scenario_copy(page: str, source: Source, load: Callable[[], dict[str, Any]]) -> WorkingCopy:
    """The open scenario as page ``page`` edits it. The saved content comes from ``load()`` (called
    only when another scenario is opened; it may stop the run), the unsaved edits from the session
    or, after a reload, from the database. A new round starts when the page is entered."""
    shared = st.session_state.get(_SHARED)
    if shared is None or shared["source"] != source.token:
        saved = load()
        with transaction() as session:
            draft = load_draft(session, state.workspace(), _KIND, source.token)
        stored = None if draft is None else draft.payload
        shared = {"source": source.token, "saved": saved, "draft": saved if stored is None else stored,
                  "stored": stored}
        st.session_state[_SHARED] = shared
        _restart_page(page, shared)
    elif state.just_entered() or loaded_source(page) != source:
        _restart_page(page, shared)
    copy = current(page)
    return WorkingCopy(page, copy.source, copy.base, copy.round, changed=shared["stored"] is not None)


def _restart_page(page: str, shared: dict[str, Any]) -> None:
    source = Source.parse(shared["source"])
    assert source is not None
    restart(page, source, shared["draft"])
    # The first thing a round made from the saved content is, by definition, no change: a page may
    # fill in defaults (Jämför a contract design) without the user having edited anything.
    st.session_state[_pristine_key(page)] = None if shared["stored"] is not None else "unset"


def keep_scenario(copy: WorkingCopy, edited: dict[str, Any], parsed: Scenario | None) -> bool:
    """Keep what the page's widgets made (``edited``; ``parsed`` is it validated, None when it is not
    valid) as the open scenario's draft, in the session and in the database. Returns whether there
    are unsaved edits."""
    shared = st.session_state[_SHARED]
    pristine_key = _pristine_key(copy.namespace)
    if st.session_state.get(pristine_key) == "unset":
        st.session_state[pristine_key] = edited
    unchanged = edited == st.session_state.get(pristine_key) or (
        parsed is not None and scenario_to_dict(parsed) == shared["saved"])
    # The database is touched only when the draft changes, not on every rerun.
    if unchanged and shared["stored"] is not None:
        with transaction() as session:
            discard_draft(session, state.workspace(), _KIND, shared["source"])
    elif not unchanged and edited != shared["stored"]:
        with transaction() as session:
            keep_draft(session, state.workspace(), _KIND, shared["source"], edited)
    shared["stored"] = None if unchanged else edited
    shared["draft"] = shared["saved"] if unchanged else edited
    return not unchanged


def restart_scenario(copy: WorkingCopy, edited: dict[str, Any]) -> None:
    """Rebuild the page's form from ``edited`` (an outcome added or removed, a range widened),
    keeping it as the draft first."""
    keep_scenario(copy, edited, None)
    _restart_page(copy.namespace, st.session_state[_SHARED])


def redraw_scenario(copy: WorkingCopy) -> None:
    """Start a new round of the page's form from the draft as kept in this run (the page draws
    another part of the scenario now)."""
    _restart_page(copy.namespace, st.session_state[_SHARED])


def discard_scenario(copy: WorkingCopy) -> None:
    """Forget the unsaved edits: back to what is saved, on every page."""
    shared = st.session_state[_SHARED]
    with transaction() as session:
        discard_draft(session, state.workspace(), _KIND, shared["source"])
    shared["stored"], shared["draft"] = None, shared["saved"]
    _restart_page(copy.namespace, shared)


def scenario_saved(copy: WorkingCopy, source: Source, content: dict[str, Any]) -> None:
    """After a save as ``source`` (a new version, or a new scenario made from an example): that is
    the open scenario now, with no unsaved edits. Callers save first, in their own transaction."""
    shared = st.session_state[_SHARED]
    with transaction() as session:
        discard_draft(session, state.workspace(), _KIND, shared["source"])
        discard_draft(session, state.workspace(), _KIND, source.token)
    st.session_state[_SHARED] = {"source": source.token, "saved": content, "draft": content, "stored": None}
    state.set_open_source(source)
    if source.document_id is not None:
        state.set_open_scenario(source.document_id)
    _restart_page(copy.namespace, st.session_state[_SHARED])


def rescue_draft(t: Translator, source: Source) -> bool:
    """Unsaved edits of a scenario that can no longer be opened (someone moved it to the trash):
    offer to save them as a new scenario, or to discard them. Nothing saved changes either way.
    Returns whether there are such edits (still on offer)."""
    with transaction() as session:
        draft = load_draft(session, state.workspace(), _KIND, source.token)
    if draft is None:
        return False
    st.info(t("source.rescue"), icon=":material/save:")
    keep, drop = st.columns(2)
    if keep.button(t("source.rescue_save"), key="rescue_save", icon=":material/save:"):
        try:
            scenario = parse_scenario(draft.payload, state.language())
        except InputError:
            st.error(t("source.rescue_invalid"))
            return True
        with transaction() as session:
            info = save_scenario(session, scenario)
            discard_draft(session, state.workspace(), _KIND, source.token)
        state.set_open_source(Source.saved(info.document_id))
        st.session_state.pop(_SHARED, None)
        st.rerun()
    if drop.button(t("source.rescue_discard"), key="rescue_discard", icon=":material/delete:"):
        with transaction() as session:
            discard_draft(session, state.workspace(), _KIND, source.token)
        st.rerun()
    return True


def unsaved_notice(t: Translator, copy: WorkingCopy, changed: bool, container: Any) -> None:
    """In ``container``: that there are unsaved edits (kept as a draft), and the one click that
    discards them. Nothing when there are none."""
    if not changed:
        return
    notice, discard = container.columns([3, 1], vertical_alignment="center")
    notice.caption(t("calc.unsaved_changes"))
    if discard.button(t("calc.discard_changes"), key=f"{copy.key}_discard", icon=":material/undo:"):
        discard_scenario(copy)
        st.rerun()
