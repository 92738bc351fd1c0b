"""The facilitator's screen: one view at a time, chosen above it, so the big screen shows one thing
large and a change redraws only that.

Views that follow the room (who has joined, what everyone's answers recommend, the open estimate
round) are drawn in a fragment that reruns itself every :data:`REFRESH_SECONDS`; what the
facilitator types (conclusions, notes) is drawn outside it, so a refresh never touches a field
being typed in. Every name a participant typed is shown as text (``escape_markdown``, or a table
cell, or ``chart_text`` in a chart).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pandas as pd
import streamlit as st

from engine.errors import InputError
from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent
from engine.memo.content import WorkshopRecord
from engine.numbers import format_for_input
from engine.questionnaire.scoring import AnswersError, load_questionnaire, recommend, recommendation_to_json
from engine.savings.charts import cumulative_chart
from engine.savings.model import project_savings
from engine.scenario import Scenario
from engine.storage import DocumentNotFound, VersionConflict, get_document, load_scenario, save_scenario
from engine.storage import workshops as store
from engine.workshop.charts import spread_chart
from engine.workshop.codes import format_join_code
from engine.workshop.disagreement import QuestionSpread, first_choices, group_answers, spreads
from engine.workshop.export import (
    ConclusionRecord,
    RoundRecord,
    agreed_words,
    answer_rows,
    conclusion_rows,
    csv_bytes,
    estimate_rows,
    workbook_bytes,
)
from engine.workshop.pooling import Estimate, pool_estimates
from engine.workshop.roles import ROLES
from engine.workshop.rounds import (
    RoundTarget,
    TargetGone,
    adopt_pooled,
    figure_text,
    round_quantity,
    round_targets,
)
from ui import state
from ui.components.chart_with_downloads import chart_with_downloads
from ui.components.number_field import number_field
from ui.components.qr import show_qr
from ui.components.table_with_downloads import table_downloads
from ui.db import reading, transaction
from ui.frame import Translator
from ui.memo_views import memo_download, memo_for
from ui.questionnaire_result import result as recommendation_result
from ui.scenario_views import chart_footnote
from ui.text import escape_markdown
from ui.workshop_round import round_words
from ui.workshop_setup import attach_scenario

VIEWS = ("join", "progress", "group", "rounds", "savings", "conclusions", "close")
LIVE_VIEWS = ("progress", "group", "rounds")
REFRESH_SECONDS = 1.5
_VIEW = "workshop_view"
#: {workshop id: the version the conclusions form edits}
_CONCLUSIONS_BASE = "workshop_conclusions_base"
#: {workshop id: (the conclusions a refused save held, the newer version)}
_CONCLUSIONS_PENDING = "workshop_conclusions_pending"
_QUESTIONS = load_questionnaire().questions

# The join code is read from the back of the room: large, spaced, monospaced.
_CODE_CSS = """
<style>
/* The workshop's name heads every view; at projector size it would take a third of the screen. */
[data-testid="stHeading"] h1 { font-size: 2.4rem !important; }
/* Tables share the page's width out among their columns and wrap their text, so the last role's
   column is never pushed out of sight behind a scroll bar. */
[data-testid="stTable"] table { table-layout: fixed !important; width: 100% !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { overflow-wrap: break-word; hyphens: auto; }
.uk-join-code { font-family: "Source Code Pro", monospace; font-size: 4.2rem; font-weight: 700;
  letter-spacing: 0.12em; line-height: 1.1; margin: 0.2rem 0 0.6rem 0; white-space: nowrap; }
</style>
"""


def header(t: Translator, workshop: store.Workshop) -> None:
    """Title, organisation and date, the join code, and whether the workshop is open."""
    setup = workshop.setup
    st.html(_CODE_CSS)
    st.title(escape_markdown(setup.title), anchor=False)
    where = " · ".join(escape_markdown(part) for part in (setup.organisation, setup.date) if part)
    status = t("workshop.status.open") if workshop.is_open else t("workshop.status.closed")
    st.caption(f"{where} · {t('workshop.code_inline', code=format_join_code(workshop.join_code))} · {status}")


def view_selector(t: Translator) -> str:
    st.session_state.setdefault(_VIEW, "join")
    labels = {view: t(f"workshop.view.{view}") for view in VIEWS}
    chosen = st.segmented_control(t("workshop.view.label"), VIEWS, format_func=labels.get, key=_VIEW,
                                  label_visibility="collapsed", width="stretch")
    return chosen or "join"


def draw(t: Translator, view: str, workshop: store.Workshop, secret: str) -> None:
    if view in LIVE_VIEWS:
        _live(t, view, workshop.id)
    elif view == "join":
        _join(t, workshop, secret)
    elif view == "savings":
        _savings(t, workshop)
    elif view == "conclusions":
        _conclusions(t, workshop)
    else:
        _close_and_export(t, workshop)


# --- join ----------------------------------------------------------------------------------------

def join_link(workshop: store.Workshop, lang: str = DEFAULT_LANGUAGE) -> str:
    """The address participants open: this server's /delta page with the code, and the language
    of the facilitator's screen when it is not the default, so an English room joins in English."""
    base = _base_url()
    language = "" if lang == DEFAULT_LANGUAGE else f"&lang={lang}"
    return f"{base}/delta?kod={workshop.join_code}{language}"


def _base_url() -> str:
    url = st.context.url or ""
    for page in ("/workshop", "/delta"):
        if page in url:
            return url.split(page)[0].rstrip("/")
    return url.split("?")[0].rstrip("/")


def _join(t: Translator, workshop: store.Workshop, secret: str) -> None:
    link = join_link(workshop, state.language())
    code_column, qr_column = st.columns([3, 2], gap="large")
    with code_column:
        st.markdown(f"### {t('workshop.join.heading')}")
        st.write(t("workshop.join.step_open", address=link.split("/delta")[0] + "/delta"))
        st.html(f'<div class="uk-join-code">{format_join_code(workshop.join_code)}</div>')
        st.write(t("workshop.join.step_scan"))
        st.code(link, language=None, wrap_lines=True)
        if not workshop.is_open:
            st.warning(t("workshop.join.closed"), icon=":material/lock:")
    with qr_column:
        show_qr(link, caption=t("workshop.join.qr_caption"))
    with st.expander(t("workshop.join.facilitator_link"), icon=":material/key:"):
        st.warning(t("workshop.join.facilitator_warning"), icon=":material/visibility_off:")
        st.code(f"{_base_url()}/workshop?f={secret}", language=None, wrap_lines=True)


# --- the live views ------------------------------------------------------------------------------

@st.fragment(run_every=REFRESH_SECONDS)
def _live(t: Translator, view: str, workshop_id: int) -> None:
    """Redrawn every REFRESH_SECONDS from the database: what the room has done since."""
    with reading() as session:
        workshop = store.get_workshop(session, workshop_id)
        everyone = store.all_answers(session, workshop_id)
        open_round = store.open_round_of(session, workshop_id) if view == "rounds" else None
        past = store.rounds(session, workshop_id) if view == "rounds" else []
        estimates = store.round_estimates(session, open_round.id) if open_round else []
    if view == "progress":
        _progress(t, everyone)
    elif view == "group":
        _group(t, everyone)
    else:
        _rounds(t, workshop, open_round, estimates, past, len(everyone))


def _progress(t: Translator, everyone: list[tuple[store.Participant, dict]]) -> None:
    total = len(_QUESTIONS)
    done = sum(1 for _, answers in everyone if len(answers) == total)
    columns = st.columns(3)
    columns[0].metric(t("workshop.progress.joined"), len(everyone))
    columns[1].metric(t("workshop.progress.finished"), done)
    columns[2].metric(t("workshop.progress.answers"), sum(len(a) for _, a in everyone))
    if not everyone:
        st.info(t("workshop.progress.nobody"), icon=":material/hourglass_empty:")
        return
    now = datetime.now(UTC)
    lang = state.language()
    # st.table, not st.dataframe: its text grows with presenter mode's larger font, so the back of
    # the room can read it. It renders Markdown, so the names people typed are escaped.
    columns = {
        t("workshop.progress.col_name"): [p.name for p, _ in everyone],
        t("workshop.progress.col_role"): [t(f"workshop.role.{p.role}") for p, _ in everyone],
        t("workshop.progress.col_answered"): [t("workshop.progress.answered_n", n=len(a), total=total)
                                              for _, a in everyone],
        t("workshop.progress.col_question"): [t("workshop.progress.question_n", n=p.step + 1, total=total)
                                              for p, _ in everyone],
        t("workshop.progress.col_seen"): [_ago(t, now, p.last_seen_at, lang) for p, _ in everyone],
    }
    _table(t, columns, "workshop-deltagare", "workshop_progress")
    counts = {role: sum(1 for p, _ in everyone if p.role == role) for role in ROLES}
    st.caption(" · ".join(f"{t(f'workshop.role.{role}')}: {n}" for role, n in counts.items() if n))


def _ago(t: Translator, now: datetime, then: datetime, lang: str) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return t("workshop.progress.seconds_ago", n=seconds)
    if seconds < 3600:
        return t("workshop.progress.minutes_ago", n=seconds // 60)
    return then.astimezone().strftime("%H:%M")


def _group(t: Translator, everyone: list[tuple[store.Participant, dict]]) -> None:
    lang = state.language()
    answered = [(p.role, a) for p, a in everyone if a]
    if not answered:
        st.info(t("workshop.group.nobody"), icon=":material/hourglass_empty:")
        return
    together = group_answers(answered)
    st.markdown(f"#### {t('workshop.group.heading')}")
    if together:
        first = _recommendation_words(json.dumps(together, sort_keys=True), lang)["ranking"][0]
        st.markdown(f"**{t('workshop.group.first', instrument=first['name'], score=format_number(first['score'], lang))}**")
        st.caption(t("workshop.group.how", answered=len(together), total=len(_QUESTIONS), people=len(answered)))
    else:
        st.caption(t("workshop.group.no_common"))
    tally = _first_choices(json.dumps(answered, sort_keys=True))
    st.write(t("workshop.group.each_first") + " " + " · ".join(
        f"{t(f'catalogue.{instrument}.name')}: {n}" for instrument, n in tally.items()))

    st.markdown(f"#### {t('workshop.group.disagreement_heading')}")
    st.caption(t("workshop.group.disagreement_how"))
    present = [role for role in ROLES if any(r == role for r, _ in answered)]
    # spreads() puts the questions two roles answered first; the others have no disagreement to
    # show (one role alone is not agreement), so they say why instead of a figure.
    rows = spreads(answered)
    table: dict[str, list] = {
        t("workshop.group.col_question"): [t(f"questionnaire.q.{s.question}") for s in rows],
        t("workshop.group.col_disagreement"): [_disagreement_words(t, s, lang) for s in rows]}
    for role in present:
        table[t(f"workshop.role.{role}")] = [_role_answer(t, s.question, s.by_role.get(role, {})) for s in rows]
    _table(t, table, "workshop-oenighet", "workshop_disagreement")


def _disagreement_words(t: Translator, spread: QuestionSpread, lang: str) -> str:
    """The disagreement in per cent; "–" for a question nobody answered and a few words for one
    only one role answered, where there is nothing to compare."""
    if spread.disagreement is not None:
        return format_percent(spread.disagreement, lang, 0)
    return t("workshop.group.one_role") if spread.answered else "–"


def _table(t: Translator, columns: dict[str, list], file_stem: str, key: str) -> None:
    """A table without its row numbers, in text that scales with the page (see _progress), and its
    CSV and Excel downloads. ``st.table`` reads Markdown, so what is shown is escaped; the files
    hold the text as it is."""
    shown = {escape_markdown(k): [escape_markdown(str(v)) for v in values] for k, values in columns.items()}
    st.table(pd.DataFrame(shown).style.hide(axis="index"))
    table_downloads(t, columns, file_stem, key, state.language())


@st.cache_data(max_entries=64, show_spinner=False)
def _recommendation_words(answers_json: str, lang: str) -> dict:
    """The recommendation for one set of answers, in words; cached, because the live view asks for
    it every refresh and the answers change far less often (its stability check takes ~0.1 s)."""
    return recommendation_to_json(recommend(json.loads(answers_json)), lang)


@st.cache_data(max_entries=64, show_spinner=False)
def _first_choices(answered_json: str) -> dict[str, int]:
    """Each participant's first choice, counted; cached like the recommendation above."""
    return first_choices([(role, answers) for role, answers in json.loads(answered_json)])


def _role_answer(t: Translator, question: str, counts: dict[str, int]) -> str:
    """A role's most common answer and how many of the role gave it: "Testa en ny metod (3 av 4)"."""
    if not counts:
        return "–"
    option, n = max(counts.items(), key=lambda item: item[1])
    total = sum(counts.values())
    text = t(f"questionnaire.q.{question}.o.{option}")
    return text if total == 1 else t("workshop.group.share", answer=text, n=n, total=total)


# --- estimate rounds -----------------------------------------------------------------------------

def target_words(t: Translator, scenario: Scenario, target: RoundTarget) -> tuple[str, str]:
    """What a round asks, in words, and its unit (TargetGone when the scenario no longer has it)."""
    return round_words(t, state.language(), round_quantity(scenario, target))


def _scenario(workshop: store.Workshop) -> tuple[Scenario, int] | None:
    """The workshop's scenario, latest version, or None when it has none (or it cannot be read)."""
    if workshop.setup.scenario_id is None:
        return None
    try:
        with reading() as session:
            number = get_document(session, workshop.setup.scenario_id).latest_version
            return load_scenario(session, workshop.setup.scenario_id, number, lang=state.language()), number
    except (DocumentNotFound, InputError):
        return None


def _rounds(t: Translator, workshop: store.Workshop, open_round: store.Round | None,
            estimates: list[store.GivenEstimate], past: list[store.Round], people: int) -> None:
    opened = _scenario(workshop)
    if opened is None:
        _no_scenario(t, workshop)
        return
    scenario, _version = opened
    _round_controls(t, workshop, scenario, open_round)
    if open_round is not None:
        _round_spread(t, scenario, open_round, estimates, people)
    finished = [r for r in past if not r.is_open]
    if finished:
        with st.expander(t("workshop.rounds.past", n=len(finished))):
            for done in finished:
                _past_round(t, workshop, scenario, done, open_round)


def _no_scenario(t: Translator, workshop: store.Workshop) -> None:
    """Say that the workshop has no scenario it can open, and let the facilitator choose one."""
    st.info(t("workshop.rounds.no_scenario"), icon=":material/info:")
    attach_scenario(t, workshop)


def _round_controls(t: Translator, workshop: store.Workshop, scenario: Scenario, open_round: store.Round | None) -> None:
    targets = round_targets(scenario)
    if not targets:
        st.info(t("workshop.rounds.no_outcomes"), icon=":material/info:")
        return
    labels = {index: target_words(t, scenario, target)[0] for index, target in enumerate(targets)}
    # While a round is open, "Starta runda" is greyed out and says why: ending a round is a decision
    # of its own (the room may still be typing), never the side effect of a click meant for the next one.
    blocked = None if open_round is None else t("workshop.rounds.open_blocked", n=open_round.number)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        choice = st.selectbox(t("workshop.rounds.choose"), list(labels), format_func=labels.get, key="round_target",
                              width=520)
        if st.button(t("workshop.rounds.open"), icon=":material/play_arrow:", type="primary",
                     disabled=not workshop.is_open or open_round is not None, help=blocked, key="round_open"):
            try:
                with transaction() as session:
                    number = get_document(session, workshop.setup.scenario_id).latest_version
                    store.open_round(session, workshop.id, targets[choice], number)
            except store.RoundStillOpen as still:  # opened from another screen since this one was drawn
                st.warning(t("workshop.rounds.still_open", n=still.number), icon=":material/warning:")
                return
            st.rerun(scope="fragment")
        if open_round is not None and st.button(t("workshop.rounds.close"), icon=":material/stop:", key="round_close"):
            with transaction() as session:
                store.close_round(session, open_round.id)
            st.rerun(scope="fragment")
    if blocked is not None:
        st.caption(blocked)


def _pooled(estimates: list[store.GivenEstimate]):
    given = [Estimate(e.low, e.most_likely, e.high, e.role) for e in estimates
             if e.low is not None and e.most_likely is not None and e.high is not None]
    return pool_estimates(given)


def _round_spread(t: Translator, scenario: Scenario, open_round: store.Round,
                  estimates: list[store.GivenEstimate], people: int) -> None:
    lang = state.language()
    try:
        asked, _unit = target_words(t, scenario, open_round.target)
        quantity = round_quantity(scenario, open_round.target)
    except TargetGone:
        st.warning(t("workshop.rounds.target_gone"), icon=":material/link_off:")
        return
    skipped = sum(1 for e in estimates if e.skipped)
    given = [e for e in estimates if not e.skipped]
    st.markdown(f"#### {t('workshop.rounds.now', n=open_round.number)}: {escape_markdown(asked)}")
    st.caption(t("workshop.rounds.counts", given=len(given), skipped=skipped, people=people))
    pooled = _pooled(estimates)
    if pooled is not None:
        st.markdown(t("workshop.rounds.pooled", low=_amount(pooled.low, quantity.unit, lang),
                      most_likely=_amount(pooled.most_likely, quantity.unit, lang),
                      high=_amount(pooled.high, quantity.unit, lang)))
        st.caption(t("workshop.rounds.pooled_how", left_out=pooled.left_out_each_side))
    figure = _spread_figure(tuple((e.name, e.role, e.low, e.most_likely, e.high) for e in given),
                            None if pooled is None else (pooled.low, pooled.most_likely, pooled.high),
                            quantity.current, quantity.unit, asked, lang, state.presenter_mode())
    if given:
        chart_with_downloads(t, figure, f"runda-{open_round.number}", f"round_{open_round.number}", lang,
                             footnote=chart_footnote(scenario.name, scenario.price_year, lang,
                                                     version=open_round.scenario_version))
    if pooled is not None:
        _adopt_button(t, open_round, pooled)


@st.cache_data(max_entries=32, show_spinner=False)
def _spread_figure(estimates: tuple, pooled: tuple | None, current: float, unit: str, title: str, lang: str,
                   presenter: bool):
    """The round's chart; cached, because the live view redraws every refresh and building and
    styling the figure takes longer (~0.1 s) than reading the estimates."""
    return spread_chart(estimates, pooled, current=current, unit=unit, title=title, lang=lang, presenter=presenter)


def _adopt_button(t: Translator, the_round: store.Round, pooled) -> None:
    label = t("workshop.rounds.adopt") if the_round.adopted_version is None else t(
        "workshop.rounds.adopt_again", version=the_round.adopted_version)
    if st.button(label, icon=":material/input:", key=f"adopt_{the_round.id}"):
        _adopt(t, the_round)


def _adopt(t: Translator, the_round: store.Round) -> None:
    """Put the round's pooled range into the scenario as its next version, all in one transaction so
    that the range is computed from the estimates as they are when it is written."""
    lang = state.language()
    with transaction() as session:
        workshop = store.get_workshop(session, the_round.workshop_id)
        document = workshop.setup.scenario_id
        if document is None:
            return
        number = get_document(session, document).latest_version
        scenario = load_scenario(session, document, number, lang=lang)
        estimates = store.round_estimates(session, the_round.id)
        pooled = _pooled(estimates)
        if pooled is None:
            return
        quantity = round_quantity(scenario, the_round.target)
        text = t("workshop.round.source", count=pooled.participants, date=date.today().isoformat(),
                 title=workshop.setup.title, low=_amount(pooled.low, quantity.unit, lang),
                 most_likely=_amount(pooled.most_likely, quantity.unit, lang),
                 high=_amount(pooled.high, quantity.unit, lang))
        adopted = adopt_pooled(scenario, the_round.target, pooled.low, pooled.most_likely, pooled.high, text)
        version = save_scenario(session, adopted, document, event="estimate", based_on=number)
        store.mark_adopted(session, the_round.id, version.number)
    st.toast(t("workshop.rounds.adopted", version=version.number), icon=":material/check_circle:")


def _past_round(t: Translator, workshop: store.Workshop, scenario: Scenario, done: store.Round,
                open_round: store.Round | None) -> None:
    lang = state.language()
    with reading() as session:
        estimates = store.round_estimates(session, done.id)
    try:
        asked, _unit = target_words(t, scenario, done.target)
        quantity = round_quantity(scenario, done.target)
    except TargetGone:
        st.write(t("workshop.rounds.past_gone", n=done.number))
        return
    pooled = _pooled(estimates)
    line = t("workshop.rounds.past_line", n=done.number, asked=escape_markdown(asked),
             given=sum(1 for e in estimates if not e.skipped))
    if pooled is not None:
        line += " " + t("workshop.rounds.pooled", low=_amount(pooled.low, quantity.unit, lang),
                        most_likely=_amount(pooled.most_likely, quantity.unit, lang),
                        high=_amount(pooled.high, quantity.unit, lang))
    if done.adopted_version is not None:
        line += " " + t("workshop.rounds.adopted_as", version=done.adopted_version)
    st.markdown(line)
    with st.container(horizontal=True):
        blocked = None if open_round is None else t("workshop.rounds.open_blocked", n=open_round.number)
        if workshop.is_open and st.button(t("workshop.rounds.reopen"), key=f"reopen_round_{done.id}",
                                          icon=":material/replay:", disabled=blocked is not None, help=blocked):
            try:
                with transaction() as session:
                    store.reopen_round(session, done.id)
            except store.RoundStillOpen as still:
                st.warning(t("workshop.rounds.still_open", n=still.number), icon=":material/warning:")
                return
            st.rerun(scope="fragment")
        if pooled is not None:
            _adopt_button(t, done, pooled)


def _amount(value: float, unit: str, lang: str) -> str:
    """A figure of a round with the decimals it has: the pooled low and high are figures someone
    typed, and must read as typed (0,15 %, not 0,1 %)."""
    return figure_text(value, unit, lang)


# --- savings -------------------------------------------------------------------------------------

def _savings(t: Translator, workshop: store.Workshop) -> None:
    opened = _scenario(workshop)
    if opened is None:
        _no_scenario(t, workshop)
        return
    scenario, version = opened
    lang = state.language()
    st.markdown(f"#### {escape_markdown(scenario.name)} · {t('workshop.savings.version', version=version)}")
    projection = project_savings(scenario)
    chart_with_downloads(t, cumulative_chart(projection, lang, presenter=state.presenter_mode()),
                         "workshop-besparing", "workshop_cumulative", lang,
                         footnote=chart_footnote(scenario.name, scenario.price_year, lang, version=version))
    st.page_link("pages/kalkyl.py", label=t("workshop.savings.open_calc"), icon=":material/query_stats:",
                 query_params={"scenario": f"saved:{workshop.setup.scenario_id}"})


# --- conclusions ---------------------------------------------------------------------------------

def _conclusions(t: Translator, workshop: store.Workshop) -> None:
    """The group's agreed answers, decisions and notes; saving adds a version of the workshop."""
    lang = state.language()
    # The form edits the version it was first drawn from, not whatever is newest at the next run: a
    # save by another screen in between is then a conflict to be told about, not a silent swap of
    # the form under the facilitator's typing.
    base = int(st.session_state.setdefault(_CONCLUSIONS_BASE, {}).setdefault(workshop.id, workshop.version))
    with reading() as session:
        everyone = store.all_answers(session, workshop.id)
        history = store.workshop_history(session, workshop.id)
        setup = store.workshop_version(session, workshop.id, base)
    _pending_conflict(t, workshop.id)
    if base != workshop.version:
        st.info(t("workshop.conclusions.newer", version=workshop.version, base=base), icon=":material/update:")
        st.button(t("workshop.conclusions.load_newer"), icon=":material/sync:", key="conclusions_load_newer",
                  on_click=_set_base, args=(workshop.id, workshop.version))
    suggestion = group_answers([(p.role, a) for p, a in everyone if a])
    form_key = f"conclusions_{base}"
    if st.session_state.pop("conclusions_take_group", False):
        _prefill(form_key, suggestion)
    st.button(t("workshop.conclusions.take_group"), icon=":material/groups:", disabled=not suggestion,
              on_click=st.session_state.__setitem__, args=("conclusions_take_group", True),
              help=t("workshop.conclusions.take_group_help"))
    with st.form(form_key):
        agreed: dict[str, str | float | None] = {}
        for number, question in enumerate(_QUESTIONS, start=1):
            label = f"{number}. {t(f'questionnaire.q.{question.id}')}"
            current = setup.agreed.get(question.id)
            if question.kind == "choice":
                options = ["", *question.options]
                names = {"": t("workshop.conclusions.not_agreed")} | {
                    o: t(f"questionnaire.q.{question.id}.o.{o}") for o in question.options}
                key = f"{form_key}_{question.id}"
                # Set through session state only (also by "fill in the group's answers"), never with index=.
                st.session_state.setdefault(key, current if current in options else "")
                agreed[question.id] = st.selectbox(label, options, format_func=names.get, key=key) or None
            else:
                agreed[question.id] = number_field(f"{label} ({t(f'questionnaire.q.{question.id}.unit')})",
                                                   current if isinstance(current, (int, float)) else None,
                                                   key=f"{form_key}_{question.id}", low=question.minimum,
                                                   high=question.maximum, required=False, in_form=True)
        decisions = st.text_area(t("workshop.conclusions.decisions"), setup.decisions, max_chars=store.MAX_TEXT,
                                 height=140)
        notes = st.text_area(t("workshop.conclusions.notes"), setup.notes, max_chars=store.MAX_TEXT, height=140)
        saved = st.form_submit_button(t("workshop.conclusions.save"), type="primary", icon=":material/save:")
    if saved:
        _save_conclusions(t, workshop.id, base, setup, {k: v for k, v in agreed.items() if v is not None},
                          decisions, notes)
    if setup.agreed:
        agreed = recommend(setup.agreed)
        footnote = t("exports.footnote_workshop_answers", title=" ".join(setup.title.split()), version=base,
                     answered=agreed.answered, questions=agreed.questions, date=date.today().isoformat())
        recommendation_result(t, agreed, lang, state.presenter_mode(), footnote)
    with st.expander(t("workshop.conclusions.history", n=len(history))):
        st.dataframe({
            t("scenarios.col_version"): [v.number for v in history],
            t("scenarios.col_event"): [t(f"scenarios.event.{v.event}") for v in history],
            t("workshop.conclusions.col_when"): [v.created_at.astimezone().strftime("%Y-%m-%d %H:%M") for v in history],
        } | ({t("access.col_saved_by"): [v.saved_by or "–" for v in history]} if any(v.saved_by for v in history)
             else {}), hide_index=True, width="stretch")


def _prefill(form_key: str, answers: dict) -> None:
    for question in _QUESTIONS:
        key = f"{form_key}_{question.id}"
        if question.id in answers:
            value = answers[question.id]
            # Every decimal of the median stays (1 and 2 give 1,5): a rounded figure would be saved
            # and score differently from the group's answers on the Svar view.
            st.session_state[key] = value if question.kind == "choice" else format_for_input(float(value),
                                                                                               state.language())
        else:
            st.session_state[key] = ""


def _set_base(workshop_id: int, version: int) -> None:
    st.session_state.setdefault(_CONCLUSIONS_BASE, {})[workshop_id] = version
    st.session_state.get(_CONCLUSIONS_PENDING, {}).pop(workshop_id, None)


def _save_conclusions(t: Translator, workshop_id: int, base: int, setup: store.WorkshopSetup, agreed: dict,
                      decisions: str, notes: str) -> None:
    mine = store.WorkshopSetup(**{**setup.__dict__, "agreed": agreed, "decisions": decisions, "notes": notes})
    try:
        with transaction() as session:
            version = store.save_setup(session, workshop_id, mine, based_on=base)
    except VersionConflict as conflict:
        # Kept across runs: the choice below is made in a later run than the refused save.
        st.session_state.setdefault(_CONCLUSIONS_PENDING, {})[workshop_id] = (mine, conflict.latest.number)
        st.rerun()
    except (AnswersError, ValueError):
        st.error(t("workshop.conclusions.invalid"), icon=":material/error:")
        return
    _set_base(workshop_id, version.number)
    st.toast(t("workshop.conclusions.saved", version=version.number), icon=":material/check_circle:")
    st.rerun()


def _pending_conflict(t: Translator, workshop_id: int) -> None:
    """A refused save of the conclusions: say so, and offer to save them anyway as the next version."""
    pending = st.session_state.get(_CONCLUSIONS_PENDING, {}).get(workshop_id)
    if pending is None:
        return
    mine, theirs = pending
    st.error(t("workshop.conclusions.conflict", version=theirs), icon=":material/sync_problem:")
    if st.button(t("workshop.conclusions.keep_mine"), icon=":material/save:", key="conclusions_keep_mine"):
        with transaction() as session:
            version = store.save_setup(session, workshop_id, mine)
        _set_base(workshop_id, version.number)
        st.rerun()


# --- close and export ----------------------------------------------------------------------------

def _close_and_export(t: Translator, workshop: store.Workshop) -> None:
    lang = state.language()
    if workshop.is_open:
        st.write(t("workshop.close.lead_open"))
        if st.button(t("workshop.close.close"), icon=":material/lock:", type="primary", key="workshop_close"):
            with transaction() as session:
                store.close_workshop(session, workshop.id)
            st.rerun()
    else:
        st.info(t("workshop.close.lead_closed"), icon=":material/lock:")
        if st.button(t("workshop.close.reopen"), icon=":material/lock_open:", key="workshop_reopen"):
            with transaction() as session:
                store.reopen_workshop(session, workshop.id)
            st.rerun()

    _memo_with_workshop(t, workshop, lang)
    st.markdown(f"#### {t('workshop.export.heading')}")
    st.caption(t("workshop.export.lead"))
    sheets = export_tables(t, workshop, lang)
    stem = f"workshop-{workshop.setup.date}"
    st.download_button(t("workshop.export.xlsx"), _workbook(json.dumps(sheets, default=str)), file_name=f"{stem}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key="export_xlsx", on_click="ignore")
    with st.container(horizontal=True):
        for name, rows in sheets.items():
            part = name.split(" ")[0].lower()
            st.download_button(t("workshop.export.csv", part=name), csv_bytes(rows, lang),
                               file_name=f"{stem}-{part}.csv", mime="text/csv", icon=":material/download:",
                               key=f"export_csv_{part}", on_click="ignore")


@st.cache_data(max_entries=8, show_spinner=False)
def _workbook(sheets_json: str) -> bytes:
    """The Excel file, built again only when its content changed (it takes ~0.1 s for a full room)."""
    return workbook_bytes(json.loads(sheets_json))


def _memo_with_workshop(t: Translator, workshop: store.Workshop, lang: str) -> None:
    """The decision memo of the workshop's scenario, with the group's agreed answers and a section
    on the workshop (who took part, where the roles disagreed, what was agreed and decided)."""
    st.markdown(f"#### {t('workshop.memo.heading')}")
    opened = _scenario(workshop)
    if opened is None:
        st.caption(t("workshop.memo.no_scenario"))
        return
    scenario, version = opened
    record = workshop_record(t, workshop)
    memo = memo_for(scenario, lang=lang, version=version, answers=dict(workshop.setup.agreed) or None, workshop=record)
    st.caption(t("workshop.memo.lead"))
    memo_download(t("memo.page.download"), memo, key="workshop_memo")


def workshop_record(t: Translator, workshop: store.Workshop) -> WorkshopRecord:
    """What the memo says about the workshop, read from its participants' answers and its conclusions."""
    with reading() as session:
        everyone = store.all_answers(session, workshop.id)
    answered = [(p.role, a) for p, a in everyone if a]
    roles = [(role, sum(1 for p, _ in everyone if p.role == role)) for role in ROLES]
    differing = [(t(f"questionnaire.q.{s.question}"), s.disagreement) for s in spreads(answered)
                 if s.disagreement is not None and s.disagreement > 0][:5]
    try:
        held_on = date.fromisoformat(workshop.setup.date)
    except ValueError:
        held_on = None
    return WorkshopRecord(title=workshop.setup.title, held_on=held_on,
                          participants=tuple((role, n) for role, n in roles if n), disagreements=tuple(differing),
                          agreed_answers=agreed_words(workshop.setup.agreed, state.language()),
                          decisions=tuple(line for line in workshop.setup.decisions.splitlines() if line.strip()),
                          notes=workshop.setup.notes)


def export_tables(t: Translator, workshop: store.Workshop, lang: str) -> dict[str, list[dict]]:
    """The workshop's record as three tables (answers, estimates, conclusions), named for the sheets."""
    with reading() as session:
        everyone = store.all_answers(session, workshop.id)
        all_rounds = list(reversed(store.rounds(session, workshop.id)))
        estimates = {r.id: store.round_estimates(session, r.id) for r in all_rounds}
        history = list(reversed(store.workshop_history(session, workshop.id)))
        versions = [store.workshop_version(session, workshop.id, v.number) for v in history]
    opened = _scenario(workshop)
    records = []
    for the_round in all_rounds:
        try:
            asked, unit = target_words(t, opened[0], the_round.target) if opened else ("", "")
        except TargetGone:
            asked, unit = t("workshop.rounds.target_gone"), ""
        pooled = _pooled(estimates[the_round.id])
        records.append(RoundRecord(the_round.number, asked, unit,
                                   [(e.name, e.role, e.low, e.most_likely, e.high) for e in estimates[the_round.id]],
                                   None if pooled is None else (pooled.low, pooled.most_likely, pooled.high),
                                   the_round.adopted_version, shares=the_round.target.is_share()))
    conclusions = [ConclusionRecord(v.number, v.created_at, v.event, s.agreed, s.decisions, s.notes)
                   for v, s in zip(history, versions, strict=True)]
    return {t("workshop.export.sheet_answers"): answer_rows([(p.name, p.role, a) for p, a in everyone], lang),
            t("workshop.export.sheet_estimates"): estimate_rows(records, lang),
            t("workshop.export.sheet_conclusions"): conclusion_rows(conclusions, lang)}
