"""The questionnaire's result and saved answer sets: ranking chart, reasons, exclusions, legal
screens, stability, what would change it, links; save, open and compare answer sets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from engine.errors import InputError, Problem
from engine.i18n import format_number, translate
from engine.questionnaire import legal
from engine.questionnaire.catalogue import instrument_entry
from engine.questionnaire.charts import ranking_chart
from engine.questionnaire.scoring import (
    Question,
    Recommendation,
    change_text,
    confidence_text,
    load_questionnaire,
    recommend,
    recommendation_to_json,
)
from engine.storage import (
    DocumentNotFound,
    VersionConflict,
    get_document,
    list_answer_sets,
    load_answers,
    save_answers,
)
from engine.storage.answers import (
    MAX_NAME_LENGTH,
    answer_set_history,
    rename_answer_set,
    restore_answer_version,
    trash_answer_set,
    untrash_answer_set,
)
from ui import state
from ui.components import save_conflict
from ui.components.chart_with_downloads import chart_with_downloads
from ui.components.document_history import HistoryTexts, document_history, rename_input, trash_button
from ui.components.scenario_source_picker import Source
from ui.components.table_with_downloads import table_with_downloads
from ui.db import reading, transaction
from ui.frame import Translator
from ui.questionnaire_inputs import replace_answers
from ui.scenario_views import download_file_name
from ui.text import escape_markdown, toast_name

CATALOGUE_PAGE = "pages/instrumenten.py"
CALC_PAGE = "pages/kalkyl.py"
COMPARE_PAGE = "pages/jamfor_instrument.py"
_TOP = 3


#: How the answer sets' history is worded (ui.components.document_history).
HISTORY_TEXTS = HistoryTexts(
    pick="questionnaire.saved.pick_version", version="questionnaire.saved.version_label",
    contents="questionnaire.saved.version_contents", open="questionnaire.saved.open_version",
    open_help="questionnaire.saved.open_version_help", restore="questionnaire.saved.restore",
    restore_help="questionnaire.saved.restore_help", rename_label="questionnaire.saved.rename_label",
    rename="questionnaire.saved.rename", trash_confirm="questionnaire.saved.trash_confirm",
    trash="questionnaire.saved.trash", newest="questionnaire.saved.version_latest")


def result(t: Translator, rec: Recommendation, lang: str, presenter: bool, footnote: str | None = None) -> None:
    """The recommendation from ``rec``. ``footnote`` names what the answers are under the ranking
    chart's images (:func:`answers_footnote` when None)."""
    words = recommendation_to_json(rec, lang)
    first = words["ranking"][0]
    st.subheader(t("questionnaire.result.heading"))
    if rec.answered == 0:
        # With no answers every instrument scores the same; a "first choice" would be an accident of
        # ordering, and on a shared screen it would be read as advice. Invite answers instead.
        st.info(t("questionnaire.result.no_answers"))
        st.page_link(CATALOGUE_PAGE, label=t("questionnaire.result.catalogue_link"), icon=":material/menu_book:")
        return
    with st.container(border=True):
        st.markdown(f"#### {t('questionnaire.result.first', instrument=first['name'], score=_points(first['score'], lang))}")
        st.write(confidence_text(rec, lang))
    chart_with_downloads(t, ranking_chart(rec, lang, presenter=presenter), "instrumentval", "q_ranking", lang,
                         footnote=footnote or answers_footnote(rec, lang))

    st.markdown(f"##### {t('questionnaire.result.top_heading')}")
    for place, row in enumerate([r for r in words["ranking"] if not r["excluded"]][:_TOP], start=1):
        title = t("questionnaire.result.top_item", place=place, instrument=row["name"],
                  score=_points(row["score"], lang))
        with st.expander(title, expanded=place == 1):
            _bullets(t("questionnaire.result.for"), row["reasons_for"], t("questionnaire.result.none_for"))
            _bullets(t("questionnaire.result.against"), row["reasons_against"], t("questionnaire.result.none_against"))
            _catalogue_link(t("questionnaire.result.read_more", instrument=row["name"]), row["instrument"], lang)

    excluded = [r for r in words["ranking"] if r["excluded"]]
    st.markdown(f"##### {t('questionnaire.result.excluded_heading')}")
    if not excluded:
        st.write(t("questionnaire.result.none_excluded"))
    for row in excluded:
        st.markdown(f"**{row['name']}**")
        st.markdown("\n".join(f"- {reason}" for reason in row["exclusion_reasons"]))
        _catalogue_link(t("questionnaire.result.read_more", instrument=row["name"]), row["instrument"], lang)

    st.markdown(f"##### {t('questionnaire.result.change_heading')}")
    st.markdown("\n".join(f"- {change_text(c, lang)}" for c in rec.changes) if rec.changes
                else t("questionnaire.change.none"))

    st.markdown(f"##### {t('questionnaire.result.legal_heading')}")
    st.warning(words["disclaimer"], icon=":material/gavel:")
    stale = legal.period_warning(legal.today(), lang)  # thresholds confirmed for a period that has ended
    if stale and any(note["id"] == "procurement_obligation" for note in words["legal_notes"]):
        st.warning(stale, icon=":material/event_busy:")
    for note in words["legal_notes"]:
        with st.expander(note["title"]):
            st.write(note["text"])
            st.markdown(t("questionnaire.result.sources") + " "
                        + " · ".join(f"[{_host(url)}]({url})" for url in note["sources"]))

    st.markdown(f"##### {t('questionnaire.result.links_heading')}")
    st.page_link(COMPARE_PAGE, label=t("questionnaire.result.compare_link"), icon=":material/compare_arrows:",
                 help=t("questionnaire.result.compare_link_help"))
    st.page_link(CATALOGUE_PAGE, label=t("questionnaire.result.catalogue_link"), icon=":material/menu_book:")
    with st.expander(t("questionnaire.result.each_link_heading")):
        for place, row in enumerate(words["ranking"], start=1):
            key = "questionnaire.result.each_link_excluded" if row["excluded"] else "questionnaire.result.each_link"
            _catalogue_link(t(key, place=place, instrument=row["name"]), row["instrument"], lang)
    cases = [e for e in instrument_entry(rec.first, lang).examples if e.example_case]
    for example in cases:
        if st.button(t("questionnaire.result.open_example", title=example.title), key=f"q_case_{example.id}",
                     icon=":material/query_stats:"):
            state.set_open_source(Source.example(example.example_case))
            st.switch_page(CALC_PAGE)
    if not cases:
        st.page_link(CALC_PAGE, label=t("questionnaire.result.calc_link"), icon=":material/query_stats:")


def saved_sets(t: Translator, answers: dict, lang: str) -> None:
    """Save the current answers (a new version when the name exists); open, look back through the
    history of, restore, rename, trash and untrash a saved set; compare two sets, any version of each."""
    st.subheader(t("questionnaire.saved.heading"))
    with reading() as session:
        sets = list_answer_sets(session)
        trashed = list_answer_sets(session, trashed=True)
    save_column, open_column = st.columns(2)
    with save_column:
        name = st.text_input(t("questionnaire.saved.name"), key="qs_name", max_chars=MAX_NAME_LENGTH,
                             help=t("questionnaire.saved.name_help"))
        waiting = _answers_conflict(t, answers, lang)
        if not waiting and st.button(t("questionnaire.saved.save"), key="qs_save", icon=":material/save:",
                                     type="primary"):
            _save(t, name, answers, sets)
    labels = {s.id: t("questionnaire.saved.option", name=s.name, version=s.latest_version) for s in sets}
    ids = list(labels)
    chosen = None
    with open_column:
        if not sets:
            st.caption(t("questionnaire.saved.none"))
        else:
            chosen = _keep_choice("qs_open", ids, 0)
            st.selectbox(t("questionnaire.saved.open_label"), ids, format_func=labels.get, key="qs_open")
            summary = next(s for s in sets if s.id == chosen)
            st.button(t("questionnaire.saved.open"), key="qs_open_button", icon=":material/folder_open:",
                      on_click=_open_set, args=(chosen, None, summary.name, lang))
            _open_messages(t)
    if chosen is not None:
        _history_and_manage(t, summary, [s.name for s in sets if s.id != chosen], lang)
    _trash(t, trashed)

    st.markdown(f"##### {t('questionnaire.saved.compare_heading')}")
    if len(sets) < 2:
        st.caption(t("questionnaire.saved.compare_need_two"))
        return
    names = {s.id: s.name for s in sets}
    columns = st.columns(2)
    compared = []
    for column, side, default in ((columns[0], "a", 0), (columns[1], "b", 1)):
        with column:
            compared.append(_compare_side(t, side, ids, default, labels, names, lang))
    if all(compared):
        _differences(t, compared[0], compared[1], lang)


#: The saved set (document id, version) the answers were opened from: a save of that set names the
#: version, so a newer one someone else saved meanwhile is never replaced without asking.
_OPENED = "qs_opened_version"
_CONFLICT = "answers"


def _save(t: Translator, name: str, answers: dict, sets: list, based_on: int | None = None) -> None:
    if not name.strip():
        st.error(t("questionnaire.saved.name_missing"))
        return
    existing = next((s.id for s in sets if s.name == name.strip()), None)
    opened = st.session_state.get(_OPENED)
    if based_on is None and opened is not None and opened[0] == existing:
        based_on = opened[1]
    try:
        with transaction() as session:
            info = save_answers(session, name, answers, existing, based_on=based_on)
    except VersionConflict as refused:
        assert existing is not None
        save_conflict.remember(_CONFLICT, save_conflict.Conflict.of(existing, dict(answers), refused))
        st.rerun()
    except InputError as problems:
        st.error("\n\n".join(escape_markdown(problem_text(t, p)) for p in problems.problems))
    except ValueError:
        st.error(t("questionnaire.saved.name_too_long", limit=MAX_NAME_LENGTH))
    except DocumentNotFound:
        st.error(t("questionnaire.saved.load_failed"))
    else:
        st.session_state[_OPENED] = (info.document_id, info.number)
        st.toast(t("questionnaire.saved.saved", name=toast_name(info.name), version=info.number))
        st.rerun()


def _answers_conflict(t: Translator, answers: dict, lang: str) -> bool:
    """After a refused save (someone saved the set meanwhile): when, which answers differ, and the
    choice; keep mine as the next version, take theirs, or save mine as a new set."""
    opened = st.session_state.get(_OPENED)
    conflict = save_conflict.pending(_CONFLICT, opened[0] if opened else None)
    if conflict is None:
        return False
    try:
        with reading() as session:
            base = load_answers(session, conflict.document_id, conflict.based_on, lang)
            theirs = load_answers(session, conflict.document_id, conflict.latest_number, lang)
    except (DocumentNotFound, InputError):
        base, theirs = None, {}
    conflict = replace(conflict, mine=dict(answers))
    choice = save_conflict.conflict_choice(t, _CONFLICT, conflict, None if base is None else dict(base),
                                           dict(theirs), lambda qid: _question_label(t, qid))
    if choice is None:
        return True
    save_conflict.forget(_CONFLICT)
    with reading() as session:
        sets = list_answer_sets(session)
    if choice == "keep":
        _save(t, conflict.latest_name, answers, sets, based_on=conflict.latest_number)
    elif choice == "take":
        replace_answers(theirs)
        st.session_state[_OPENED] = (conflict.document_id, conflict.latest_number)
        st.toast(t("conflict.taken", number=conflict.latest_number))
        st.rerun()
    else:
        copy_name = t("conflict.copy_name", name=conflict.latest_name)[:MAX_NAME_LENGTH]
        st.session_state.pop(_OPENED, None)
        _save(t, copy_name, answers, sets)
    return True


def _question_label(t: Translator, question_id: str) -> str:
    """A question as the questionnaire asks it (its id when it is no longer asked)."""
    asked = {q.id for q in load_questionnaire().questions}
    return t(f"questionnaire.q.{question_id}") if question_id in asked else question_id


def _keep_choice(key: str, ids: list[int], default: int) -> int:
    """The chosen id of a selectbox ``key``, set before it is drawn: the set asked for by the last
    action, else the user's choice if it still exists (not trashed), else the ``default``-th."""
    wanted = st.session_state.pop(f"{key}_next", None)
    if wanted in ids:
        st.session_state[key] = wanted
    elif st.session_state.get(key) not in ids:
        st.session_state[key] = ids[min(default, len(ids) - 1)]
    return st.session_state[key]


def _open_messages(t: Translator) -> None:
    if (failed := st.session_state.pop("qs_open_failed", None)) is not None:
        _load_failed(t, InputError([Problem(*problem) for problem in failed]) if failed else None)
    elif opened := st.session_state.pop("qs_opened", None):
        st.toast(t("questionnaire.saved.loaded", name=toast_name(opened)))


def _history_and_manage(t: Translator, summary, other_names: list[str], lang: str) -> None:
    """The chosen set's versions (look at one, open it, restore it) and its name and trash."""
    try:
        with reading() as session:
            history = answer_set_history(session, summary.id)
    except DocumentNotFound:
        st.warning(t("questionnaire.saved.load_failed"))
        return
    history_tab, manage_tab = st.tabs([t("questionnaire.saved.tab_history", name=escape_markdown(summary.name)),
                                       t("questionnaire.saved.tab_manage")])
    with history_tab:
        def show_answers(version: int) -> None:
            try:
                with reading() as session:
                    old = load_answers(session, summary.id, version, lang)
            except (DocumentNotFound, InputError) as failure:
                _load_failed(t, failure)
                return
            table_with_downloads(t, _answer_table(t, old, lang), _stem(summary.name, version, "svar"),
                                 "qs_version_answers", lang, hide_index=True, width="stretch")

        def open_version(version: int) -> None:
            _open_set(summary.id, version, summary.name, lang)

        choice = document_history(t, history, HISTORY_TEXTS, key="qs", lang=lang, contents=show_answers,
                                  on_open=open_version)
        action = choice.action
        if action is not None and action.kind == "restore":
            try:
                with transaction() as session:
                    restored = restore_answer_version(session, summary.id, choice.picked,
                                                      based_on=history[0].number)
            except (DocumentNotFound, VersionConflict):
                st.error(t("questionnaire.saved.load_failed"))
            else:
                st.toast(t("questionnaire.saved.restored", version=choice.picked, new=restored.number))
                st.rerun()
    with manage_tab:
        renaming = rename_input(t, HISTORY_TEXTS, key="qs", document_id=summary.id, name=summary.name,
                                newest=summary.latest_version, max_chars=MAX_NAME_LENGTH)
        if renaming is not None:
            _rename(t, summary, renaming.name or "", other_names)
        st.divider()
        if trash_button(t, HISTORY_TEXTS, key="qs", document_id=summary.id, name=summary.name) is not None:
            try:
                with transaction() as session:
                    trash_answer_set(session, summary.id)
            except DocumentNotFound:
                st.error(t("questionnaire.saved.load_failed"))
            else:
                st.toast(t("questionnaire.saved.trashed", name=toast_name(summary.name)))
                st.rerun()


def _rename(t: Translator, summary, new_name: str, other_names: list[str]) -> None:
    wanted = new_name.strip()
    if not wanted:
        st.error(t("questionnaire.saved.name_missing"))
    elif wanted in other_names:
        # Saving looks a set up by its name, so two sets with one name would be confusing.
        st.error(t("questionnaire.saved.name_taken", name=escape_markdown(wanted)))
    elif wanted == summary.name:
        st.info(t("questionnaire.saved.name_same"))
    else:
        try:
            with transaction() as session:
                rename_answer_set(session, summary.id, wanted)
        except ValueError:
            st.error(t("questionnaire.saved.name_too_long", limit=MAX_NAME_LENGTH))
        except DocumentNotFound:
            st.error(t("questionnaire.saved.load_failed"))
        else:
            st.toast(t("questionnaire.saved.renamed", old=toast_name(summary.name), name=toast_name(wanted)))
            st.rerun()


def _trash(t: Translator, trashed: list) -> None:
    with st.expander(t("questionnaire.saved.trash_heading", count=len(trashed))):
        if not trashed:
            st.write(t("questionnaire.saved.trash_empty"))
        for summary in trashed:
            row_text, row_button = st.columns([3, 1])
            row_text.text(t("questionnaire.saved.option", name=summary.name, version=summary.latest_version))
            if row_button.button(t("questionnaire.saved.untrash"), key=f"qs_untrash_{summary.id}",
                                 icon=":material/restore_from_trash:"):
                try:
                    with transaction() as session:
                        untrash_answer_set(session, summary.id)
                except DocumentNotFound:
                    st.error(t("questionnaire.saved.load_failed"))
                else:
                    st.session_state["qs_open_next"] = summary.id
                    st.toast(t("questionnaire.saved.untrashed", name=toast_name(summary.name)))
                    st.rerun()


def _compare_side(t: Translator, side: str, ids: list[int], default: int, labels: dict, names: dict,
                  lang: str) -> tuple[str, int, dict] | None:
    """One side of the comparison: a set and one of its versions (latest first); its ranking."""
    key = f"qs_compare_{side}"
    document_id = _keep_choice(key, ids, default)
    st.selectbox(t(f"questionnaire.saved.compare_{side}"), ids, format_func=labels.get, key=key)
    try:
        with reading() as session:
            numbers = [info.number for info in answer_set_history(session, document_id)]
        version_labels = _version_labels(t, numbers)
        version = st.selectbox(t("questionnaire.saved.compare_version"), numbers, format_func=version_labels.get,
                               key=f"{key}_version_{document_id}_{numbers[0]}")
        with reading() as session:
            loaded = load_answers(session, document_id, version, lang)
    except (DocumentNotFound, InputError) as failure:
        _load_failed(t, failure)
        return None
    _compact_ranking(t, recommend(loaded), lang, key, _stem(names[document_id], version, "rangordning"))
    return names[document_id], version, dict(loaded)


def _differences(t: Translator, left: tuple[str, int, dict], right: tuple[str, int, dict], lang: str) -> None:
    """The questions the two compared versions answer differently, in words."""
    (left_name, left_version, left), (right_name, right_version, right) = left, right
    differing = [q for q in load_questionnaire().questions if left.get(q.id) != right.get(q.id)]
    st.markdown(f"**{t('questionnaire.saved.diff_heading')}**")
    if not differing:
        st.write(t("questionnaire.saved.diff_none"))
        return
    table_with_downloads(t, {
        t("questionnaire.saved.col_question"): [t(f"questionnaire.q.{q.id}") for q in differing],
        t("questionnaire.saved.diff_left", set=left_name, version=left_version):
            [_answer_words(t, q, left.get(q.id), lang) for q in differing],
        t("questionnaire.saved.diff_right", set=right_name, version=right_version):
            [_answer_words(t, q, right.get(q.id), lang) for q in differing],
    }, "svar-skillnader", "qs_differences", lang, hide_index=True, width="stretch")


def _version_labels(t: Translator, numbers: list[int]) -> dict[int, str]:
    # A dict's lookup, not a lambda: widget options must survive pickling of session state.
    return {n: t("questionnaire.saved.version_latest" if i == 0 else "questionnaire.saved.version_label", version=n)
            for i, n in enumerate(numbers)}


def _answer_table(t: Translator, answers: dict, lang: str) -> dict[str, list[str]]:
    questions = load_questionnaire().questions
    return {t("questionnaire.saved.col_question"): [t(f"questionnaire.q.{q.id}") for q in questions],
            t("questionnaire.saved.col_answer"): [_answer_words(t, q, answers.get(q.id), lang) for q in questions]}


def _answer_words(t: Translator, question: Question, value, lang: str) -> str:
    """An answer as the user saw it: the option's text, or the number with its unit."""
    if value is None:
        return t("questionnaire.page.unanswered")
    if question.kind == "choice":
        return t(f"questionnaire.q.{question.id}.o.{value}")
    decimals = 0 if float(value).is_integer() else 1
    return f"{format_number(float(value), lang, decimals)} {t(f'questionnaire.q.{question.id}.unit')}"


def problem_text(t: Translator, problem: Problem) -> str:
    """A problem with an answer, named by its question's text rather than its technical path."""
    question_id = problem.path.removeprefix("answers.") if problem.path else ""
    if question_id in {q.id for q in load_questionnaire().questions}:
        return f"{t(f'questionnaire.q.{question_id}')}: {problem.message}"
    return str(problem)


def _load_failed(t: Translator, failure: Exception | None) -> None:
    """Why saved answers cannot be used: gone (another user removed them), or no longer valid
    (a stored version that today's questions refuse, e.g. after a range was tightened)."""
    if isinstance(failure, InputError):
        st.error(t("questionnaire.saved.stored_invalid") + "\n\n"
                 + "\n".join(f"- {escape_markdown(problem_text(t, p))}" for p in failure.problems))
    else:
        st.error(t("questionnaire.saved.load_failed"))


def _open_set(document_id: int, version: int | None, name: str, lang: str) -> None:
    # A callback, so that the name field can still be set before it is drawn in this run.
    try:
        with reading() as session:
            loaded = load_answers(session, document_id, version, lang=lang)
    except (DocumentNotFound, InputError) as failure:
        # Plain (path, message, code) tuples: session state must stay serialisable.
        st.session_state["qs_open_failed"] = (
            [(p.path, p.message, p.code) for p in failure.problems] if isinstance(failure, InputError) else [])
        return
    replace_answers(loaded)
    st.session_state["qs_name"] = name
    st.session_state["qs_opened"] = name
    if version is None:
        with reading() as session:
            version = get_document(session, document_id).latest_version
    st.session_state[_OPENED] = (document_id, version)


def answers_footnote(rec: Recommendation, lang: str, today: date | None = None) -> str:
    """The line under the ranking chart's images: how many questions the recommendation rests on,
    and the day (a ranking has no scenario or price year to name).

    >>> from engine.questionnaire.scoring import recommend
    >>> answers_footnote(recommend({}), "sv", date(2026, 12, 2))
    'Instrumentval efter svaren på 0 av 19 frågor · 2026-12-02'
    """
    return translate("exports.footnote_answers", lang, answered=rec.answered, questions=rec.questions,
                     date=(today or date.today()).isoformat())


def _compact_ranking(t: Translator, rec: Recommendation, lang: str, key: str, stem: str) -> None:
    words = recommendation_to_json(rec, lang)
    st.markdown(f"**{t('questionnaire.saved.first', instrument=words['ranking'][0]['name'])}**")
    st.caption(confidence_text(rec, lang))
    def columns(score) -> dict[str, list]:
        return {
            t("questionnaire.saved.col_instrument"): [r["name"] for r in words["ranking"]],
            t("questionnaire.saved.col_score"): [score(r["score"]) for r in words["ranking"]],
            t("questionnaire.saved.col_excluded"): [t("questionnaire.saved.yes") if r["excluded"] else ""
                                                    for r in words["ranking"]],
        }

    # On screen the score as the page writes it; in the files as a number to sort and calculate with.
    table_with_downloads(t, columns(lambda score: _points(score, lang)), stem, f"{key}_ranking", lang,
                         export=lambda: columns(float), hide_index=True, width="stretch")


def _stem(name: str, version: int, what: str) -> str:
    """A download's file name without its ending: the answer set's name, version and contents."""
    return f"{download_file_name(name, version).removesuffix('.json')}-{what}"


def _catalogue_link(label: str, instrument: str, lang: str) -> None:
    # The catalogue opens at this instrument (?instrument=), in the same language (?lang=).
    st.page_link(CATALOGUE_PAGE, label=label, icon=":material/menu_book:",
                 query_params={"instrument": instrument, "lang": lang})


def _bullets(heading: str, items: list[str], empty: str) -> None:
    st.markdown(f"**{heading}**")
    st.markdown("\n".join(f"- {item}" for item in items) if items else empty)


def _points(score: float, lang: str) -> str:
    return format_number(score, lang)


def _host(url: str) -> str:
    return escape_markdown(url.split("//", 1)[-1].split("/", 1)[0])
