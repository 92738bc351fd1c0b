"""Effektmål through AppTest: cards per outcome, sample size, checks, field problems, save and write back."""

import pytest

from engine.storage import list_scenarios, list_targets, load_scenario, load_targets, open_database, session_factory
from tests.pages.typing import typed, value_of

PAGE = "pages/effektmal.py"


#: The plain power calculator above the scenario shows these figures before the cards do.
_QUICK = {"Behövs per grupp", "Styrka med planerad grupp", "Minsta detekterbara effekt"}


def metric(at, label: str, card: int = 0) -> str:
    """A figure of outcome card ``card`` (0 = the first)."""
    values = [m.value for m in at.metric if m.label == label]
    return values[card + (1 if label in _QUICK else 0)]


def key_ending(at, kind: str, suffix: str) -> str:
    return next(w.key for w in getattr(at, kind) if w.key and w.key.endswith(suffix))


def stored(app_db):
    engine = open_database(app_db)
    return engine, session_factory(engine)


@pytest.mark.parametrize(("lang", "title", "needed"), [("sv", "Effektmål", "Behövs per grupp"),
                                                 ("en", "Effect targets", "Needed per group")])
def test_the_page_opens_with_a_card_per_outcome_in_both_languages(open_page, lang, title, needed):
    at = open_page(PAGE, lang)
    assert at.title[0].value == title
    # The example's two outcomes, and the plain calculator above the scenario.
    assert [m.label for m in at.metric].count(needed) == 3
    assert not at.error


def test_a_larger_target_needs_fewer_participants(open_page):
    at = open_page(PAGE)
    before = metric(at, "Behövs per grupp")
    at.text_input(key=key_ending(at, "text_input", "_0_target_rel")).set_value(typed(25.0)).run()
    assert not at.exception
    after = metric(at, "Behövs per grupp")
    assert int(after.replace("\u00a0", "")) < int(before.replace("\u00a0", ""))


def test_a_small_group_is_warned_about_in_plain_words(open_page):
    at = open_page(PAGE)
    at.text_input(key=key_ending(at, "text_input", "_0_n")).set_value(typed(20)).run()
    assert any("går inte att upptäcka med den här gruppstorleken" in w.value for w in at.warning)


def test_a_short_window_and_no_counterfactual_are_warned_about(open_page):
    at = open_page(PAGE, "en")
    at.text_input(key=key_ending(at, "text_input", "_0_window")).set_value(typed(6)).run()
    at.selectbox(key=key_ending(at, "selectbox", "_0_counterfactual")).set_value("none").run()
    warnings = " ".join(w.value for w in at.warning)
    assert "No counterfactual" in warnings
    assert "shorter than the time to effect" in warnings


def test_a_zero_standard_deviation_is_explained_at_the_card(open_page):
    at = open_page(PAGE, "en")
    at.text_input(key=key_ending(at, "text_input", "_0_sd")).set_value(typed(0.0)).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("sd: ") or "greater than 0" in e for e in errors), errors
    assert "Correct the inputs above to see power, checks and forecast." in errors


def test_a_proportion_of_1_7_is_refused_at_the_baseline(open_page):
    at = open_page(PAGE, "en")
    at.selectbox(key=key_ending(at, "selectbox", "_0_metric")).set_value("proportion").run()
    at.text_input(key=key_ending(at, "text_input", "_0_baseline")).set_value(typed(1.7)).run()
    assert not at.exception
    assert any("a proportion must lie between 0 and 1" in e.value for e in at.error)


def test_saving_twice_makes_two_versions_of_the_targets(open_page, app_db):
    at = open_page(PAGE)
    at.button(key="targets_save").click().run()
    at.text_input(key=key_ending(at, "text_input", "_0_target_rel")).set_value(typed(15.0)).run()
    at.button(key="targets_save").click().run()
    assert not at.exception
    engine, sessions = stored(app_db)
    with sessions.begin() as session:
        [summary] = list_targets(session)
        assert summary.latest_version == 2
        assert load_targets(session, summary.id).designs[0].target == 0.15
    engine.dispose()


def test_writing_back_an_example_saves_it_as_a_scenario_with_the_new_effect(open_page, app_db):
    at = open_page(PAGE)
    at.text_input(key=key_ending(at, "text_input", "_0_target_rel")).set_value(typed(15.0)).run()
    at.button(key="targets_write_back").click().run()
    assert not at.exception
    assert any("inskrivna" in s.value for s in at.success)
    engine, sessions = stored(app_db)
    with sessions.begin() as session:
        [summary] = list_scenarios(session)
        scenario = load_scenario(session, summary.id)
        assert scenario.outcomes[0].effect == 0.15
        assert scenario.contract.prices["Korta sjukdagar (dag 1–14)"] == 2075
    engine.dispose()
    # Writing back again adds a version to the same scenario.
    at.button(key="targets_write_back").click().run()
    engine, sessions = stored(app_db)
    with sessions.begin() as session:
        assert [s.latest_version for s in list_scenarios(session)] == [2]
    engine.dispose()


# --- saved versions: history, open, restore ------------------------------------------------------------------


def history_tables(at):
    # The data editors of the forecast and evaluation are dataframes too; they carry keys.
    return [frame for frame in at.dataframe if frame.key is None]


def target_percent(at, card: int = 0) -> float:
    return value_of(at.text_input(key=key_ending(at, "text_input", f"_{card}_target_rel")))


def test_before_saving_the_history_says_how_versions_come_about(open_page):
    at = open_page(PAGE)
    assert any("inte sparade än" in c.value for c in at.caption)
    assert not history_tables(at)


def test_an_older_version_opens_in_the_cards_and_restoring_adds_a_version(open_page, app_db):
    at = open_page(PAGE)
    first = target_percent(at)
    at.button(key="targets_save").click().run()
    at.text_input(key=key_ending(at, "text_input", "_0_target_rel")).set_value(typed(25.0)).run()
    at.button(key="targets_save").click().run()
    assert not at.exception
    [table] = history_tables(at)
    assert list(table.value["Version"]) == [2, 1]
    assert list(table.value["Händelse"]) == ["Sparad", "Skapad"]

    pick = next(s for s in at.selectbox if s.key.startswith("targets_pick_"))
    pick.set_value(1).run()
    at.button(key="targets_open_version").click().run()
    assert not at.exception
    assert target_percent(at) == first  # the cards hold version 1 again
    assert any("Version 1 är öppen i korten" in i.value for i in at.info)
    engine, sessions = stored(app_db)
    with sessions.begin() as session:
        assert list_targets(session)[0].latest_version == 2  # opening saves nothing
    engine.dispose()

    at.button(key="targets_restore").click().run()
    assert not at.exception
    assert list(history_tables(at)[0].value["Version"]) == [3, 2, 1]
    assert history_tables(at)[0].value["Händelse"][0] == "Återställd från version 1"
    assert not any("är öppen i korten" in i.value for i in at.info)  # the cards hold the latest now
    assert target_percent(at) == first
    engine, sessions = stored(app_db)
    with sessions.begin() as session:
        [summary] = list_targets(session)
        assert [load_targets(session, summary.id, n).designs[0].target for n in (1, 2, 3)] == [
            first / 100, 0.25, first / 100]
    engine.dispose()


def test_the_latest_version_cannot_be_restored_onto_itself_and_english_labels_are_used(open_page):
    at = open_page(PAGE, "en")
    at.button(key="targets_save").click().run()
    assert at.button(key="targets_restore").disabled
    assert at.button(key="targets_restore").label == "Restore version 1"
    assert list(history_tables(at)[0].value.columns) == ["Version", "Saved", "Event", "Name"]


def test_the_plain_power_calculator_needs_no_scenario_and_gives_shares_in_percentage_points(open_page):
    at = open_page(PAGE)
    # 30 % -> 40 %, the defaults: 356 per group at 80 % power (Cohen's h = 0,21; G*Power gives the same).
    needed = next(m for m in at.metric if m.label == "Behövs per grupp")
    assert needed.value == "356"
    at.text_input(key="quick_n").set_value(typed(150)).run()
    assert not at.exception
    mde = [m.value for m in at.metric if m.label == "Minsta detekterbara effekt"]
    assert mde[0] == "15,6 procentenheter"  # not "0,156 personer"
    at.radio(key="quick_metric").set_value("mean").run()
    at.text_input(key="quick_sd").set_value(typed(0.0)).run()
    assert not at.exception
    assert any("standardavvikelse" in e.value.lower() for e in at.error)  # said under the inputs


def test_unsaved_target_edits_survive_a_reload_and_go_in_one_click(open_page, app_db):
    from streamlit.testing.v1 import AppTest

    from engine.storage import load_draft
    from tests.pages.conftest import APP, TIMEOUT

    at = open_page(PAGE)
    field = key_ending(at, "text_input", "_0_target_rel")
    saved = value_of(at.text_input(key=field))
    at.text_input(key=field).set_value(typed(saved + 5)).run()
    notice = "Osparade ändringar i effektmålen"
    assert any(c.value.startswith(notice) for c in at.caption)
    workspace, scenario = at.query_params["ws"], at.query_params["scenario"]

    # A reload: a new session at the same address finds the edit in the cards.
    reloaded = AppTest.from_file(APP, default_timeout=TIMEOUT)
    reloaded.query_params.update({"ws": workspace, "scenario": scenario})
    reloaded.run()
    reloaded.switch_page(PAGE).run()
    field = key_ending(reloaded, "text_input", "_0_target_rel")  # keys carry the round of widgets
    assert value_of(reloaded.text_input(key=field)) == pytest.approx(saved + 5)
    assert any(c.value.startswith(notice) for c in reloaded.caption)

    reloaded.button(key="targets_discard").click().run()
    assert not reloaded.exception
    field = key_ending(reloaded, "text_input", "_0_target_rel")
    assert value_of(reloaded.text_input(key=field)) == pytest.approx(saved)
    assert not any(c.value.startswith(notice) for c in reloaded.caption)
    engine, sessions = stored(app_db)
    with sessions() as session:
        assert load_draft(session, workspace, "targets", scenario) is None
    engine.dispose()
