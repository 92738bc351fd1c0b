"""Exempelbanken: the shared examples, one example in full, copying it, and publishing to it.

The bank page lists every entry (engine/storage/bank.py), opens one (``?entry=bank:12`` or
``?entry=app:ips``, so a link can name it) and copies it into the user's organisation. The
Scenarier page publishes the open scenario here and says where a copied scenario came from.

Names, descriptions, notes and organisations are user text: they are escaped wherever Streamlit
reads Markdown (ui/text.py); the option labels of the select box are plain text and are not.
"""

from __future__ import annotations

import streamlit as st

from engine.errors import InputError
from engine.examples import is_assumption, source_label
from engine.i18n import format_percent
from engine.savings.model import project_savings
from engine.savings.narrative import missing_parts, missing_sentence, savings_headline
from engine.scenario import MAX_NAME_LENGTH, Scenario, parse_scenario
from engine.storage import (
    BankEntry,
    DocumentNotFound,
    NotAllowed,
    bank_entry,
    bank_scenario,
    copy_from_bank,
    get_document,
    list_bank,
    owner_of,
    publish_scenario,
    source_state,
)
from engine.storage.bank import MAX_NOTE
from ui import state
from ui.components.problem_list import problem_list
from ui.components.table_with_downloads import table_with_downloads
from ui.db import reading, transaction
from ui.frame import Translator
from ui.scenario_views import format_time
from ui.text import escape_markdown

BANK_PAGE = "pages/exempelbanken.py"
CALC_PAGE = "pages/kalkyl.py"
#: The URL parameter that names the open entry.
ENTRY_PARAM = "entry"
#: The entry open on the bank page (a plain key: it outlives a visit to another page).
_OPEN = "bank_open_entry"
_PICKER = "bank_entry_picker"
#: The last copy made on the bank page: (entry key, document id, name).
_COPIED = "bank_copied"
#: The last publication from the Scenarier page: (document id, entry key, name).
_PUBLISHED = "bank_published"
#: Counts publications, so that the note and the confirmation start empty after each.
_PUBLISH_ROUND = "bank_publish_round"


# --- names -----------------------------------------------------------------------------------------

def organisation_label(t: Translator, organisation: str) -> str:
    """An organisation as shown (plain text): the embedded mode's nameless one is "this server"."""
    return organisation or t("bank.this_server")


def entry_name(t: Translator, entry: BankEntry) -> str:
    """An entry's name as shown (plain text): a built-in example by its title in the user's
    language, a published one as it was published."""
    if entry.built_in:
        key = f"examples.{entry.key[4:]}.title"
        title = t(key)
        return entry.name if title == key else title
    return entry.name


def _paragraphs(text: str) -> str:
    """User text for ``st.markdown``: escaped, with its line breaks kept."""
    return "  \n".join(escape_markdown(line) for line in text.strip().splitlines())


def _kalkyl_link(t: Translator, label_key: str, token: str) -> None:
    st.page_link(CALC_PAGE, label=t(label_key), icon=":material/query_stats:",
                 query_params={"scenario": token, "lang": state.language(), "ws": state.workspace()})


def _bank_link(t: Translator, label_key: str, key: str) -> None:
    st.page_link(BANK_PAGE, label=t(label_key), icon=":material/local_library:",
                 query_params={ENTRY_PARAM: key, "lang": state.language(), "ws": state.workspace()})


# --- the bank page ---------------------------------------------------------------------------------

def load_entries() -> list[BankEntry]:
    """Every entry, built-in examples first."""
    with reading() as session:
        return list_bank(session)


def entry_table(t: Translator, entries: list[BankEntry], lang: str) -> None:
    """All entries in one table: the name, who published it and when (or that it is built in), and
    whether it says what happened in reality. Three columns fit a phone; ``st.table`` wraps long
    names there, and its cells read Markdown, so user text is escaped."""
    def published(entry: BankEntry) -> str:
        organisation = escape_markdown(organisation_label(t, entry.organisation))
        if entry.published_at is None:
            return t("bank.cell_built_in", organisation=organisation)
        # The date only, with non-breaking hyphens: a narrow column would break it at one.
        date = format_time(entry.published_at, lang)[:10].replace("-", "\u2011")
        return t("bank.cell_published", organisation=organisation, date=date)

    st.subheader(t("bank.list_heading", count=len(entries)))
    st.table({
        t("bank.col_name"): [escape_markdown(entry_name(t, e)) for e in entries],
        t("bank.col_organisation"): [published(e) for e in entries],
        t("bank.col_note"): [t("bank.has_note") if e.note else t("bank.no_note_short") for e in entries],
    }, hide_index=True)


def entry_picker(t: Translator, entries: list[BankEntry]) -> BankEntry:
    """The select box of the open entry. The URL's ``entry`` wins (a shared link, the link after
    publishing); a key that names nothing is said so, and the first entry opens instead."""
    by_key = {entry.key: entry for entry in entries}
    wanted = st.query_params.get(ENTRY_PARAM)
    if wanted is not None and wanted not in by_key:
        st.warning(t("bank.unknown_entry", key=escape_markdown(str(wanted)[:80])), icon=":material/link_off:")
        wanted = None
    chosen = wanted or st.session_state.get(_OPEN)
    if chosen not in by_key:
        chosen = entries[0].key
    st.session_state[_OPEN] = chosen
    if st.query_params.get(ENTRY_PARAM) != chosen:
        st.query_params[ENTRY_PARAM] = chosen  # the address names what is shown, so it can be shared
    st.session_state[_PICKER] = chosen
    labels = {entry.key: t("bank.option", name=entry_name(t, entry), organisation=organisation_label(t, entry.organisation))
              for entry in entries}
    st.selectbox(t("bank.choose"), list(by_key), format_func=labels.__getitem__, key=_PICKER,
                 on_change=_follow_picker)
    return by_key[chosen]


def _follow_picker() -> None:
    st.session_state[_OPEN] = st.session_state[_PICKER]
    st.query_params[ENTRY_PARAM] = st.session_state[_PICKER]


def entry_details(t: Translator, entry: BankEntry, lang: str) -> Scenario | None:
    """One entry in full: who published it and when, its description, its key figures and the
    headline of Långsiktig kalkyl, the note on what happened, and every source. Returns its
    scenario, or None when the stored one no longer passes today's checks (said so here)."""
    problem: InputError | None = None
    scenario: Scenario | None = None
    with reading() as session:
        try:
            scenario = bank_scenario(session, entry.key, lang)
        except InputError as found:
            problem = found
        source = source_state(session, entry)
        source_name = get_document(session, entry.source_document_id).name \
            if source == "kept" and entry.source_document_id is not None else ""
        own = entry.organisation == owner_of(session).organisation and not entry.built_in

    st.subheader(escape_markdown(entry_name(t, entry)))
    organisation = escape_markdown(organisation_label(t, entry.organisation))
    if entry.published_at is None:
        st.caption(t("bank.built_in_line"))
    elif not entry.organisation:  # the embedded mode: one organisation, with no name to give
        st.caption(t("bank.published_line_here", time=format_time(entry.published_at, lang)))
    elif own and entry.published_by:
        # The person who published is named only to their own organisation.
        st.caption(t("bank.published_line_person", user=escape_markdown(entry.published_by), organisation=organisation,
                     time=format_time(entry.published_at, lang)))
    else:
        st.caption(t("bank.published_line", organisation=organisation, time=format_time(entry.published_at, lang)))
    if source == "kept":
        st.caption(t("bank.source_kept", version=entry.source_version, name=escape_markdown(source_name)))
    elif source in ("trashed", "deleted"):
        st.info(t(f"bank.source_{source}"), icon=":material/info:")
    if scenario is None:
        assert problem is not None
        problem_list(t, problem, heading=t("bank.invalid"))
        return None

    _description(t, entry, scenario, lang)
    # Side by side also on a phone, where columns would stack three short figures under each other.
    with st.container(horizontal=True, gap="medium"):
        st.metric(t("field.price_year"), str(scenario.price_year), width="content")
        st.metric(t("bank.horizon"), t("bank.years", years=scenario.horizon_years), width="content")
        st.metric(t("bank.contract"), t("bank.years", years=scenario.contract_years), width="content")
    _headline(t, scenario, lang)

    st.markdown(f"##### {t('bank.note_heading')}")
    with st.container(border=True):
        if entry.note:
            st.markdown(_paragraphs(entry.note))
        else:
            st.caption(t("bank.built_in_note") if entry.built_in else t("bank.no_note"))
    _sources(t, entry, scenario, lang)
    if entry.built_in:
        _kalkyl_link(t, "bank.open_example", f"example:{entry.key[4:]}")
    return scenario


def _description(t: Translator, entry: BankEntry, scenario: Scenario, lang: str) -> None:
    """What the scenario is about. A built-in example's own description is Swedish: in another
    language its translated summary comes first and the description folds away under it."""
    summary_key = f"examples.{entry.key[4:]}.summary"
    if entry.built_in and lang != "sv" and t(summary_key) != summary_key:
        st.markdown(escape_markdown(t(summary_key)))
        with st.expander(t("bank.description_original")):
            st.markdown(_paragraphs(scenario.description))
        return
    st.markdown(_paragraphs(scenario.description) if scenario.description.strip() else t("bank.no_description"))


def _headline(t: Translator, scenario: Scenario, lang: str) -> None:
    """The same answer in a sentence as Långsiktig kalkyl gives for the expected case."""
    st.markdown(f"##### {t('bank.headline_heading')}")
    if missing_parts(scenario):  # published before publishing asked for outcomes and costs
        st.info(t("bank.entry_incomplete"), icon=":material/info:")
        return
    with st.container(border=True):
        st.markdown(escape_markdown(savings_headline(project_savings(scenario), lang)))
    st.caption(t("bank.headline_caption", year=scenario.price_year, rate=format_percent(scenario.discount_rate, lang)))


def _sources(t: Translator, entry: BankEntry, scenario: Scenario, lang: str) -> None:
    """Every source and assumption, as Långsiktig kalkyl lists them, with the link as plain text."""
    if not scenario.sources:
        st.caption(t("bank.no_sources"))
        return
    with st.expander(t("bank.sources_heading", count=len(scenario.sources)), icon=":material/menu_book:"):
        table_with_downloads(
            t, {t("calc.source_field"): [source_label(s.field, lang) for s in scenario.sources],
                t("calc.source_kind"): [t("calc.assumption") if is_assumption(s) else t("calc.sourced")
                                        for s in scenario.sources],
                t("calc.source_text"): [s.text for s in scenario.sources],
                t("bank.source_url"): [s.url or "–" for s in scenario.sources]},
            f"exempelbanken-{entry.key.replace(':', '-')}-kallor", "bank_sources", lang, hide_index=True,
            width="stretch")


def copy_form(t: Translator, entry: BankEntry, lang: str) -> None:
    """Copy the entry into the user's organisation as a new scenario, then link to it."""
    with st.container(border=True):
        st.markdown(f"**{t('bank.copy_heading')}**")
        st.caption(t("bank.copy_lead"))
        shown_name = entry_name(t, entry)
        name = st.text_input(t("bank.copy_name"), max_chars=MAX_NAME_LENGTH, placeholder=shown_name[:MAX_NAME_LENGTH],
                             help=t("bank.copy_name_help"), key=f"bank_copy_name_{entry.key}")
        if st.button(t("bank.copy_button"), type="primary", key="bank_copy_button", icon=":material/content_copy:"):
            try:
                with transaction() as session:
                    copy = copy_from_bank(session, entry.key, (name or "").strip() or shown_name[:MAX_NAME_LENGTH],
                                          lang)
            except InputError as problem:
                problem_list(t, problem, heading=t("bank.copy_refused"))
            except DocumentNotFound:
                st.error(t("bank.not_found"), icon=":material/link_off:")
            except NotAllowed:
                st.error(t("bank.not_allowed"), icon=":material/lock:")
            else:
                st.session_state[_COPIED] = (entry.key, copy.document_id, copy.name)
                state.set_open_scenario(copy.document_id)  # Scenarier opens it too
        copied = st.session_state.get(_COPIED)
        if copied and copied[0] == entry.key:
            st.success(t("bank.copied", name=escape_markdown(copied[2])), icon=":material/check_circle:")
            _kalkyl_link(t, "bank.open_copy", f"saved:{copied[1]}")


# --- on the Scenarier page -------------------------------------------------------------------------

def origin_caption(t: Translator, origin: str | None) -> None:
    """For a scenario copied from the bank: which example it came from, with a link to it."""
    if not origin:
        return
    try:
        with reading() as session:
            entry = bank_entry(session, origin)
    except DocumentNotFound:
        st.caption(t("bank.copied_from_unknown", key=escape_markdown(origin)))
        return
    name = escape_markdown(entry_name(t, entry))
    st.caption(t("bank.copied_from", name=name, organisation=escape_markdown(entry.organisation))
               if entry.organisation else t("bank.copied_from_here", name=name))
    _bank_link(t, "bank.open_origin", origin)


def publish_missing(payload: dict, lang: str) -> tuple[str, ...]:
    """What a stored scenario lacks before it may be published (nothing for one that cannot be read
    at all: publishing it is refused by the store's own check)."""
    try:
        return missing_parts(parse_scenario(payload, lang))
    except InputError:
        return ()


def publish_section(t: Translator, document_id: int, newest: int, missing: tuple[str, ...] = ()) -> None:
    """Publish the newest version of a saved scenario, with an optional note on what happened,
    behind a confirmation that the copy is for good and for everyone on the server. A scenario
    that still lacks ``missing`` (engine.savings.narrative.missing_parts) is not offered: an
    example nobody can calculate on helps nobody, and a published one cannot be taken back."""
    published = st.session_state.get(_PUBLISHED)
    if published and published[0] == document_id:
        st.success(t("bank.published", name=escape_markdown(published[2])), icon=":material/check_circle:")
        _bank_link(t, "bank.open_published", published[1])
    with st.expander(t("bank.publish_heading"), icon=":material/local_library:"):
        st.write(t("bank.publish_lead", version=newest))
        if missing:
            st.info(t("bank.publish_incomplete", what=missing_sentence(missing, state.language())),
                    icon=":material/add_circle:")
            return
        round_ = st.session_state.get(_PUBLISH_ROUND, 0)
        note = st.text_area(t("bank.publish_note"), max_chars=MAX_NOTE, help=t("bank.publish_note_help", max=MAX_NOTE),
                            key=f"bank_publish_note_{document_id}_{round_}")
        confirmed = st.checkbox(t("bank.publish_confirm"), key=f"bank_publish_confirm_{document_id}_{round_}")
        if not st.button(t("bank.publish_button"), key="bank_publish_button", disabled=not confirmed,
                         icon=":material/publish:"):
            return
        if len((note or "").strip()) > MAX_NOTE:
            st.error(t("bank.note_too_long", max=MAX_NOTE), icon=":material/error:")
            return
        try:
            with transaction() as session:
                entry = publish_scenario(session, document_id, note or "")
        except DocumentNotFound:
            st.error(t("bank.publish_gone"), icon=":material/link_off:")
            return
        except NotAllowed:
            st.error(t("bank.not_allowed"), icon=":material/lock:")
            return
        except ValueError:  # the store's own limit, should the field's have been passed by
            st.error(t("bank.note_too_long", max=MAX_NOTE), icon=":material/error:")
            return
    st.session_state[_PUBLISHED] = (document_id, entry.key, entry.name)
    st.session_state[_PUBLISH_ROUND] = round_ + 1
    st.rerun()
