"""The instrument catalogue: every instrument complete in both languages, every example sourced."""

import pytest

from engine.examples import example_ids
from engine.questionnaire.catalogue import ROLES, catalogue_ids, instrument_entry
from engine.scenario import INSTRUMENTS


def test_the_catalogue_covers_the_eight_design_ids():
    assert sorted(catalogue_ids()) == sorted(INSTRUMENTS)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_each_instrument_is_described_in_full(instrument, lang):
    entry = instrument_entry(instrument, lang)
    texts = [entry.name, entry.short, entry.what, entry.legal, entry.setup_time, entry.setup_cost,
             *entry.fits, *entry.not_fits, *(who for _, _, who in entry.roles)]
    assert all(text and not text.startswith("catalogue.") for text in texts)
    assert [role for role, _, _ in entry.roles] == list(ROLES)
    assert entry.fits
    assert entry.not_fits
    assert entry.examples


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_every_example_has_a_web_source_and_a_known_example_case(instrument):
    for example in instrument_entry(instrument, "sv").examples:
        assert example.sources
        assert all(s.url.startswith(("https://", "http://")) and s.title for s in example.sources)
        assert example.example_case is None or example.example_case in example_ids()
        assert not example.title.startswith("catalogue.")


def test_the_swedish_cases_named_in_the_issue_are_in_the_catalogue():
    titles = " ".join(e.title for i in INSTRUMENTS for e in instrument_entry(i, "sv").examples)
    for place in ("Region Stockholm", "Norrköping", "Botkyrka", "Örnsköldsvik", "Peterborough", "IOP"):
        assert place in titles


def test_an_unknown_instrument_is_a_key_error():
    with pytest.raises(KeyError):
        instrument_entry("magic_bond")
