"""Långsiktig kalkyl through AppTest: examples, the headline, field-level problems, saving."""

import pytest

from engine.examples import example_ids, load_example
from engine.savings.model import project_savings
from engine.savings.narrative import savings_headline
from engine.scenario import parse_scenario, scenario_to_dict
from engine.storage import list_scenarios, load_scenario, open_database, session_factory
from tests.pages.typing import open_group, typed, value_of
from ui.text import escape_markdown

PAGE = "pages/kalkyl.py"


def headline(at) -> str:
    found = [m.value for m in at.markdown if m.value.startswith("####")]
    return found[0] if found else ""


def errors(at) -> list[str]:
    # Messages are escaped for Markdown (they can hold user text); compare them as the user reads them.
    return [e.value.replace("\\", "") for e in at.error]


def key_ending(at, suffix: str) -> str:
    return next(w.key for w in at.text_input if w.key and w.key.endswith(suffix))


@pytest.mark.parametrize("example", example_ids())
def test_every_example_case_opens_with_a_headline_and_no_error(open_page, example):
    at = open_page(PAGE)
    at.selectbox(key="open_source_widget").set_value(f"example:{example}").run()
    assert not at.exception
    assert errors(at) == []
    assert "Inom avtalsperioden" in headline(at)


def test_raising_the_effect_changes_the_headline(open_page):
    at = open_page(PAGE)
    before = headline(at)
    effect = key_ending(at, "_o0_effect")
    at.text_input(key=effect).set_value(typed(value_of(at.text_input(key=effect)) + 3)).run()
    assert not at.exception
    assert headline(at)
    assert headline(at) != before


def test_an_effect_outside_its_range_is_explained_at_the_outcome(open_page):
    at = open_page(PAGE)
    at.text_input(key=key_ending(at, "_o0_effect")).set_value(typed(90.0)).run()
    assert not at.exception
    assert any(e.startswith("Utfall 1 – Effektens intervall (lägst–högst):") for e in errors(at))
    assert "Inom avtalsperioden" in headline(at)  # the last valid result, not a blank page


def test_a_range_with_low_above_high_is_refused(open_page):
    at = open_page(PAGE)
    at.text_input(key=key_ending(at, "_o0_low")).set_value(typed(50.0)).run()
    assert any(e.startswith("Utfall 1 – Effektens intervall") for e in errors(at))
    assert not any("effect_range" in e for e in errors(at))


def test_a_profile_longer_than_the_horizon_is_refused_at_the_outcome(open_page):
    at = open_page(PAGE)
    mode = next(r.key for r in at.radio if r.key and r.key.endswith("_o0_profile_mode"))
    at.radio(key=mode).set_value("build").run()
    at.text_input(key=key_ending(at, "_o0_fade")).set_value(typed(40)).run()
    assert any(e.startswith("Utfall 1 – Effektprofil:") for e in errors(at))


def test_a_contract_longer_than_the_horizon_is_refused_at_the_contract_field(open_page):
    at = open_group(open_page(PAGE), "time")
    at.text_input(key=key_ending(at, "_contract")).set_value(typed(12)).run()
    assert any("Avtalsperioden (12 år)" in e for e in errors(at))


def test_one_group_of_inputs_is_drawn_and_edits_survive_switching_groups(open_page):
    at = open_page(PAGE)
    # The first outcome is open; the time group's fields are not drawn.
    assert any(w.key.endswith("_o0_effect") for w in at.text_input if w.key)
    assert not any(w.key.endswith("_contract") for w in at.text_input if w.key)
    at.text_input(key=key_ending(at, "_o0_effect")).set_value(typed(14)).run()
    at = open_group(at, "time")
    assert not any(w.key.endswith("_o0_effect") for w in at.text_input if w.key)
    at.text_input(key=key_ending(at, "_contract")).set_value(typed(2)).run()
    at = open_group(at, "outcome0")
    assert value_of(at.text_input(key=key_ending(at, "_o0_effect"))) == 14.0
    at = open_group(at, "time")
    assert value_of(at.text_input(key=key_ending(at, "_contract"))) == 2.0
    # The results are those of both edits, whichever group is shown.
    both = scenario_to_dict(load_example(example_ids()[0]))
    both["outcomes"][0]["effect"] = 0.14
    both["contract_years"] = 2
    assert headline(at) == "#### " + escape_markdown(savings_headline(project_savings(parse_scenario(both)), "sv"))


def test_a_problem_in_a_group_not_shown_marks_it_in_the_selector(open_page):
    at = open_group(open_page(PAGE), "time")
    at.text_input(key=key_ending(at, "_contract")).set_value(typed(12)).run()
    at = open_group(at, "costs")
    # The message still names the field, and the selector marks the group that holds it.
    assert any("Avtalsperioden (12 år)" in e for e in errors(at))
    selector = at.button_group(key="calc_group")
    marked = [option.content for option in selector.proto.options if option.content_icon == ":material/error:"]
    assert marked == ["Tidshorisont och diskontering"], marked


def test_the_group_is_held_while_a_field_in_it_cannot_be_read(open_page):
    at = open_page(PAGE)
    at.text_input(key=key_ending(at, "_o0_effect")).set_value("3,9,1").run()
    at = open_group(at, "time")
    # Still on the outcome, with what was typed, and a word on why.
    assert at.text_input(key=key_ending(at, "_o0_effect")).value == "3,9,1"
    assert any("innan du byter del" in c.value for c in at.caption)


def test_saving_an_example_creates_a_scenario_of_ones_own(open_page, app_db):
    at = open_page(PAGE)
    at.selectbox(key="open_source_widget").set_value("example:ips").run()
    save = next(b for b in at.button if b.key and b.key.endswith("_save"))
    save.click().run()
    assert not at.exception
    engine = open_database(app_db)
    with session_factory(engine).begin() as session:
        saved = list_scenarios(session)
        assert len(saved) == 1
        assert load_scenario(session, saved[0].id).name.startswith("IPS")
    engine.dispose()
    assert at.selectbox(key="open_source_widget").value == f"saved:{saved[0].id}"


def test_adding_an_outcome_keeps_the_edits_made_before(open_page):
    at = open_page(PAGE)
    effect = key_ending(at, "_o0_effect")
    at.text_input(key=effect).set_value(typed(14.0)).run()
    add = next(b for b in at.button if b.key and b.key.endswith("_add_outcome"))
    add.click().run()
    assert not at.exception
    # The new outcome is shown, and the edit made before is still there.
    groups = [option.content for option in at.button_group(key="calc_group").proto.options]
    assert sum(1 for g in groups if g.startswith("Utfall")) == 3
    assert any(w.key.endswith("_o2_effect") for w in at.text_input if w.key)
    at = open_group(at, "outcome0")
    assert value_of(at.text_input(key=key_ending(at, "_o0_effect"))) == 14.0


def test_the_page_works_in_english(open_page):
    at = open_page(PAGE, lang="en")
    assert at.title[0].value == "Long-term calculation"
    assert "Within the contract period" in headline(at)


def test_presenter_mode_puts_inputs_and_results_side_by_side_without_errors(open_page):
    at = open_page(PAGE)
    at.toggle(key="frame_presenter").set_value(True).run()
    assert not at.exception
    assert "Inom avtalsperioden" in headline(at)
    assert len(at.columns) >= 2


def _saved_blank(app_db) -> int:
    from engine.scenario import blank_scenario
    from engine.storage import save_scenario

    engine = open_database(app_db)
    with session_factory(engine).begin() as session:
        document_id = save_scenario(session, blank_scenario("Tomt")).document_id
    engine.dispose()
    return document_id


def test_a_blank_scenario_says_what_to_add_instead_of_a_break_even_year(open_page, app_db):
    document_id = _saved_blank(app_db)
    at = open_page(PAGE)
    at.selectbox(key="open_source_widget").set_value(f"saved:{document_id}").run()
    assert not at.exception
    assert headline(at) == ""
    assert [m.label for m in at.metric] == []  # no "Brytpunkt år 1" for a scenario that does nothing
    assert any("Lägg till minst ett utfall och minst en kostnad" in i.value for i in at.info)


def test_the_simulation_runs_only_when_its_tab_is_opened_and_says_which_figure_to_quote(open_page):
    at = open_page(PAGE)
    sentences = [m.value for m in at.markdown if "simuleringarna" in m.value]
    assert sentences == []  # the first tab is the cumulative chart: no Monte Carlo was needed
    at.session_state["calc_chart_tab"] = "Osäkerhet"
    at.run()
    assert not at.exception
    assert any("simuleringarna" in m.value for m in at.markdown)
    assert any(c.value.startswith("Rubrikens belopp är det förväntade fallet") for c in at.caption)


def test_an_effect_above_its_range_keeps_the_last_result_names_the_field_and_offers_the_fix(open_page):
    at = open_page(PAGE)
    at.selectbox(key="open_source_widget").set_value("example:placeringar").run()
    before = headline(at)
    high = value_of(at.text_input(key=key_ending(at, "_o0_high")))
    at.text_input(key=key_ending(at, "_o0_effect")).set_value(typed(high + 5)).run()
    assert not at.exception
    assert headline(at) == before  # the last valid calculation stays, marked as such
    assert any(w.value.startswith("Resultaten nedan är den senaste giltiga") for w in at.warning)
    shown = " ".join(errors(at))
    assert "outcomes" not in shown
    assert "effect_range" not in shown
    assert "Effektens intervall" in shown
    widen = next(b for b in at.button if b.key and b.key.endswith("_o0_widen"))
    assert widen.label.startswith("Vidga intervallet till")
    widen.click().run()
    assert not at.exception
    assert errors(at) == []
    assert value_of(at.text_input(key=key_ending(at, "_o0_high"))) == high + 5
    assert headline(at) != before  # worked out again with the new effect


def test_edits_of_a_scenario_someone_else_trashed_are_kept_and_can_be_saved_as_a_new_scenario(open_page, app_db):
    from engine.examples import load_example
    from engine.storage import save_scenario, trash_document

    engine = open_database(app_db)
    with session_factory(engine).begin() as session:
        document_id = save_scenario(session, load_example("ips")).document_id
    at = open_page(PAGE)
    at.selectbox(key="open_source_widget").set_value(f"saved:{document_id}").run()
    effect = key_ending(at, "_o0_effect")
    at.text_input(key=effect).set_value(typed(value_of(at.text_input(key=effect)) + 2)).run()
    assert any("Osparade ändringar" in c.value for c in at.caption)

    with session_factory(engine).begin() as session:  # another user moves it to the trash meanwhile
        trash_document(session, document_id)
    at.session_state["open_scenario_copy"] = None  # as a reload would: nothing kept in the session
    at.run()
    assert not at.exception
    assert any(f"nummer {document_id}" in w.value and "papperskorgen" in w.value for w in at.warning)
    assert any("osparade ändringar" in i.value for i in at.info)
    at.button(key="rescue_save").click().run()
    with session_factory(engine).begin() as session:
        rescued = [s for s in list_scenarios(session) if s.id != document_id]
        assert len(rescued) == 1
        assert load_scenario(session, document_id).outcomes[0].effect == load_example("ips").outcomes[0].effect
        saved_effect = load_scenario(session, rescued[0].id).outcomes[0].effect
    assert saved_effect == pytest.approx(load_example("ips").outcomes[0].effect + 0.02)
    assert at.session_state["open_source"] == f"saved:{rescued[0].id}"
    engine.dispose()


def test_an_outcome_cannot_be_added_past_the_limit(open_page, app_db):
    from engine.scenario import MAX_OUTCOMES
    from engine.storage import save_scenario

    data = scenario_to_dict(load_example("ips"))
    data["outcomes"] = [data["outcomes"][0] | {"name": f"Utfall {i}"} for i in range(MAX_OUTCOMES)]
    data.pop("contract", None)  # its prices name the example's own outcome
    engine = open_database(app_db)
    with session_factory(engine).begin() as session:
        document = save_scenario(session, parse_scenario(data)).document_id
    engine.dispose()
    at = open_page(PAGE)
    at.selectbox(key="open_source_widget").set_value(f"saved:{document}").run()
    add = next(b for b in at.button if b.key and b.key.endswith("_add_outcome"))
    assert add.disabled
    assert "högst 20 utfall" in add.help
