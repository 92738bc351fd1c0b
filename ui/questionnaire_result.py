"""The questionnaire's result and saved answer sets: ranking chart, reasons, exclusions, legal
screens, stability, what would change it, links; save, open and compare answer sets."""

from __future__ import annotations

import streamlit as st

from engine.catalogue import instrument_entry
from engine.errors import InputError
from engine.i18n import format_number
from engine.questionnaire import (
    Recommendation,
    change_text,
    confidence_text,
    recommend,
    recommendation_to_json,
)
from engine.questionnaire_chart import ranking_chart
from engine.storage import DocumentNotFound, list_answer_sets, load_answers, save_answers
from ui import state
from ui.charts import chart_with_downloads
from ui.db import transaction
from ui.frame import Translator
from ui.questionnaire_inputs import replace_answers
from ui.text import escape_markdown

CATALOGUE_PAGE = "pages/instrumenten.py"
CALC_PAGE = "pages/kalkyl.py"
_TOP = 3


def result(t: Translator, rec: Recommendation, lang: str, presenter: bool) -> None:
    words = recommendation_to_json(rec, lang)
    first = words["ranking"][0]
    st.subheader(t("questionnaire.result.heading"))
    if rec.answered == 0:
        st.info(t("questionnaire.result.no_answers"))
    with st.container(border=True):
        st.markdown(f"#### {t('questionnaire.result.first', instrument=first['name'], score=_points(first['score'], lang))}")
        st.write(confidence_text(rec, lang))
    chart_with_downloads(t, ranking_chart(rec, lang, presenter=presenter), "instrumentval", "q_ranking", lang)

    st.markdown(f"##### {t('questionnaire.result.top_heading')}")
    for place, row in enumerate([r for r in words["ranking"] if not r["excluded"]][:_TOP], start=1):
        title = t("questionnaire.result.top_item", place=place, instrument=row["name"],
                  score=_points(row["score"], lang))
        with st.expander(title, expanded=place == 1):
            _bullets(t("questionnaire.result.for"), row["reasons_for"], t("questionnaire.result.none_for"))
            _bullets(t("questionnaire.result.against"), row["reasons_against"], t("questionnaire.result.none_against"))
            st.page_link(CATALOGUE_PAGE, label=t("questionnaire.result.read_more", instrument=row["name"]),
                         icon=":material/menu_book:", query_params={"instrument": row["instrument"], "lang": lang})

    excluded = [r for r in words["ranking"] if r["excluded"]]
    st.markdown(f"##### {t('questionnaire.result.excluded_heading')}")
    if not excluded:
        st.write(t("questionnaire.result.none_excluded"))
    for row in excluded:
        st.markdown(f"**{row['name']}**")
        st.markdown("\n".join(f"- {reason}" for reason in row["exclusion_reasons"]))

    st.markdown(f"##### {t('questionnaire.result.change_heading')}")
    st.markdown("\n".join(f"- {change_text(c, lang)}" for c in rec.changes) if rec.changes
                else t("questionnaire.change.none"))

    st.markdown(f"##### {t('questionnaire.result.legal_heading')}")
    st.warning(words["disclaimer"], icon=":material/gavel:")
    for note in words["legal_notes"]:
        with st.expander(note["title"]):
            st.write(note["text"])
            st.markdown(t("questionnaire.result.sources") + " "
                        + " · ".join(f"[{_host(url)}]({url})" for url in note["sources"]))

    st.markdown(f"##### {t('questionnaire.result.links_heading')}")
    st.page_link(CATALOGUE_PAGE, label=t("questionnaire.result.catalogue_link"), icon=":material/menu_book:")
    cases = [e for e in instrument_entry(rec.first, lang).examples if e.example_case]
    for example in cases:
        if st.button(t("questionnaire.result.open_example", title=example.title), key=f"q_case_{example.id}",
                     icon=":material/query_stats:"):
            state.set_calc_source(f"example:{example.example_case}")
            st.switch_page(CALC_PAGE)
    if not cases:
        st.page_link(CALC_PAGE, label=t("questionnaire.result.calc_link"), icon=":material/query_stats:")


def saved_sets(t: Translator, answers: dict, lang: str) -> None:
    """Save the current answers (a new version when the name exists), open a saved set, compare two."""
    st.subheader(t("questionnaire.saved.heading"))
    with transaction() as session:
        sets = list_answer_sets(session)
    save_column, open_column = st.columns(2)
    with save_column:
        name = st.text_input(t("questionnaire.saved.name"), key="qs_name", max_chars=200,
                             help=t("questionnaire.saved.name_help"))
        if st.button(t("questionnaire.saved.save"), key="qs_save", icon=":material/save:", type="primary"):
            if not name.strip():
                st.error(t("questionnaire.saved.name_missing"))
            else:
                existing = next((s.id for s in sets if s.name == name.strip()), None)
                try:
                    with transaction() as session:
                        info = save_answers(session, name, answers, existing)
                except InputError as problems:
                    st.error("\n\n".join(str(p) for p in problems.problems))
                else:
                    st.toast(t("questionnaire.saved.saved", name=info.name, version=info.number))
                    st.rerun()
    labels = {s.id: t("questionnaire.saved.option", name=s.name, version=s.latest_version) for s in sets}
    with open_column:
        if not sets:
            st.caption(t("questionnaire.saved.none"))
        else:
            chosen = st.selectbox(t("questionnaire.saved.open_label"), list(labels), format_func=labels.get,
                                  key="qs_open")
            st.button(t("questionnaire.saved.open"), key="qs_open_button", icon=":material/folder_open:",
                      on_click=_open_set, args=(chosen, next(s.name for s in sets if s.id == chosen), lang))
            if st.session_state.pop("qs_open_failed", False):
                st.error(t("questionnaire.saved.load_failed"))
            elif opened := st.session_state.pop("qs_opened", None):
                st.toast(t("questionnaire.saved.loaded", name=opened))

    st.markdown(f"##### {t('questionnaire.saved.compare_heading')}")
    if len(sets) < 2:
        st.caption(t("questionnaire.saved.compare_need_two"))
        return
    ids = list(labels)
    columns = st.columns(2)
    for column, key, default in ((columns[0], "qs_compare_a", 0), (columns[1], "qs_compare_b", 1)):
        with column:
            document_id = st.selectbox(t(f"questionnaire.saved.{key[3:]}"), ids, index=default,
                                       format_func=labels.get, key=key)
            try:
                with transaction() as session:
                    loaded = load_answers(session, document_id, lang=lang)
            except (DocumentNotFound, InputError):
                st.error(t("questionnaire.saved.load_failed"))
                continue
            _compact_ranking(t, recommend(loaded), lang)


def _open_set(document_id: int, name: str, lang: str) -> None:
    # A callback, so that the name field can still be set before it is drawn in this run.
    try:
        with transaction() as session:
            loaded = load_answers(session, document_id, lang=lang)
    except (DocumentNotFound, InputError):
        st.session_state["qs_open_failed"] = True
        return
    replace_answers(loaded)
    st.session_state["qs_name"] = name
    st.session_state["qs_opened"] = name


def _compact_ranking(t: Translator, rec: Recommendation, lang: str) -> None:
    words = recommendation_to_json(rec, lang)
    st.markdown(f"**{t('questionnaire.saved.first', instrument=words['ranking'][0]['name'])}**")
    st.caption(confidence_text(rec, lang))
    st.dataframe({
        t("questionnaire.saved.col_instrument"): [r["name"] for r in words["ranking"]],
        t("questionnaire.saved.col_score"): [_points(r["score"], lang) for r in words["ranking"]],
        t("questionnaire.saved.col_excluded"): [t("questionnaire.saved.yes") if r["excluded"] else ""
                                                for r in words["ranking"]],
    }, hide_index=True, width="stretch")


def _bullets(heading: str, items: list[str], empty: str) -> None:
    st.markdown(f"**{heading}**")
    st.markdown("\n".join(f"- {item}" for item in items) if items else empty)


def _points(score: float, lang: str) -> str:
    return format_number(score, lang)


def _host(url: str) -> str:
    return escape_markdown(url.split("//", 1)[-1].split("/", 1)[0])
