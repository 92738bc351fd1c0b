"""The Scenarier page, driven through AppTest on a real SQLite file."""

from engine.storage import list_scenarios, list_versions, load_scenario, open_database, session_factory
from tests.pages.typing import typed

PAGE = "pages/scenarier.py"


def stored(app_db):
    """What is actually in the database, read outside the app."""
    engine = open_database(app_db)
    try:
        with session_factory(engine).begin() as session:
            return {s.id: (load_scenario(session, s.id), len(list_versions(session, s.id)))
                    for s in list_scenarios(session)}, [s.id for s in list_scenarios(session, trashed=True)]
    finally:
        engine.dispose()


def save_button(at, suffix):
    return next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:basics_{suffix}"))


def create(at, name="Testscenario"):
    at.text_input(key="new_name").input(name)
    at.button(key="new_button").click().run()
    assert not at.exception
    return at


def test_an_empty_database_says_how_to_begin(open_page):
    at = open_page(PAGE)
    assert "Inga scenarier är sparade ännu" in at.info[0].value


def test_a_scenario_created_from_the_blank_template_is_saved_and_opened(open_page, app_db):
    at = create(open_page(PAGE))
    saved, _ = stored(app_db)
    assert [s.name for s, _ in saved.values()] == ["Testscenario"]
    assert at.selectbox(key="choose_scenario").value == next(iter(saved))


def test_editing_the_basics_saves_a_new_version_and_keeps_the_old(open_page, app_db):
    at = create(open_page(PAGE))
    at.text_input(key="horizon_1_1").set_value(typed(20))
    at.text_input(key="rate_1_1").set_value(typed(4.0))
    at.text_area(key="description_1_1").input("Förebyggande stöd")
    save_button(at, "1_1").click().run()
    assert not at.exception
    (scenario, versions), = stored(app_db)[0].values()
    assert (scenario.horizon_years, scenario.discount_rate, versions) == (20, 0.04, 2)
    assert scenario.description == "Förebyggande stöd"
    assert len(at.dataframe[0].value) == 2


def test_an_invalid_edit_shows_the_problem_at_the_field_and_saves_nothing(open_page, app_db):
    at = create(open_page(PAGE))
    at.text_input(key="name_1_1").input("")
    save_button(at, "1_1").click().run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]  # as read, without Markdown escapes
    assert "Får inte vara tomt." in errors
    assert any("Inget sparades" in e for e in errors)
    (scenario, versions), = stored(app_db)[0].values()
    assert (scenario.name, versions) == ("Testscenario", 1)


def test_a_contract_longer_than_the_horizon_is_explained_at_the_contract_field(open_page, app_db):
    at = create(open_page(PAGE))
    at.text_input(key="horizon_1_1").set_value(typed(3))
    save_button(at, "1_1").click().run()
    assert any("Avtalsperioden (4 år)" in e.value.replace("\\", "") for e in at.error)
    assert stored(app_db)[0][1][1] == 1


def test_restoring_version_one_brings_back_its_values_as_a_new_version(open_page, app_db):
    at = create(open_page(PAGE))
    at.text_input(key="horizon_1_1").set_value(typed(30))
    save_button(at, "1_1").click().run()
    at.selectbox(key="scenario_pick_1_2").set_value(1).run()  # document 1, latest version 2
    at.button(key="scenario_restore").click().run()
    assert not at.exception
    (scenario, versions), = stored(app_db)[0].values()
    assert (scenario.horizon_years, versions) == (15, 3)


def test_rename_duplicate_trash_and_restore_from_trash(open_page, app_db):
    at = create(open_page(PAGE))
    at.text_input(key="scenario_rename_1_1").input("Omdöpt")
    at.button(key="scenario_rename_button").click().run()
    at.button(key="duplicate_button").click().run()
    saved, _ = stored(app_db)
    assert sorted(s.name for s, _ in saved.values()) == ["Kopia av Omdöpt", "Omdöpt"]

    copy_id = max(saved)
    at.checkbox(key=f"scenario_trash_confirm_{copy_id}").check().run()
    at.button(key="scenario_trash_button").click().run()
    assert not at.exception
    saved, trashed = stored(app_db)
    assert trashed == [copy_id]
    assert copy_id not in saved

    at.button(key=f"untrash_{copy_id}").click().run()
    saved, trashed = stored(app_db)
    assert trashed == []
    assert copy_id in saved


def test_a_name_with_markup_is_shown_as_text(open_page):
    at = create(open_page(PAGE), name="<b>fet</b> **stjärnor**")
    assert at.text_input(key="name_1_1").value == "<b>fet</b> **stjärnor**"
    assert not any("<b>" in m.value and "unsafe" in m.value for m in at.markdown)


def test_the_page_works_in_english(open_page):
    at = create(open_page(PAGE, lang="en"))
    assert at.title[0].value == "Scenarios"
    assert [t.label for t in at.tabs] == ["Basics", "History", "Manage"]
