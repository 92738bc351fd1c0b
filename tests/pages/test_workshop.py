"""The facilitator's page in AppTest, on a real SQLite file: creating a workshop, a mistyped link,
the live views, putting a round's pooled range into the scenario, saving conclusions (and a
conflict), closing and reopening, and the export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from engine.examples import load_example
from engine.storage import list_versions, load_scenario, save_scenario
from engine.storage import workshops as store
from engine.storage.database import reading, writing
from engine.workshop.disagreement import group_answers
from engine.workshop.export import RoundRecord, answer_rows, csv_bytes, estimate_rows, workbook_bytes
from engine.workshop.rounds import RoundTarget

PAGE = "pages/workshop.py"


@pytest.fixture
def room(sessions):
    """A workshop on the IPS example with three participants, their answers and an open effect round."""
    with writing(sessions) as session:
        scenario_id = save_scenario(session, load_example("ips")).document_id
        created = store.create_workshop(session, store.WorkshopSetup(
            title="**Dag 1** [x](http://evil.example)", date="2026-12-02", organisation="Lunds kommun",
            scenario_id=scenario_id))
        workshop = created.workshop.id
        people = []
        for name, role, purpose in (("=Anna", "kommun", "test_new_method"), ("Bo", "region", "test_new_method"),
                                    ("Cilla", "investerare", "scale_proven_method")):
            person, _ = store.join_workshop(session, workshop, name, role, "d" * 64)
            store.record_answer(session, person.id, "purpose", purpose, step=1)
            store.record_answer(session, person.id, "risk_transfer", "wanted", step=2)
            people.append(person.id)
        the_round = store.open_round(session, workshop, RoundTarget("effect", 0), 1)
        for person, (low, most_likely, high) in zip(people, ((0.1, 0.2, 0.3), (0.15, 0.25, 0.4), (0.05, 0.1, 0.2)),
                                                    strict=True):
            store.record_estimate(session, the_round.id, person, low, most_likely, high)
    return {"secret": created.facilitator_secret, "workshop": workshop, "scenario": scenario_id,
            "round": the_round.id}


def _facilitator(open_page, secret: str, view: str | None = None, lang: str | None = None):
    at = open_page(lang=lang)
    at.query_params["f"] = secret
    at.switch_page(PAGE).run()
    if view is not None:
        at.button_group(key="workshop_view").set_value(view).run()
    assert not at.exception, at.exception
    return at


def _text(at) -> str:
    return " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.title, *at.info, *at.error, *at.warning))


def test_creating_a_workshop_from_an_example_copies_the_example_and_opens_the_facilitator_screen(open_page, sessions):
    at = open_page()
    at.switch_page(PAGE).run()
    at.text_input[0].input("Unga vuxna i arbete")
    at.selectbox[0].set_value("example:ips")
    at.button[0].click().run()
    assert not at.exception, at.exception
    secret = at.query_params["f"]
    with reading(sessions) as session:
        workshop = store.facilitator_workshop(session, secret)
        copy = load_scenario(session, workshop.setup.scenario_id)
    assert workshop.setup.title == "Unga vuxna i arbete"
    assert copy.outcomes == load_example("ips").outcomes
    assert "Unga vuxna i arbete" in copy.name
    assert at.session_state["presenter"] is True
    assert any(workshop.join_code[:4] in str(h.body) for h in at.get("html"))


def test_a_workshop_needs_a_name(open_page, sessions):
    at = open_page()
    at.switch_page(PAGE).run()
    at.button[0].click().run()
    assert "Ge workshoppen ett namn" in _text(at)
    assert "f" not in at.query_params


def test_a_facilitator_link_with_one_character_changed_opens_nothing(open_page, room):
    secret = room["secret"]
    changed = secret[:10] + ("a" if secret[10] != "a" else "b") + secret[11:]
    at = _facilitator(open_page, changed)
    assert "känns inte igen" in _text(at)
    assert "Dag 1" not in _text(at)
    assert not at.button_group


@pytest.mark.parametrize(("lang", "ending"), [("sv", "/delta?kod={code}"), ("en", "/delta?kod={code}&lang=en")])
def test_the_join_link_carries_an_english_screens_language_to_the_phones(open_page, room, sessions, lang, ending):
    with reading(sessions) as session:
        code = store.get_workshop(session, room["workshop"]).join_code
    at = open_page(lang=lang)
    at.query_params["f"] = room["secret"]
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.code[0].value.endswith(ending.format(code=code))


def test_the_title_is_text_and_the_live_views_show_the_room(open_page, room, sessions):
    with writing(sessions) as session:
        anna = store.participants(session, room["workshop"])[0]
        store.record_answer(session, anna.id, "evidence_level", "proven", step=3)  # only the kommun answers it
    at = _facilitator(open_page, room["secret"], "progress")
    assert at.title[0].value == r"\*\*Dag 1\*\* \[x\]\(http://evil.example\)" or "evil.example" not in at.title[0].value
    assert [m.value for m in at.metric][:3] == ["3", "0", "7"]
    table = at.table[0].value
    assert list(table.iloc[:, 0]) == [r"\=Anna", "Bo", "Cilla"]  # escaped: st.table renders Markdown
    assert list(table.iloc[:, 2]) == ["3 av 19", "2 av 19", "2 av 19"]
    at.button_group(key="workshop_view").set_value("group").run()
    assert "Gruppens vanligaste svar pekar på" in _text(at)
    disagreement = at.table[0].value
    assert disagreement.iloc[0, 0].startswith("Vad vill ni åstadkomma")  # the question where roles differ most
    assert disagreement.iloc[0, 1] == "67\u00a0%"  # kommun and region alike, the investor apart: (0 + 1 + 1) / 3
    assert disagreement.iloc[1, 1] == "0\u00a0%"  # everyone wants the risk moved: agreement
    # One role alone is not agreement: no figure, and after every question two roles answered.
    assert disagreement.iloc[2, 0].startswith("Hur starkt är stödet")
    assert disagreement.iloc[2, 1] == "bara en roll har svarat"
    assert "0\u00a0%" not in list(disagreement.iloc[2:, 1])
    assert disagreement.iloc[-1, 1] == "–"  # unanswered questions are not agreement; they stand last


def test_the_pooled_range_goes_into_the_scenario_as_a_new_version_with_its_source(open_page, room, sessions):
    at = _facilitator(open_page, room["secret"], "rounds")
    assert "3 har skattat" in _text(at)
    [adopt] = [b for b in at.button if b.key == f"adopt_{room['round']}"]
    adopt.click().run()
    assert not at.exception, at.exception
    with reading(sessions) as session:
        history = list_versions(session, room["scenario"])
        scenario = load_scenario(session, room["scenario"])
        the_round = store.rounds(session, room["workshop"])[0]
    assert [v.event for v in history][:2] == ["estimate", "created"]
    # Three participants: nobody left out, so low and high are the extremes and most likely the median.
    assert scenario.outcomes[0].effect == pytest.approx(0.2)
    assert scenario.outcomes[0].effect_range == pytest.approx([0.05, 0.4])
    [source] = [s for s in scenario.sources if s.field == "outcomes[0].effect"]
    assert source.text.startswith("Workshopskattning, 3 deltagare, ")
    [range_source] = [s for s in scenario.sources if s.field == "outcomes[0].effect_range"]
    assert range_source.text == source.text  # the range is the workshop's too, not the example's old source
    assert the_round.adopted_version == history[0].number


def test_the_groups_range_shows_the_decimals_participants_typed(open_page, room, sessions):
    with writing(sessions) as session:
        anna = store.participants(session, room["workshop"])[0]
        store.record_estimate(session, room["round"], anna.id, 0.0015, 0.0025, 0.0035)
    at = _facilitator(open_page, room["secret"], "rounds")
    # Three estimates, nobody left out: low is Anna's 0,15 %, most likely the median 10 %, high Bo's 40 %.
    assert "Gruppens intervall: lågt **0,15\u00a0%**, troligast **10\u00a0%**, högt **40\u00a0%**." in _text(at)


def test_a_round_is_never_ended_by_starting_the_next_one(open_page, room, sessions):
    at = _facilitator(open_page, room["secret"], "rounds")
    start = at.button(key="round_open")
    assert start.disabled  # round 1 is open: starting another would end it
    assert "Runda 1 är öppen. Avsluta den först" in start.help
    assert "Runda 1 är öppen. Avsluta den först" in _text(at)
    # The page's own buttons rerun only their fragment, which AppTest cannot do: the store stands in.
    with writing(sessions) as session:
        store.close_round(session, room["round"])
    at.run()
    assert not at.button(key="round_open").disabled
    assert not at.button(key=f"reopen_round_{room['round']}").disabled
    with writing(sessions) as session:
        store.open_round(session, room["workshop"], RoundTarget("duration", 0), 1)
    at.run()
    assert at.button(key="round_open").disabled
    assert at.button(key=f"reopen_round_{room['round']}").disabled  # reopening round 1 would end round 2
    assert "Runda 2 är öppen" in _text(at)


def test_conclusions_are_saved_as_versions_and_a_save_in_between_is_not_overwritten(open_page, room, sessions):
    at = _facilitator(open_page, room["secret"], "conclusions")
    at.selectbox(key=_agreed_key(sessions, room, "purpose")).set_value("test_new_method")
    at.text_area[0].input("Vi går vidare med en förstudie.")
    at.button(key="FormSubmitter:" + _form(sessions, room) + "-Spara slutsatserna").click().run()
    assert not at.exception, at.exception
    with reading(sessions) as session:
        workshop = store.get_workshop(session, room["workshop"])
    assert workshop.setup.agreed == {"purpose": "test_new_method"}
    assert workshop.setup.decisions == "Vi går vidare med en förstudie."

    # Someone else saves from another screen; this screen's next save is refused and says so.
    with writing(sessions) as session:
        store.save_setup(session, room["workshop"], store.WorkshopSetup(**{**workshop.setup.__dict__, "notes": "Deras"}),
                         based_on=workshop.version)
    at.text_area[1].input("Mina anteckningar")
    at.button(key="FormSubmitter:" + f"conclusions_{workshop.version}" + "-Spara slutsatserna").click().run()
    assert "Någon annan sparade workshoppen" in _text(at)
    with reading(sessions) as session:
        assert store.get_workshop(session, room["workshop"]).setup.notes == "Deras"
    assert at.text_area[1].value == "Mina anteckningar"  # nothing typed is lost
    at.button(key="conclusions_keep_mine").click().run()
    with reading(sessions) as session:
        kept = store.get_workshop(session, room["workshop"])
    assert (kept.setup.notes, kept.version) == ("Mina anteckningar", workshop.version + 2)


def test_the_agreed_answers_ranking_chart_names_the_workshop_and_its_version(open_page, room, sessions, recorded):
    from datetime import date

    at = _facilitator(open_page, room["secret"], "conclusions")
    at.selectbox(key=_agreed_key(sessions, room, "purpose")).set_value("test_new_method")
    recorded.clear()
    at.button(key="FormSubmitter:" + _form(sessions, room) + "-Spara slutsatserna").click().run()
    assert not at.exception, at.exception
    if not recorded:
        pytest.skip("no Chromium here: the charts show the install note instead of buttons")
    with reading(sessions) as session:
        version = store.get_workshop(session, room["workshop"]).version
    # The title as typed (the image shows markup as text), the saved version the answers are from.
    assert recorded[-1] == (f"Workshop: **Dag 1** [x](http://evil.example) · gruppens överenskomna svar, version "
                            f"{version} · 1 av 19 frågor · {date.today().isoformat()}")


@pytest.mark.parametrize(("lang", "shown", "save"), [("sv", "1,5", "Spara slutsatserna"),
                                                     ("en", "1.5", "Save the conclusions")])
def test_the_groups_median_fills_in_unrounded_and_is_saved_as_it_is(open_page, room, sessions, lang, shown, save):
    with writing(sessions) as session:
        anna, bo, _ = store.participants(session, room["workshop"])
        store.record_answer(session, anna.id, "time_to_effect_years", 1, step=3)
        store.record_answer(session, bo.id, "time_to_effect_years", 2, step=3)
        everyone = store.all_answers(session, room["workshop"])
    at = _facilitator(open_page, room["secret"], "conclusions", lang)
    [fill] = [b for b in at.button if b.proto.label in ("Fyll i gruppens vanligaste svar",
                                                          "Fill in the group's most common answers")]
    fill.click().run()
    key = _agreed_key(sessions, room, "time_to_effect_years")
    assert at.text_input(key=key).value == shown  # the median of 1 and 2, not rounded to 2
    at.button(key="FormSubmitter:" + _form(sessions, room) + "-" + save).click().run()
    assert not at.exception, at.exception
    with reading(sessions) as session:
        agreed = store.get_workshop(session, room["workshop"]).setup.agreed
    assert agreed["time_to_effect_years"] == 1.5
    # The conclusions recommend what the Svar view's group answers recommend: the same answers.
    group = group_answers([(p.role, a) for p, a in everyone if a])
    assert agreed == group


def _form(sessions, room) -> str:
    with reading(sessions) as session:
        return f"conclusions_{store.get_workshop(session, room['workshop']).version}"


def _agreed_key(sessions, room, question: str) -> str:
    return f"{_form(sessions, room)}_{question}"


def test_closing_stops_answers_and_reopening_takes_them_again(open_page, room, sessions):
    at = _facilitator(open_page, room["secret"], "close")
    at.button(key="workshop_close").click().run()
    with reading(sessions) as session:
        assert not store.get_workshop(session, room["workshop"]).is_open
        person = store.participants(session, room["workshop"])[0]
    with pytest.raises(store.WorkshopClosed), writing(sessions) as session:
        store.record_answer(session, person.id, "purpose", "test_new_method")
    assert "Workshoppen är stängd" in _text(at)
    at.button(key="workshop_reopen").click().run()
    with reading(sessions) as session:
        assert store.get_workshop(session, room["workshop"]).is_open


def test_the_export_holds_every_answer_and_estimate_and_never_a_formula(open_page, room, sessions):
    at = _facilitator(open_page, room["secret"], "close")
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Ladda ner beslutsunderlaget (Word)", "Ladda ner allt (Excel)", "Svar (CSV)", "Skattningar (CSV)",
                      "Slutsatser (CSV)"]
    with reading(sessions) as session:
        everyone = store.all_answers(session, room["workshop"])
        estimates = store.round_estimates(session, room["round"])
    answers = answer_rows([(p.name, p.role, a) for p, a in everyone], "sv")
    rounds = estimate_rows([RoundRecord(1, "Effekt", "procent", [(e.name, e.role, e.low, e.most_likely, e.high)
                                                                  for e in estimates], (0.05, 0.2, 0.4), None)], "sv")
    assert len(answers) == 6
    assert len(rounds) == 4
    book = load_workbook(io.BytesIO(workbook_bytes({"Svar": answers, "Skattningar": rounds})))
    assert book["Svar"]["A2"].value == "'=Anna"  # shown as typed, never run as a formula
    assert [c.value for c in book["Skattningar"][5]][3:7] == ["Gruppens intervall", None, 0.05, 0.2]
    assert csv_bytes(answers, "sv").decode("utf-8-sig").splitlines()[1].startswith("'=Anna;Kommun;1;")


@pytest.mark.parametrize(("lang", "natural", "stilted"), [("sv", "vad ni kom överens om", "som kom överens om"),
                                                          ("en", "what you agreed on", "what was agreed and")])
def test_the_close_view_says_what_the_memo_holds_in_natural_words(open_page, room, lang, natural, stilted):
    at = _facilitator(open_page, room["secret"], "close", lang)
    assert natural in _text(at)
    assert stilted not in _text(at)


def test_a_workshop_without_a_scenario_can_be_given_one_later(open_page, sessions):
    with writing(sessions) as session:
        created = store.create_workshop(session, store.WorkshopSetup(title="Utan scenario", date="2026-12-02"))
    at = _facilitator(open_page, created.facilitator_secret, "rounds")
    assert "har inget scenario" in _text(at)
    at.selectbox(key="workshop_attach_scenario").set_value("example:diabetes")
    at.button(key="workshop_attach").click().run()
    assert not at.exception, at.exception
    with reading(sessions) as session:
        workshop = store.get_workshop(session, created.workshop.id)
        scenario = load_scenario(session, workshop.setup.scenario_id)
    assert workshop.version == 2
    assert scenario.outcomes == load_example("diabetes").outcomes
    assert at.selectbox(key="round_target") is not None  # the rounds can start now
