"""Exempelbanken and the Scenarier page's part in it (publishing, where a copy came from, emptying
the trash), driven through AppTest on a real SQLite file."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from engine.examples import example_ids, load_example
from engine.i18n import translate
from engine.savings.model import project_savings
from engine.savings.narrative import missing_sentence, savings_headline
from engine.scenario import blank_scenario, parse_scenario, scenario_to_dict
from engine.storage import (
    Owner,
    act_as,
    create_document,
    get_document,
    list_bank,
    list_scenarios,
    publish_scenario,
    save_scenario,
    trash_document,
)
from engine.storage.bank import MAX_NOTE
from tests.pages.signed import signed
from ui.text import escape_markdown

BANK = "pages/exempelbanken.py"
SCENARIER = "pages/scenarier.py"
NOTE = "**x** <b>y</b> [l](http://e)"
VASTERAS = Owner("Västerås stad", "anna@vasteras.se")


def signed_in(email: str, path: str, lang: str = "sv", query: dict | None = None) -> AppTest:
    """The app on a server with sign-in, signed in as ``email``, at ``path``."""
    return signed({"email": email, "sub": email}, lang, path, query=query)


def shown(at: AppTest) -> list[str]:
    """Every text element's Markdown source, as the page sends it."""
    return [str(e.value) for kind in ("markdown", "caption", "info", "error", "warning", "success", "subheader")
            for e in getattr(at, kind)]


def saved_scenario(sessions, owner: Owner | None = None, name: str = "Hemmaplan") -> int:
    with sessions.begin() as session:
        if owner is not None:
            act_as(session, owner)
        scenario = parse_scenario(scenario_to_dict(load_example("placeringar")) | {"name": name})
        return save_scenario(session, scenario).document_id


def published(sessions, document_id: int, owner: Owner | None = None, note: str = "") -> str:
    with sessions.begin() as session:
        if owner is not None:
            act_as(session, owner)
        return publish_scenario(session, document_id, note).key


def link_query(link) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(link.proto.query_string).items()}


# --- the list ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_five_built_in_examples_are_listed_first_as_published_by_the_app(open_page, lang):
    at = open_page(BANK, lang)
    table = at.table[0].value
    assert len(table) == 5
    names = [translate(f"examples.{example}.title", lang) for example in example_ids()]
    assert list(table.iloc[:, 0]) == [escape_markdown(name) for name in names]
    assert set(table.iloc[:, 1]) == {translate("bank.cell_built_in", lang, organisation="Utfallskompassen")}
    assert at.title[0].value == translate("bank.title", lang)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_example_shows_its_headline_figure_and_every_source(open_page, lang):
    at = open_page(BANK, lang)
    at.selectbox(key="bank_entry_picker").set_value("app:ips").run()
    assert not at.exception
    example = load_example("ips")
    assert [m.value for m in at.metric] == [str(example.price_year), translate("bank.years", lang, years=example.horizon_years),
                                            translate("bank.years", lang, years=example.contract_years)]
    headline = savings_headline(project_savings(example), lang)
    assert escape_markdown(headline) in [m.value for m in at.markdown]
    sources = next(frame.value for frame in at.dataframe)
    assert len(sources) == len(example.sources)
    assert translate("calc.assumption", lang) in set(sources.iloc[:, 1])
    assert at.query_params["entry"] == "app:ips"  # the address names the example shown


def test_a_link_to_an_example_that_does_not_exist_says_so_and_opens_the_first(open_page):
    at = open_page(BANK)
    at.query_params["entry"] = "bank:999"
    at.run()
    assert not at.exception
    assert escape_markdown("bank:999") in at.warning[0].value
    assert at.selectbox(key="bank_entry_picker").value == "app:sjukfranvaro"


# --- copying -----------------------------------------------------------------------------------------

def test_copying_a_built_in_example_saves_a_new_scenario_that_remembers_it(open_page, sessions):
    at = open_page(BANK)
    at.selectbox(key="bank_entry_picker").set_value("app:ips").run()
    at.text_input(key="bank_copy_name_app:ips").input("IPS i Västerås")
    at.button(key="bank_copy_button").click().run()
    assert not at.exception
    with sessions.begin() as session:
        copies = list_scenarios(session)
    assert [(c.name, c.origin) for c in copies] == [("IPS i Västerås", "app:ips")]
    assert escape_markdown("IPS i Västerås") in at.success[0].value
    link = next(link for link in at.get("page_link") if link.value == translate("bank.open_copy", "sv"))
    assert "kalkyl" in link.proto.page
    assert link_query(link)["scenario"] == f"saved:{copies[0].id}"


def test_a_copy_opened_on_scenarier_says_which_example_it_came_from(open_page, sessions):
    at = open_page(BANK)
    at.selectbox(key="bank_entry_picker").set_value("app:diabetes").run()
    at.button(key="bank_copy_button").click().run()
    at.switch_page(SCENARIER).run()
    assert not at.exception
    expected = translate("bank.copied_from", "sv", name=escape_markdown(translate("examples.diabetes.title", "sv")),
                         organisation=escape_markdown("Utfallskompassen"))
    assert expected in [c.value for c in at.caption]


def test_a_copy_of_an_unknown_origin_shows_the_key(open_page, sessions):
    with sessions.begin() as session:
        create_document(session, "scenario", "Från ingenstans", scenario_to_dict(load_example("ips")), event="copied",
                        origin="bank:4711")
    at = open_page(SCENARIER)
    assert translate("bank.copied_from_unknown", "sv", key=escape_markdown("bank:4711")) in [c.value for c in at.caption]


# --- publishing from Scenarier --------------------------------------------------------------------

def publish_from_scenarier(at: AppTest, note: str) -> AppTest:
    document_id = at.selectbox(key="choose_scenario").value
    # set_value, not input: input() ignores a text longer than the field takes.
    at.text_area(key=f"bank_publish_note_{document_id}_0").set_value(note)
    at.checkbox(key=f"bank_publish_confirm_{document_id}_0").check().run()
    at.button(key="bank_publish_button").click().run()
    assert not at.exception
    return at


def test_a_published_scenario_is_listed_and_its_note_shown_as_typed(open_page, sessions):
    saved_scenario(sessions, name="Hemmaplan *Norrköping*")
    at = publish_from_scenarier(open_page(SCENARIER), NOTE)
    assert translate("bank.published", "sv", name=escape_markdown("Hemmaplan *Norrköping*")) in \
        [s.value for s in at.success]
    link = next(link for link in at.get("page_link") if link.value == translate("bank.open_published", "sv"))
    assert link_query(link)["entry"] == "bank:1"
    # The note field starts empty again, so a second click does not publish the same text twice.
    assert at.text_area(key="bank_publish_note_1_1").value == ""

    at.switch_page(BANK)
    at.query_params["entry"] = "bank:1"
    at.run()
    assert not at.exception
    table = at.table[0].value
    assert table.iloc[5, 0] == escape_markdown("Hemmaplan *Norrköping*")
    assert table.iloc[5, 1].startswith(translate("bank.this_server", "sv") + ", 20")
    assert table.iloc[5, 2] == translate("bank.has_note", "sv")
    assert escape_markdown(NOTE) in [m.value for m in at.markdown]
    assert NOTE not in shown(at)
    assert escape_markdown("Hemmaplan *Norrköping*") in [s.value for s in at.subheader]


def test_publishing_needs_the_confirmation(open_page, sessions):
    saved_scenario(sessions)
    at = open_page(SCENARIER)
    assert at.button(key="bank_publish_button").disabled
    at.checkbox(key="bank_publish_confirm_1_0").check().run()
    assert not at.button(key="bank_publish_button").disabled


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_scenario_without_outcomes_or_costs_is_not_offered_for_publishing(open_page, sessions, lang):
    with sessions.begin() as session:
        save_scenario(session, blank_scenario("Tom mall"))
    at = open_page(SCENARIER, lang)
    assert translate("bank.publish_incomplete", lang, what=missing_sentence(("outcomes", "costs"), lang)) in \
        [i.value for i in at.info]
    assert not [b for b in at.button if b.key == "bank_publish_button"]
    with sessions.begin() as session:
        assert list_bank(session)[5:] == []


def test_an_entry_with_nothing_to_calculate_on_says_so_to_its_readers(open_page, sessions):
    # Published before publishing asked for outcomes and costs (the store itself does not refuse).
    with sessions.begin() as session:
        key = publish_scenario(session, save_scenario(session, blank_scenario("Tom mall")).document_id).key
    at = open_page(BANK)
    at.query_params["entry"] = key
    at.run()
    assert translate("bank.entry_incomplete", "sv") in [i.value for i in at.info]
    assert missing_sentence(("outcomes", "costs"), "sv") not in shown(at)


def test_a_note_is_never_published_longer_than_the_limit(open_page, sessions):
    # Streamlit keeps a field's first max_chars characters, also of a request that sends more.
    saved_scenario(sessions)
    publish_from_scenarier(open_page(SCENARIER), "x" * (MAX_NOTE + 1))
    with sessions.begin() as session:
        assert len(list_bank(session)[-1].note) == MAX_NOTE


def test_the_publisher_is_told_when_the_source_scenario_is_in_the_trash(open_page, sessions):
    document_id = saved_scenario(sessions)
    key = published(sessions, document_id, note="Gick bra")
    with sessions.begin() as session:
        trash_document(session, document_id)
    at = open_page(BANK)
    at.selectbox(key="bank_entry_picker").set_value(key).run()
    assert not at.exception
    assert translate("bank.source_trashed", "sv") in [i.value for i in at.info]
    assert "Gick bra" in [m.value for m in at.markdown]


def test_another_organisation_sees_the_entry_but_not_where_it_came_from(sessions):
    document_id = saved_scenario(sessions, VASTERAS)
    key = published(sessions, document_id, VASTERAS, note="Bra")
    with sessions.begin() as session:
        trash_document(act_as(session, VASTERAS), document_id)
    at = signed_in("olle@orebro.se", BANK, query={"entry": key})
    assert at.selectbox(key="bank_entry_picker").value == key
    assert escape_markdown("Västerås stad") in at.table[0].value.iloc[5, 1]
    assert not [i for i in at.info if i.value == translate("bank.source_trashed", "sv")]
    assert "anna" not in " ".join(c.value for c in at.caption)  # the person is named only to their own organisation


def test_a_signed_in_user_copies_into_their_own_organisation(sessions):
    key = published(sessions, saved_scenario(sessions, VASTERAS), VASTERAS)
    at = signed_in("olle@orebro.se", BANK, query={"entry": key})
    at.button(key="bank_copy_button").click().run()
    assert not at.exception
    with sessions.begin() as session:
        act_as(session, Owner("Örebro kommun", "olle@orebro.se"))
        (copy,) = list_scenarios(session)
    assert (copy.name, copy.origin) == ("Hemmaplan", key)


# --- emptying the trash ----------------------------------------------------------------------------

def test_without_sign_in_nobody_is_offered_to_empty_the_trash(open_page, sessions):
    with sessions.begin() as session:
        trash_document(session, saved_scenario(sessions))
    at = open_page(SCENARIER)
    assert not [b for b in at.button if b.key == "empty_trash_button"]


def test_a_member_who_is_not_an_admin_is_not_offered_to_empty_the_trash(sessions):
    document_id = saved_scenario(sessions, VASTERAS)
    with sessions.begin() as session:
        trash_document(act_as(session, VASTERAS), document_id)
    at = signed_in("anna@vasteras.se", SCENARIER)
    assert not [b for b in at.button if b.key == "empty_trash_button"]
    assert translate("empty_trash.heading", "sv") not in shown(at)


def test_an_admin_empties_the_trash_and_the_published_copy_stays(sessions):
    document_id = saved_scenario(sessions, VASTERAS)
    kept = saved_scenario(sessions, VASTERAS, name="Behålls")
    key = published(sessions, document_id, VASTERAS, note="Finns kvar")
    with sessions.begin() as session:
        trash_document(act_as(session, VASTERAS), document_id)
    at = signed_in("admin@vasteras.se", SCENARIER)
    assert at.button(key="empty_trash_button").disabled
    at.checkbox(key="empty_trash_confirm_0").check().run()
    at.button(key="empty_trash_button").click().run()
    assert not at.exception
    assert translate("empty_trash.done", "sv", count=1) in [s.value for s in at.success]
    with sessions.begin() as session:
        act_as(session, VASTERAS)
        assert [s.id for s in list_scenarios(session, trashed=True)] == []
        assert get_document(session, kept).name == "Behålls"
        assert [e.key for e in list_bank(session)][-1] == key

    at.switch_page(BANK)
    at.query_params["entry"] = key
    at.run()
    assert translate("bank.source_deleted", "sv") in [i.value for i in at.info]
    assert "Finns kvar" in [m.value for m in at.markdown]
