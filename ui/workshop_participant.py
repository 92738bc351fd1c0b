"""The participant's side of a workshop (``pages/delta.py``), made for a phone: the join code,
joining with a name and a role, the questionnaire one question per screen, and a closed workshop's
own answers. The estimate round drawn above the questions is ``ui.workshop_round``.

Who is who. A participant is bound to the browser they joined from (``ui.device``: a cookie with a
random id, of which the database keeps the hash). The page finds them again, in this order:

1. the personal link ``p=<secret>`` in the address, if its participant joined from this device;
2. the participant this browser session already had in this workshop;
3. the most recent participant who joined from this device (a closed tab reopened from the join
   link, a phone that lost its connection and opened a new session).

A personal link opened anywhere else (copied into another browser or phone) gets the same message
as a link that does not exist, never that participant's answers, and the offer to join anew.

Nothing typed is lost. A choice first goes into this session's pending changes (a widget callback),
is drawn from there, and is written to the database at the end of the same run, into a place right
under the question: if the database fails, the message stands there, the page stays as it was and
the pending change is written on the next run. Otherwise every run starts from the database
(``participant_answers`` and the participant's step), so two tabs cannot drift apart.

The page watches the workshop in a small fragment (every three seconds, drawing nothing) and runs
again as a whole only when the workshop is closed or reopened or a round opens or closes.

What draws or writes takes the run's :class:`Context` (translator, language, device, and the
writes that wait until the page is drawn); the page makes a new one on each run and calls
:meth:`Context.write_deferred` last. The widget callbacks and the fragment that watches the
facilitator take only ids: they run before or apart from the page script, so no Context reaches them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from engine.errors import InputError
from engine.numbers import format_for_input
from engine.questionnaire.legal import legal_params
from engine.questionnaire.scoring import Question, load_questionnaire
from engine.storage import DocumentNotFound
from engine.storage import workshops as ws
from engine.workshop.codes import MAX_JOIN_CODE_INPUT, format_join_code, is_secret_shaped, normalise_join_code
from engine.workshop.roles import ROLES
from ui import join_guard
from ui import workshop_round as rounds
from ui.components.number_field import field_problems, number_field
from ui.db import reading, transaction
from ui.frame import Translator
from ui.text import escape_markdown

#: Session-state keys of the page (plain keys; the widgets' own keys start with "join_" too).
_KNOWN = "join_known_codes"          # {join code: workshop id} found in this session
_URL_CHECK = "join_url_check"        # (the ``kod`` of the address, its message) once looked up
_ME = "join_me_{workshop}"           # this session's participant in a workshop
_PENDING = "join_pending_{participant}"  # choices not yet written: {"answers": {...}, "step": int | None}
#: How often the page asks whether the facilitator changed something, in seconds.
WATCH_SECONDS = 3

QUESTIONNAIRE = load_questionnaire()
TOTAL = len(QUESTIONNAIRE.questions)


@dataclass(frozen=True)
class Context:
    """One run of the participant's page: its translator and language, this browser's device hash
    (``ui.device.device_hash``), and the writes that wait until everything is drawn, in order."""

    t: Translator
    lang: str
    device: str
    deferred: list[Callable[[], None]] = field(default_factory=list)

    def write_deferred(self) -> None:
        """Do the waiting writes; call once, after the page is drawn."""
        for write in self.deferred:
            write()


# --- the join code -----------------------------------------------------------------------------------

def _by_code(code: str) -> ws.Workshop | None:
    with reading() as session:
        return ws.workshop_by_code(session, code)


def _look_up(ctx: Context, code: str) -> tuple[ws.Workshop | None, str | None, bool]:
    """The workshop with a well-formed code, or None and the message to show; counts failures.
    The last value says whether the code was looked up and not found (False while blocked)."""
    known: dict[str, int] = st.session_state.setdefault(_KNOWN, {})
    if code in known:  # found earlier in this session: no new attempt
        try:
            with reading() as session:
                return ws.get_workshop(session, known[code]), None, False
        except DocumentNotFound:
            known.pop(code, None)
    try:
        found = join_guard.guarded_lookup(join_guard.attempt_keys(ctx.device), lambda: _by_code(code))
    except join_guard.Blocked as blocked:
        key = "join.blocked_one" if blocked.minutes == 1 else "join.blocked"
        return None, ctx.t(key, minutes=blocked.minutes), False
    if found is None:
        # A non-breaking hyphen: the code is never split over two lines.
        return None, ctx.t("join.code_unknown", code=format_join_code(code).replace("-", "\u2011")), True
    known[code] = found.id
    return found, None, False


def workshop_in_address(ctx: Context, raw: str) -> tuple[ws.Workshop | None, str | None]:
    """The workshop the address's ``kod`` names, or a message. An unknown code is looked up once
    per session, not on every run (each look-up counts as an attempt)."""
    code = normalise_join_code(raw)
    if code is None:
        return None, ctx.t("join.code_malformed")
    checked = st.session_state.get(_URL_CHECK)
    if checked is not None and checked[0] == code:
        return None, checked[1]
    workshop, message, unknown = _look_up(ctx, code)
    if unknown:
        st.session_state[_URL_CHECK] = (code, message)
    return workshop, message


def code_screen(ctx: Context, problem: str | None) -> None:
    """The field for the code; ``problem`` is what was wrong with the code in the address. A code
    that finds a workshop goes into the address (``kod``) and the page runs again."""
    t = ctx.t
    st.title(t("nav.join"), anchor=False)
    st.write(t("join.lead"))
    with st.form("join_code_form", border=False, enter_to_submit=True):
        typed = st.text_input(t("join.code"), key="join_code", placeholder=t("join.code_placeholder"),
                              max_chars=MAX_JOIN_CODE_INPUT, autocomplete="off")
        go = st.form_submit_button(t("join.go"), type="primary", key="join_code_go")
    if not go:
        if problem:
            st.error(problem, icon=":material/error:")
        return
    code = normalise_join_code(typed)
    if code is None:
        # Not counted: nothing is looked up, so a mistyped code tells a guesser nothing.
        st.error(t("join.code_malformed"), icon=":material/error:")
        return
    workshop, message, _ = _look_up(ctx, code)
    if workshop is None:
        st.error(message or "", icon=":material/error:")
        return
    st.query_params["kod"] = code
    st.query_params.pop("p", None)
    st.rerun()


# --- one workshop ------------------------------------------------------------------------------------

def _heading(workshop: ws.Workshop) -> None:
    st.subheader(escape_markdown(workshop.setup.title), anchor=False)
    if workshop.setup.organisation:
        st.caption(escape_markdown(workshop.setup.organisation))


def _role(t: Translator, role: str) -> str:
    return t(f"workshop.role.{role}")


def workshop_screen(ctx: Context, workshop: ws.Workshop) -> None:
    """The workshop the address names: closed, or the join form, or (for a participant found as the
    module's docstring says) the open round and the questionnaire; then the fragment that watches."""
    t = ctx.t
    secret = st.query_params.get("p")
    with reading() as session:
        mine = ws.participants_on_device(session, workshop.id, ctx.device)
        by_link = ws.participant_by_secret(session, workshop.id, secret) if is_secret_shaped(secret) else None
        link_here = by_link is not None and ws.participant_device(session, by_link.id) == ctx.device
        if link_here:
            me = by_link
        else:
            remembered = st.session_state.get(_ME.format(workshop=workshop.id))
            me = next((p for p in mine if p.id == remembered), mine[0] if mine else None)
        current_round = ws.open_round_of(session, workshop.id)
        answers = ws.participant_answers(session, me.id) if me is not None else {}
        own = ws.own_estimate(session, current_round.id, me.id) if current_round and me else None
        quantity = rounds.quantity(session, workshop, current_round) if current_round and me else None
    link_refused = bool(secret) and not link_here
    if me is not None:
        st.session_state[_ME.format(workshop=workshop.id)] = me.id

    if not workshop.is_open:
        _closed_screen(ctx, workshop, answers if me is not None else None)
    elif me is None:
        _join_screen(ctx, workshop, link_refused)
    else:
        if link_refused:  # someone else's link, but this device has its own participant: resume that one
            st.toast(t("join.link_elsewhere_resumed"), icon=":material/info:")
            st.query_params.pop("p", None)
        if current_round is not None:
            write = rounds.round_box(t, ctx.lang, current_round, quantity, own, me)
            if write is not None:
                ctx.deferred.append(write)
        _questionnaire(ctx, workshop, me, answers)
    _watch(workshop.id, (workshop.is_open, current_round.id if current_round else None))


# --- joining -----------------------------------------------------------------------------------------

def _join_screen(ctx: Context, workshop: ws.Workshop, link_refused: bool) -> None:
    t = ctx.t
    _heading(workshop)
    if link_refused:
        st.warning(t("join.link_elsewhere"), icon=":material/phonelink_lock:")
    # Enter does not send: after the name the role is still to be chosen.
    with st.form("join_form", border=False, enter_to_submit=False):
        # One character more than a name may have: Streamlit cuts the text at max_chars (in the
        # browser and again on the server), and a pasted name that is too long should be told so
        # rather than joined cut short without a word.
        name = st.text_input(t("join.name"), key="join_name", max_chars=ws.MAX_PARTICIPANT_NAME + 1,
                             help=t("join.name_help", most=ws.MAX_PARTICIPANT_NAME), autocomplete="name")
        # A dict's get, not a lambda or a closure over ``t``: AppTest keeps format_func in the
        # session state, which must pickle (runner.enforceSerializableSessionState).
        role = st.radio(t("join.role"), ROLES, index=None, format_func={r: _role(t, r) for r in ROLES}.get,
                        key="join_role")
        go = st.form_submit_button(t("join.go"), type="primary", key="join_go")
    slot = st.container()
    if go:
        ctx.deferred.append(lambda: _join(ctx, workshop, name or "", role, slot))


def _join(ctx: Context, workshop: ws.Workshop, name: str, role: str | None, slot: Any) -> None:
    t = ctx.t
    with slot:
        if role is None:
            st.error(t("join.role_missing"), icon=":material/error:")
            return
        try:
            with transaction() as session:
                me, secret = ws.join_workshop(session, workshop.id, name, role, device_hash=ctx.device)
        except ws.NameTaken:
            st.error(t("join.name_taken"), icon=":material/error:")
            return
        except ws.WorkshopFull:
            st.error(t("join.full", most=ws.MAX_PARTICIPANTS), icon=":material/error:")
            return
        except ws.WorkshopClosed:
            st.rerun()
        except ValueError as problem:
            reason = str(problem)
            key = f"join.name_{reason}" if reason in ("empty", "long", "control") else "join.role_missing"
            st.error(t(key, most=ws.MAX_PARTICIPANT_NAME), icon=":material/error:")
            return
    st.session_state[_ME.format(workshop=workshop.id)] = me.id
    # The personal link: a reload finds the participant by it (on this device only).
    st.query_params["p"] = secret
    st.rerun()


# --- a closed workshop -------------------------------------------------------------------------------

def _closed_screen(ctx: Context, workshop: ws.Workshop, answers: dict[str, str | float] | None) -> None:
    """The workshop is closed; ``answers`` (None when nobody from this device joined) are shown read-only."""
    t = ctx.t
    _heading(workshop)
    st.info(t("join.closed"), icon=":material/lock:")
    if answers is None:
        return
    st.markdown(f"**{t('join.your_answers')}**")
    if not answers:
        st.caption(t("join.no_answers"))
        return
    lines = [f"**{t(f'questionnaire.q.{question.id}')}**  \n{_answer_text(ctx, question, answers[question.id])}"
             for question in QUESTIONNAIRE.questions if question.id in answers]
    st.markdown("\n\n".join(lines))


def _answer_text(ctx: Context, question: Question, value: str | float) -> str:
    if question.kind == "choice":
        return ctx.t(f"questionnaire.q.{question.id}.o.{value}")
    number = format_for_input(float(value), ctx.lang)
    return f"{number} {ctx.t(f'questionnaire.q.{question.id}.unit')}"


# --- the questionnaire -------------------------------------------------------------------------------
# The widget callbacks below take ids only: they run before the page script's next run, with no Context.

def _pending(participant_id: int) -> dict[str, Any]:
    return st.session_state.setdefault(_PENDING.format(participant=participant_id), {"answers": {}, "step": None})


def _remember(participant_id: int, question_id: str, value: str | float | None) -> None:
    _pending(participant_id)["answers"][question_id] = value


def _chosen(participant_id: int, question_id: str, key: str) -> None:
    _remember(participant_id, question_id, st.session_state.get(key))


def _go_to(participant_id: int, step: int) -> None:
    _pending(participant_id)["step"] = min(max(step, 0), TOTAL - 1)


def _clear(participant_id: int, question_id: str, key: str) -> None:
    _remember(participant_id, question_id, None)
    st.session_state.pop(key, None)  # an unreadable number goes too


def _questionnaire(ctx: Context, workshop: ws.Workshop, me: ws.Participant, stored: dict[str, str | float]) -> None:
    """One question with back, next and clear right under its options; the help text after them.

    On a 390 x 844 phone only one line stands above the question, so its options and "Nästa" are in
    view without scrolling."""
    t = ctx.t
    pending = _pending(me.id)
    shown = {q: v for q, v in ({**stored, **pending["answers"]}).items() if v is not None}
    step = pending["step"] if pending["step"] is not None else min(max(me.step, 0), TOTAL - 1)
    question = QUESTIONNAIRE.questions[step]
    answered = sum(1 for q in QUESTIONNAIRE.questions if q.id in shown)

    where = t("questionnaire.page.step", n=step + 1, total=TOTAL)
    st.progress(answered / TOTAL, text=f"**{where}** · {escape_markdown(me.name)} · {_role(t, me.role)}")
    key = f"join_q_{me.id}_{question.id}"
    _question(ctx, question, shown.get(question.id), me.id, key)
    with st.container(horizontal=True, gap="small"):
        st.button(t("questionnaire.page.back"), key="join_back", icon=":material/arrow_back:", disabled=step == 0,
                  on_click=_go_to, args=(me.id, step - 1))
        st.button(t("questionnaire.page.next"), key="join_next", icon=":material/arrow_forward:",
                  icon_position="right", type="primary", disabled=step == TOTAL - 1,
                  on_click=_go_to, args=(me.id, step + 1))
        st.button(t("questionnaire.page.clear"), key="join_clear", icon=":material/backspace:", type="tertiary",
                  disabled=question.id not in shown and key not in field_problems(),
                  on_click=_clear, args=(me.id, question.id, key))
    slot = st.container()
    if step == TOTAL - 1:
        st.success(t("join.thanks", answered=answered, total=TOTAL), icon=":material/task_alt:")
    st.caption(t(f"questionnaire.q.{question.id}.help", **legal_params(ctx.lang)))
    where_from = " · ".join(escape_markdown(text) for text in (workshop.setup.title, workshop.setup.organisation) if text)
    st.caption(where_from)
    # First of the waiting writes: the answers are stored before an estimate's write reruns the page.
    ctx.deferred.insert(0, lambda: _write_pending(ctx, me, stored, slot))


def _question(ctx: Context, question: Question, value: str | float | None, participant_id: int, key: str) -> None:
    t = ctx.t
    label = t(f"questionnaire.q.{question.id}")
    if question.kind == "choice":
        st.session_state[key] = value  # always from the database (and this run's pending choice)
        labels = {o: t(f"questionnaire.q.{question.id}.o.{o}") for o in question.options}
        st.radio(label, question.options, index=None, format_func=labels.get, key=key,
                 on_change=_chosen, args=(participant_id, question.id, key))
        return
    synced = f"{key}_synced"  # the answer as the field last showed it
    if key in st.session_state and st.session_state.get(synced) != value:
        del st.session_state[key]  # changed elsewhere (another tab, cleared): start again from the answer
    unit = t(f"questionnaire.q.{question.id}.unit")
    number = number_field(f"{label} ({unit})", value if isinstance(value, int | float) else None, key=key,
                          low=question.minimum, high=question.maximum, required=False,
                          placeholder=t("questionnaire.page.unanswered"),
                          on_read=lambda new: _remember(participant_id, question.id, new))
    if key in field_problems():  # the message stands under the field; nothing unreadable is kept
        st.session_state[synced] = value
        return
    if number != value:
        _remember(participant_id, question.id, number)
    st.session_state[synced] = number


def _write_pending(ctx: Context, me: ws.Participant, stored: dict[str, str | float], slot: Any) -> None:
    """Write this session's pending choices (normally the one just made) in one transaction."""
    pending = _pending(me.id)
    changed = {q: v for q, v in pending["answers"].items() if stored.get(q) != v}
    step = pending["step"]
    if not changed and (step is None or step == me.step):
        pending["answers"].clear()
        pending["step"] = None
        return
    with slot:
        try:
            with transaction() as session:
                for question_id, value in changed.items():
                    ws.record_answer(session, me.id, question_id, value, step=QUESTIONNAIRE.index(question_id))
                if step is not None:
                    ws.move_participant(session, me.id, step)
        except ws.WorkshopClosed:
            pending["answers"].clear()
            pending["step"] = None
            st.rerun()
        except InputError:  # an answer the questionnaire does not take (the fields prevent this)
            pending["answers"].clear()
            st.error(ctx.t("join.answer_refused"), icon=":material/error:")
            return
    pending["answers"].clear()
    pending["step"] = None


# --- watching the facilitator ------------------------------------------------------------------------

@st.fragment(run_every=WATCH_SECONDS)
def _watch(workshop_id: int, drawn: tuple[bool, int | None]) -> None:
    """Run the page again when the workshop opened or closed or its round changed; draws nothing,
    so typing in a field is never interrupted by it. It reruns on its own, without the page
    script, so all it needs comes in its arguments (ids, not the run's Context)."""
    with reading() as session:
        now_open = ws.get_workshop(session, workshop_id).is_open
        current = ws.open_round_of(session, workshop_id)
    if (now_open, current.id if current else None) != drawn:
        st.rerun(scope="app")
