"""Delta i workshop through AppTest: the join code and its attempt limit, joining, answering one
question at a time, resuming on the same device (and only there), a closed workshop and estimates.

The device is this AppTest session's ``device_id`` in the session state, which ``ui.device`` reads
before the cookie: two AppTests with the same id are one browser, with different ids two.
"""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

import engine.storage.workshops as ws
from engine.examples import load_example
from engine.storage import save_scenario
from engine.workshop.attempts import AttemptLimiter
from engine.workshop.codes import JOIN_CODE_ALPHABET, format_join_code
from engine.workshop.rounds import RoundTarget
from tests.pages.conftest import APP, TIMEOUT

PAGE = "pages/delta.py"
PHONE_A, PHONE_B = "a" * 32, "b" * 32


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch):
    """Each test counts wrong codes from zero (the real limiter lives as long as the process)."""
    import ui.join_guard

    limiter = AttemptLimiter(limit=ui.join_guard.LIMIT, window_seconds=ui.join_guard.WINDOW_SECONDS)
    monkeypatch.setattr(ui.join_guard, "LIMITER", limiter)
    return limiter


@pytest.fixture
def workshop(sessions):
    """An open workshop whose setup names a saved scenario (the IPS example)."""
    with sessions.begin() as session:
        scenario = save_scenario(session, load_example("ips"))
        created = ws.create_workshop(session, ws.WorkshopSetup(
            title="Barn och unga", date="2026-12-02", organisation="Exempelstads kommun",
            scenario_id=scenario.document_id))
    return created.workshop


def open_delta(code: str | None = None, *, device: str = PHONE_A, secret: str | None = None,
               lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["device_id"] = device
    for name, value in (("kod", code), ("p", secret), ("lang", lang)):
        if value is not None:
            at.query_params[name] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def join(at: AppTest, name: str, role: str | None = "kommun") -> AppTest:
    at.text_input(key="join_name").set_value(name)
    if role is not None:
        at.radio(key="join_role").set_value(role)
    at.button(key="join_go").click().run()
    assert not at.exception, at.exception
    return at


def people(sessions, workshop_id: int) -> list[ws.Participant]:
    with sessions() as session:
        return ws.participants(session, workshop_id)


def answers_of(sessions, participant_id: int) -> dict:
    with sessions() as session:
        return ws.participant_answers(session, participant_id)


def question_radios(at: AppTest) -> list:
    return [r for r in at.radio if r.key and r.key.startswith("join_q_")]


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def submit_code(at: AppTest, typed: str) -> AppTest:
    at.text_input(key="join_code").set_value(typed)
    at.button(key="join_code_go").click().run()
    assert not at.exception, at.exception
    return at


# --- the code ----------------------------------------------------------------------------------------

def test_without_a_code_the_page_asks_for_one(app_db):
    at = open_delta()
    assert at.title[0].value == "Delta i workshop"
    assert at.text_input(key="join_code").label == "Kod"
    assert at.text_input(key="join_code").placeholder == "ABCD-EFGH"
    assert at.button(key="join_code_go").label == "Gå med"


def test_an_unknown_code_gets_a_message_and_a_known_one_opens_the_workshop(app_db, workshop):
    at = submit_code(open_delta(), "ZZZZ-ZZZZ")
    assert "Det finns ingen workshop med koden ZZZZ\u2011ZZZZ" in errors(at)
    at = submit_code(at, format_join_code(workshop.join_code).lower())
    assert at.query_params["kod"] == workshop.join_code
    assert at.subheader[0].value == "Barn och unga"
    assert at.text_input(key="join_name").label == "Ditt namn"


def test_a_code_that_cannot_be_one_says_what_a_code_looks_like(app_db):
    at = submit_code(open_delta(), "ABC0")
    assert "åtta tecken" in errors(at)


def test_an_unknown_code_in_the_link_gets_a_message(app_db):
    at = open_delta("ZZZZZZZZ")
    assert "Det finns ingen workshop med koden ZZZZ\u2011ZZZZ" in errors(at)
    assert at.text_input(key="join_code")  # and the field to type the right one


def test_the_link_takes_the_code_in_its_shown_form_too(app_db, workshop):
    at = open_delta(format_join_code(workshop.join_code))
    assert at.subheader[0].value == "Barn och unga"


def test_after_twenty_wrong_codes_no_code_is_even_looked_up(app_db, monkeypatch):
    looked_up = []
    real = ws.workshop_by_code

    def counting(session, code):
        looked_up.append(code)
        return real(session, code)

    monkeypatch.setattr(ws, "workshop_by_code", counting)
    at = open_delta()
    for attempt in range(25):
        submit_code(at, "ZZZZZZZ" + JOIN_CODE_ALPHABET[attempt])
    assert len(looked_up) == 20
    assert "För många felaktiga koder. Försök igen om 10 minuter." in errors(at)


# --- joining -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "message"), [
    ("", "Skriv ditt namn."),
    ("   ", "Skriv ditt namn."),
    ("x" * 10_000, "Namnet får vara högst 60 tecken."),
    ("Anna\u200bBerg", "osynliga tecken"),
])
def test_a_name_that_cannot_be_used_gets_a_message_and_nobody_joins(app_db, workshop, sessions, name, message):
    at = join(open_delta(workshop.join_code), name)
    assert message in errors(at)
    assert people(sessions, workshop.id) == []
    assert "p" not in at.query_params


def test_a_role_must_be_chosen(app_db, workshop, sessions):
    at = join(open_delta(workshop.join_code), "Anna", role=None)
    assert "Välj din roll." in errors(at)
    assert people(sessions, workshop.id) == []


def test_a_taken_name_gets_a_message_whatever_its_case(app_db, workshop, sessions):
    join(open_delta(workshop.join_code), "Anna Berg")
    at = join(open_delta(workshop.join_code, device=PHONE_B), "  anna   BERG ")
    assert "Någon i workshoppen heter redan så. Lägg till initialen i ditt efternamn" in errors(at)
    assert "initialt" not in errors(at)  # "initially": not what is meant
    assert [p.name for p in people(sessions, workshop.id)] == ["Anna Berg"]


def test_joining_adds_the_participant_and_puts_the_personal_link_in_the_address(app_db, workshop, sessions):
    at = join(open_delta(workshop.join_code), "Anna", "region")
    [anna] = people(sessions, workshop.id)
    assert (anna.name, anna.role, anna.step) == ("Anna", "region", 0)
    with sessions() as session:
        by_link = ws.participant_by_secret(session, workshop.id, at.query_params["p"])
    assert by_link is not None
    assert by_link.id == anna.id
    assert [r.key for r in question_radios(at)] == [f"join_q_{anna.id}_purpose"]
    assert "Fråga 1 av 19" in at.get("progress")[0].proto.text
    assert "Anna · Region" in at.get("progress")[0].proto.text


def test_names_and_titles_are_shown_as_text(app_db, sessions):
    with sessions.begin() as session:
        hostile = ws.create_workshop(session, ws.WorkshopSetup(
            title="[Logga in](http://evil.example)", date="2026-12-02", organisation="**Fet** <b>x</b>")).workshop
    at = open_delta(hostile.join_code)
    assert at.subheader[0].value.startswith("\\[Logga in\\]\\(http\\:")
    assert at.caption[0].value.startswith("\\*\\*Fet\\*\\* \\<b\\>")
    at = join(at, "![bild](http://evil.example/i.png)")
    text = at.get("progress")[0].proto.text
    assert "\\!\\[bild\\]\\(http\\:" in text
    assert "](http://" not in text


# --- answering and resuming --------------------------------------------------------------------------

def test_an_answer_is_stored_the_moment_it_is_given_and_next_moves_on(app_db, workshop, sessions):
    at = join(open_delta(workshop.join_code), "Anna")
    [anna] = people(sessions, workshop.id)
    question_radios(at)[0].set_value("test_new_method").run()
    assert answers_of(sessions, anna.id) == {"purpose": "test_new_method"}
    at.button(key="join_next").click().run()
    assert people(sessions, workshop.id)[0].step == 1
    assert [r.key for r in question_radios(at)] == [f"join_q_{anna.id}_partnership_goal"]
    at.button(key="join_back").click().run()
    assert question_radios(at)[0].value == "test_new_method"
    at.button(key="join_clear").click().run()
    assert answers_of(sessions, anna.id) == {}
    assert question_radios(at)[0].value is None


def test_a_number_answer_is_read_the_swedish_way_and_text_is_refused(app_db, workshop, sessions):
    at = join(open_delta(workshop.join_code), "Anna")
    [anna] = people(sessions, workshop.id)
    for _ in range(4):  # to time_to_effect_years, the fifth question
        at.button(key="join_next").click().run()
    field = at.text_input(key=f"join_q_{anna.id}_time_to_effect_years")
    field.set_value("fyra").run()
    assert "går inte att läsa som ett tal" in errors(at)
    assert answers_of(sessions, anna.id) == {}
    at.text_input(key=f"join_q_{anna.id}_time_to_effect_years").set_value("2,5").run()
    assert answers_of(sessions, anna.id) == {"time_to_effect_years": 2.5}
    assert not at.error


def test_the_same_device_resumes_at_the_same_question_with_its_answers(app_db, workshop, sessions):
    at = join(open_delta(workshop.join_code), "Anna")
    [anna] = people(sessions, workshop.id)
    secret = at.query_params["p"]
    question_radios(at)[0].set_value("test_new_method").run()
    at.button(key="join_next").click().run()
    question_radios(at)[0].set_value("buy_service").run()
    at.button(key="join_next").click().run()

    # A reload (the link with p) and a closed tab reopened from the join link (no p): both resume.
    for again in (open_delta(workshop.join_code, secret=secret), open_delta(workshop.join_code)):
        assert [r.key for r in question_radios(again)] == [f"join_q_{anna.id}_evidence_level"]
        again.button(key="join_back").click().run()
        assert question_radios(again)[0].value == "buy_service"
        again.button(key="join_next").click().run()
    assert len(people(sessions, workshop.id)) == 1


def test_the_personal_link_in_another_browser_is_refused_and_shows_no_answers(app_db, workshop, sessions):
    at = join(open_delta(workshop.join_code), "Anna")
    secret = at.query_params["p"]
    question_radios(at)[0].set_value("test_new_method").run()

    elsewhere = open_delta(workshop.join_code, device=PHONE_B, secret=secret)
    warning = "\n".join(w.value for w in elsewhere.warning)
    assert "gäller inte i den här webbläsaren" in warning
    assert question_radios(elsewhere) == []
    assert not elsewhere.get("progress")
    assert elsewhere.text_input(key="join_name").value in (None, "")  # the join form, empty
    shown = " ".join(m.value for m in [*elsewhere.markdown, *elsewhere.caption, *elsewhere.subheader])
    assert "Anna" not in shown
    assert "Pröva en ny metod" not in shown

    # A made-up link gets exactly the same message.
    made_up = open_delta(workshop.join_code, device=PHONE_B, secret="x" * 43)
    assert [w.value for w in made_up.warning] == [w.value for w in elsewhere.warning]

    # Joining there makes a new participant; Anna's answers stay hers.
    join(elsewhere, "Bo")
    assert [p.name for p in people(sessions, workshop.id)] == ["Anna", "Bo"]
    assert not elsewhere.warning


def test_someone_elses_link_on_a_device_with_its_own_participant_resumes_that_one(app_db, workshop, sessions):
    anna_secret = join(open_delta(workshop.join_code), "Anna").query_params["p"]
    join(open_delta(workshop.join_code, device=PHONE_B), "Bo")
    at = open_delta(workshop.join_code, device=PHONE_B, secret=anna_secret)
    bo = people(sessions, workshop.id)[1]
    assert [r.key for r in question_radios(at)] == [f"join_q_{bo.id}_purpose"]
    assert "Bo · Kommun" in at.get("progress")[0].proto.text
    assert [toast.value for toast in at.toast] == [
        "Den personliga länken gäller inte i den här webbläsaren. Du fortsätter som den deltagare som gick med härifrån."]
    assert "p" not in at.query_params


def test_an_answer_survives_a_database_failure_and_is_written_on_the_next_run(app_db, workshop, sessions,
                                                                               monkeypatch):
    at = join(open_delta(workshop.join_code), "Anna")
    [anna] = people(sessions, workshop.id)
    real = ws.record_answer

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(ws, "record_answer", locked)
    question_radios(at)[0].set_value("scale_proven_method").run()
    assert not at.exception
    assert at.error  # the storage's own message, where the answer was given
    assert question_radios(at)[0].value == "scale_proven_method"  # still chosen on the screen
    assert answers_of(sessions, anna.id) == {}

    monkeypatch.setattr(ws, "record_answer", real)
    at.run()
    assert answers_of(sessions, anna.id) == {"purpose": "scale_proven_method"}
    assert question_radios(at)[0].value == "scale_proven_method"
    assert not at.error


def test_a_closed_workshop_shows_only_the_own_answers_read_only(app_db, workshop, sessions):
    at = join(open_delta(workshop.join_code), "Anna")
    question_radios(at)[0].set_value("test_new_method").run()
    with sessions.begin() as session:
        ws.close_workshop(session, workshop.id)

    again = open_delta(workshop.join_code)
    assert [i.value for i in again.info] == ["Workshoppen är stängd och tar inte emot fler svar."]
    assert question_radios(again) == []
    assert not again.text_input
    assert not again.button
    shown = " ".join(m.value for m in again.markdown)
    assert "Vad vill ni åstadkomma med satsningen?" in shown
    assert "Pröva en ny metod" in shown

    stranger = open_delta(workshop.join_code, device=PHONE_B)
    assert [i.value for i in stranger.info] == ["Workshoppen är stängd och tar inte emot fler svar."]
    assert "Pröva en ny metod" not in " ".join(m.value for m in stranger.markdown)
    assert not stranger.text_input
    assert [r.key for r in stranger.radio] == ["frame_language"]


# --- estimate rounds ---------------------------------------------------------------------------------

@pytest.fixture
def in_round(app_db, workshop, sessions):
    """Anna has joined and an effect round on the scenario's first outcome is open."""
    at = join(open_delta(workshop.join_code), "Anna")
    with sessions.begin() as session:
        opened = ws.open_round(session, workshop.id, RoundTarget("effect", 0), scenario_version=1)
    at.run()
    return at, opened, people(sessions, workshop.id)[0]


def estimate(at: AppTest, round_id: int, anna_id: int, low: str, likely: str, high: str) -> AppTest:
    for part, text in (("low", low), ("most_likely", likely), ("high", high)):
        at.text_input(key=f"join_est_{round_id}_{anna_id}_{part}").set_value(text)
    at.button(key=f"join_send_{round_id}").click().run()
    assert not at.exception, at.exception
    return at


def stored_estimate(sessions, round_id: int, anna_id: int):
    with sessions() as session:
        return ws.own_estimate(session, round_id, anna_id)


def test_an_open_round_asks_above_the_questions(in_round):
    at, _opened, _ = in_round
    shown = " ".join(m.value for m in at.markdown)
    assert "Skattningsrunda 1" in shown
    assert "Effekt: År utan arbete" in shown
    assert any("Scenariot räknar i dag med 40" in c.value for c in at.caption)
    assert [f.label for f in at.text_input] == ["Lågt", "Troligast", "Högt"]
    assert question_radios(at)  # the questionnaire is still there below


def test_an_estimate_out_of_order_is_refused_and_nothing_stored(in_round, sessions):
    at, opened, anna = in_round
    at = estimate(at, opened.id, anna.id, "30", "20", "10")
    text = errors(at)
    assert "Lågt kan inte vara högre än Troligast." in text
    assert "Troligast kan inte vara högre än Högt." in text
    assert "Lågt kan inte vara högre än Högt." in text
    assert stored_estimate(sessions, opened.id, anna.id) is None


def test_text_in_an_estimate_gets_the_number_fields_message(in_round, sessions):
    at, opened, anna = in_round
    at = estimate(at, opened.id, anna.id, "tio", "20", "30")
    assert "»tio« går inte att läsa som ett tal" in errors(at)
    assert stored_estimate(sessions, opened.id, anna.id) is None
    at = estimate(at, opened.id, anna.id, "10", "20", "130")
    assert stored_estimate(sessions, opened.id, anna.id) is None
    assert at.error


def test_a_valid_estimate_is_stored_as_shares_and_can_be_changed(in_round, sessions):
    at, opened, anna = in_round
    at = estimate(at, opened.id, anna.id, "10", "20", "35,5")
    given = stored_estimate(sessions, opened.id, anna.id)
    assert (given.low, given.most_likely, given.high) == pytest.approx((0.10, 0.20, 0.355))
    assert any(s.value.startswith("Din skattning är sparad: lågt 10\u00a0%, troligast 20\u00a0%, högt 35,5\u00a0%")
               for s in at.success)
    at = estimate(at, opened.id, anna.id, "15", "20", "30")
    assert stored_estimate(sessions, opened.id, anna.id).low == pytest.approx(0.15)


def test_the_confirmation_shows_the_decimals_typed_and_hints_at_per_cent(in_round, sessions):
    at, opened, anna = in_round
    at = estimate(at, opened.id, anna.id, "0,15", "0,25", "0,35")
    given = stored_estimate(sessions, opened.id, anna.id)
    assert (given.low, given.most_likely, given.high) == pytest.approx((0.0015, 0.0025, 0.0035))  # kept as typed
    assert any(s.value.startswith("Din skattning är sparad: lågt 0,15\u00a0%, troligast 0,25\u00a0%, "
                                  "högt 0,35\u00a0%") for s in at.success)
    # The scenario says 40 %: 0,25 was probably meant as 25 %. A hint, not a change.
    [hint] = [i.value for i in at.info if "Menade du" in i.value]
    assert "0,25\u00a0%" in hint
    assert "40\u00a0%" in hint
    assert "Menade du 25\u00a0%?" in hint
    at = estimate(at, opened.id, anna.id, "15", "25", "35")
    assert not [i for i in at.info if "Menade du" in i.value]


def test_the_per_cent_hint_speaks_english_too(app_db, workshop, sessions):
    at = join(open_delta(workshop.join_code, lang="en"), "Anna")
    with sessions.begin() as session:
        opened = ws.open_round(session, workshop.id, RoundTarget("effect", 0), scenario_version=1)
    at.run()
    anna = people(sessions, workshop.id)[0]
    at = estimate(at, opened.id, anna.id, "0.15", "0.25", "0.35")
    assert any(s.value.startswith("Your estimate is saved: low 0.15%, most likely 0.25%, high 0.35%")
               for s in at.success)
    assert any("Did you mean 25%?" in i.value for i in at.info)


def test_skipping_a_round_is_stored_as_a_skip(in_round, sessions):
    at, opened, anna = in_round
    at.button(key=f"join_skip_{opened.id}").click().run()
    assert stored_estimate(sessions, opened.id, anna.id).skipped
    assert any("hoppat över" in c.value for c in at.caption)


def test_a_round_on_an_outcome_that_is_gone_cannot_be_answered(app_db, workshop, sessions):
    at = join(open_delta(workshop.join_code), "Anna")
    with sessions.begin() as session:
        ws.open_round(session, workshop.id, RoundTarget("effect", 7), scenario_version=1)
    at.run()
    assert any("går inte att besvara just nu" in i.value for i in at.info)
    assert not [f for f in at.text_input if f.key and f.key.startswith("join_est_")]


# --- English -----------------------------------------------------------------------------------------

def test_the_page_speaks_english_when_asked(app_db, workshop):
    at = open_delta(workshop.join_code, lang="en")
    assert at.text_input(key="join_name").label == "Your name"
    assert at.radio(key="join_role").label == "Your role"
    assert at.button(key="join_go").label == "Join"
    at = join(at, "Anna")
    assert "Question 1 of 19" in at.get("progress")[0].proto.text
    assert at.button(key="join_next").label == "Next"
