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
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from engine.errors import InputError
from engine.scenario import MAX_NAME_LENGTH, Scenario, field_label, parse_scenario, scenario_to_dict
from engine.storage import VersionConflict, discard_draft, get_version, keep_draft, load_draft, save_scenario
from ui import state
from ui.components import save_conflict
from ui.components.scenario_source_picker import Source
from ui.db import reading, transaction
from ui.frame import Translator
from ui.text import toast_name

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

#: The shared copy: {"source": token, "saved": dict, "draft": dict, "stored": dict | None,
#: "version": int | None}. "saved" is the content as saved (or the example), "draft" what the pages
#: start from, "stored" what the database holds as this workspace's draft (None: no unsaved edits),
#: "version" the saved version the edits started from (a save names it, so that a version someone
#: else saved in between is never silently replaced).
_SHARED = "open_scenario_copy"
_KIND = "scenario"


def _pristine_key(page: str) -> str:
    return f"{page}_pristine"


def open_scenario_copy(page: str, source: Source,
                       load: Callable[[], tuple[dict[str, Any], int | None]]) -> WorkingCopy:
    """The open scenario as page ``page`` edits it. The saved content and its version number come
    from ``load()`` (called only when another scenario is opened; it may stop the run), the unsaved
    edits from the session or, after a reload, from the database. A new round starts when the
    page is entered."""
    shared = st.session_state.get(_SHARED)
    if shared is None or shared["source"] != source.token:
        saved, version = load()
        with reading() as session:
            draft = load_draft(session, state.workspace(), _KIND, source.token)
        stored = None if draft is None else draft.payload
        # Edits kept before a reload started from the version they remember, which may be older.
        based_on = version if draft is None or draft.based_on is None else draft.based_on
        shared = {"source": source.token, "saved": saved, "draft": saved if stored is None else stored,
                  "stored": stored, "version": based_on}
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
    # The session keeps the edit first: if the database then fails (the run stops with a message),
    # the edit is still what every page starts from, and the next run writes the draft again.
    shared["draft"] = shared["saved"] if unchanged else edited
    # The database is touched only when the draft changes, not on every rerun.
    if unchanged and shared["stored"] is not None:
        with transaction() as session:
            discard_draft(session, state.workspace(), _KIND, shared["source"])
    elif not unchanged and edited != shared["stored"]:
        with transaction() as session:
            keep_draft(session, state.workspace(), _KIND, shared["source"], edited, based_on=shared.get("version"))
    shared["stored"] = None if unchanged else edited
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


def scenario_saved(copy: WorkingCopy, source: Source, content: dict[str, Any], version: int) -> None:
    """After a save as version ``version`` of ``source`` (a new version, or a new scenario made from
    an example): that is the open scenario now, with no unsaved edits. Callers save first, in their
    own transaction."""
    shared = st.session_state[_SHARED]
    with transaction() as session:
        discard_draft(session, state.workspace(), _KIND, shared["source"])
        discard_draft(session, state.workspace(), _KIND, source.token)
    st.session_state[_SHARED] = {"source": source.token, "saved": content, "draft": content, "stored": None,
                                 "version": version}
    state.set_open_source(source)
    if source.document_id is not None:
        state.set_open_scenario(source.document_id)
    _restart_page(copy.namespace, st.session_state[_SHARED])


#: Where a refused save of the open scenario waits for the user's choice (ui/components/save_conflict.py).
_CONFLICT = "open_scenario"


def save_open_scenario(t: Translator, copy: WorkingCopy, scenario: Scenario) -> None:
    """Save the open scenario as its next version (from an example: as a new scenario), based on
    the version its edits started from, and rerun. If someone else saved in between, nothing is
    written: the user's content waits as a conflict, shown by :func:`scenario_conflict`."""
    shared = st.session_state[_SHARED]
    source = Source.parse(shared["source"])
    assert source is not None
    content = scenario_to_dict(scenario)
    try:
        with transaction() as session:
            info = save_scenario(session, scenario, source.document_id, based_on=open_scenario_version())
    except VersionConflict as refused:
        refused_scenario(scenario, refused)
    scenario_saved(copy, Source.saved(info.document_id), content, info.number)
    st.toast(t("calc.saved", name=toast_name(scenario.name), version=info.number))
    st.rerun()


def open_scenario_version() -> int | None:
    """The saved version the open scenario's edits started from (None for an example)."""
    shared = st.session_state[_SHARED]
    return shared.get("version") if Source.parse(shared["source"]).document_id is not None else None


def refused_scenario(scenario: Scenario, refused: VersionConflict) -> None:
    """A save of the open scenario was refused (someone saved in between): keep the user's content
    as the conflict :func:`scenario_conflict` shows, and rerun."""
    document_id = Source.parse(st.session_state[_SHARED]["source"]).document_id
    assert document_id is not None
    save_conflict.remember(_CONFLICT, save_conflict.Conflict.of(document_id, scenario_to_dict(scenario), refused))
    st.rerun()


def scenario_conflict(t: Translator, copy: WorkingCopy, current: Scenario | None) -> bool:  # noqa: RET503 - ends in st.rerun()
    """Where the save button is: a refused save of the open scenario and the user's three ways on
    (keep mine as the next version, take theirs, save mine as a new scenario). "Mine" is
    ``current`` (what the fields say now, if valid), else what the refused save held. Returns
    whether a conflict is waiting (the page then holds its own save button back)."""
    shared = st.session_state[_SHARED]
    source = Source.parse(shared["source"])
    assert source is not None
    conflict = save_conflict.pending(_CONFLICT, source.document_id)
    if conflict is None or source.document_id is None:
        return False
    if current is not None:
        conflict = replace(conflict, mine=scenario_to_dict(current))
    lang = state.language()
    with reading() as session:
        base = get_version(session, source.document_id, conflict.based_on).payload
        theirs = get_version(session, source.document_id, conflict.latest_number).payload
    choice = save_conflict.conflict_choice(t, _CONFLICT, conflict, base, theirs, lambda path: field_label(path, lang))
    if choice is None:
        return True
    save_conflict.forget(_CONFLICT)
    if choice == "take":
        with transaction() as session:
            discard_draft(session, state.workspace(), _KIND, shared["source"])
        st.session_state.pop(_SHARED, None)  # the next run opens the newest version afresh
        st.toast(t("conflict.taken", number=conflict.latest_number))
        st.rerun()
    if choice == "keep":
        # Based on the version the user has now seen; a third save in between asks again.
        shared["version"] = conflict.latest_number
        save_open_scenario(t, copy, parse_scenario(conflict.mine, lang))
    name = t("conflict.copy_name", name=conflict.mine.get("name", ""))[:MAX_NAME_LENGTH]
    mine = parse_scenario(conflict.mine | {"name": name}, lang)
    with transaction() as session:
        info = save_scenario(session, mine)
        discard_draft(session, state.workspace(), _KIND, shared["source"])
    scenario_saved(copy, Source.saved(info.document_id), scenario_to_dict(mine), info.number)
    st.toast(t("conflict.copied", name=toast_name(name)))
    st.rerun()


def rescue_draft(t: Translator, source: Source) -> bool:
    """Unsaved edits of a scenario that can no longer be opened (someone moved it to the trash):
    offer to save them as a new scenario, or to discard them. Nothing saved changes either way.
    Returns whether there are such edits (still on offer)."""
    with reading() as session:
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
    """In ``container``: that the scenario has unsaved edits (kept as a draft), and the one click
    that discards them. Nothing when there are none."""
    if changed:
        discard_row(t, container, t("calc.unsaved_changes"), f"{copy.key}_discard", lambda: discard_scenario(copy))


def discard_row(t: Translator, container: Any, message: str, key: str, discard: Callable[[], None]) -> None:
    """In ``container``: ``message`` (that there are unsaved edits) beside the button that calls
    ``discard`` and starts the page again. The one look of every page's unsaved edits."""
    notice, button = container.columns([3, 1], vertical_alignment="center")
    notice.caption(message)
    if button.button(t("calc.discard_changes"), key=key, icon=":material/undo:"):
        discard()
        st.rerun()
