"""Legal figures with validity periods (data/legal/thresholds.json) and where the app uses them."""

import json
from datetime import date
from pathlib import Path

import pytest

from engine.i18n import LANGUAGES, catalog
from engine.questionnaire import legal
from engine.questionnaire.catalogue import instrument_entry
from engine.questionnaire.scoring import (
    load_questionnaire,
    recommend,
    recommendation_to_json,
    score_instruments,
    what_would_change,
)

ROOT = Path(__file__).resolve().parents[2]


# --- the figures and their periods ---------------------------------------------------------------

def test_the_figures_are_the_sourced_ones_with_their_periods():
    # Reference data 1.6, 1.10, 1.11, 1.13 (Upphandlingsmyndigheten's table from 1 January 2024).
    general, social = legal.figure("direct_award_general"), legal.figure("direct_award_social")
    assert (general.amount_sek, general.valid_from, general.valid_to) == (700_000, date(2022, 2, 1), date(2025, 12, 31))
    assert (social.amount_sek, social.valid_from, social.valid_to) == (8_109_450, date(2024, 1, 1), date(2025, 12, 31))
    assert legal.figure("eu_threshold_social").amount_sek == social.amount_sek  # the limit is the threshold
    assert legal.figure("eu_threshold_social").amount_eur == 750_000
    assert legal.figure("eu_threshold_general").amount_sek == 2_389_585


def test_every_figure_carries_its_source_year_and_period():
    for item in legal.legal_figures():
        assert item.source.name
        assert item.source.url.startswith("https://")
        assert 2014 <= item.source.year <= 2030
        assert item.valid_to is None or item.valid_from <= item.valid_to


def test_no_sek_figure_for_2026_27_is_claimed_without_a_source():
    following = legal.figure("eu_threshold_social").next_period
    assert following is not None
    assert (following.valid_from, following.amount_eur, following.amount_sek) == (date(2026, 1, 1), 750_000, None)
    assert "2025/2152" in following.source


@pytest.mark.parametrize(("day", "inside"), [
    (date(2023, 12, 31), False), (date(2024, 1, 1), True), (date(2025, 6, 30), True), (date(2025, 12, 31), True),
    (date(2026, 1, 1), False), (date(2026, 12, 2), False)])
def test_the_period_check_takes_the_date(day, inside):
    assert legal.is_valid_on(legal.figure("direct_award_social"), day) is inside
    assert legal.is_valid_on(legal.figure("eu_threshold_general"), day) is inside


def test_the_general_limit_is_confirmed_from_the_2022_reform():
    general = legal.figure("direct_award_general")
    assert legal.is_valid_on(general, date(2022, 2, 1))
    assert not legal.is_valid_on(general, date(2022, 1, 31))


@pytest.mark.parametrize(("service_kind", "amount"), [
    ("social_service", 8_109_450), ("other_service", 700_000), ("unknown", 700_000), (None, 700_000)])
def test_the_direct_award_limit_depends_on_the_kind_of_service(service_kind, amount):
    assert legal.direct_award_limit(service_kind).amount_sek == amount
    # Outside the period the last confirmed figure is still the one used (and the page warns).
    assert legal.direct_award_limit(service_kind, date(2027, 1, 1)).amount_sek == amount


def test_inside_the_period_nothing_is_stale_and_there_is_no_warning():
    assert legal.outside_period(date(2025, 3, 1)) == ()
    assert legal.period_warning(date(2025, 3, 1), "sv") is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_after_the_period_the_warning_names_the_period_and_the_new_euro_threshold(lang):
    text = legal.period_warning(date(2026, 3, 1), lang)
    assert text is not None
    assert "2024-01-01–2025-12-31" in text
    assert "2026-03-01" in text
    assert "2026-01-01" in text
    assert ("750\u00a0000" if lang == "sv" else "750,000") in text
    assert "upphandlingsmyndigheten.se" in text


def test_before_the_period_the_warning_says_other_amounts_applied():
    text = legal.period_warning(date(2023, 6, 1), "en")
    assert text is not None
    assert "before" in text


def test_the_period_is_written_as_dates():
    assert legal.period_text(legal.figure("direct_award_general"), "en") == "2022-02-01–2025-12-31"


def test_a_bad_figure_file_fails_loudly(tmp_path, monkeypatch):
    data = json.loads((ROOT / "data" / "legal" / "thresholds.json").read_text(encoding="utf-8"))
    data["figures"][0]["valid_to"] = "2020-01-01"  # ends before it starts
    bad = tmp_path / "thresholds.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(legal, "_FILE", bad)
    legal.legal_figures.cache_clear()
    try:
        with pytest.raises(ValueError, match="ends before it starts"):
            legal.legal_figures()
    finally:
        monkeypatch.undo()
        legal.legal_figures.cache_clear()


# --- where the figures are used --------------------------------------------------------------------

@pytest.mark.parametrize(("volume", "service_kind", "band"), [
    (0.5, "other_service", "below_direct_award"), (0.69, "other_service", "below_direct_award"),
    (0.7, "other_service", "small"), (5, "other_service", "small"), (5, "unknown", "small"), (5, None, "small"),
    (5, "social_service", "below_direct_award"), (8.1, "social_service", "below_direct_award"),
    (8.2, "social_service", "small"), (12, "social_service", "large")])
def test_the_direct_award_band_ends_at_the_limit_for_the_kind_of_service(volume, service_kind, band):
    answers = {"volume_msek": volume} | ({"service_kind": service_kind} if service_kind else {})
    assert load_questionnaire().question("volume_msek").band_of(volume, answers) == band


def test_a_social_service_under_its_limit_is_scored_as_a_direct_award():
    social = {s.instrument: s.score for s in score_instruments({"volume_msek": 5, "service_kind": "social_service"})}
    other = {s.instrument: s.score for s in score_instruments({"volume_msek": 5, "service_kind": "other_service"})}
    # Below the direct-award limit outcome-based procurement weighs -1 (measuring outcomes costs too much
    # for so small a purchase), in the band above it +1; 5 MSEK is below the limit for a social service only.
    assert social["outcome_based_procurement"] < other["outcome_based_procurement"]
    assert social["traditional_procurement"] == other["traditional_procurement"]


def test_what_would_change_tries_a_value_inside_each_band_for_this_kind_of_service():
    question = load_questionnaire().question("volume_msek")
    answers = {"volume_msek": 5, "service_kind": "social_service"}
    small = question.example_of("small", answers)
    assert question.band_of(float(small), answers) == "small"
    for change in what_would_change(answers | {"purpose": "buy_known_service"}, limit=10):
        if change.question == "volume_msek":
            assert question.band_of(float(change.answer), answers) == change.option


@pytest.mark.parametrize(("service_kind", "limit"), [("social_service", "8\u00a0109\u00a0450"),
                                                      ("other_service", "700\u00a0000")])
def test_the_procurement_note_quotes_the_limit_for_the_kind_of_service_with_its_period(service_kind, limit):
    rec = recommend({"provider": "private_market", "service_kind": service_kind, "volume_msek": 3})
    note = next(n for n in recommendation_to_json(rec, "sv")["legal_notes"] if n["id"] == "procurement_obligation")
    assert f"För er sorts tjänst gäller {limit} kr" in note["text"]
    assert "2024-01-01–2025-12-31" in note["text"]
    assert "2022-02-01–2025-12-31" in note["text"]
    assert "2024–25" not in note["text"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_quotes_the_figures_from_the_data_with_their_period(lang):
    entry = instrument_entry("traditional_procurement", lang)
    assert "{" not in entry.legal
    assert ("8\u00a0109\u00a0450" if lang == "sv" else "8,109,450") in entry.legal
    assert "2024-01-01–2025-12-31" in entry.legal
    assert [f.id for f in entry.legal_figures] == ["direct_award_general", "direct_award_social"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_hard_codes_a_threshold_amount(lang):
    # They come from data/legal/thresholds.json; only the history of the 2022 reform may name 700 000.
    for key, text in catalog(lang).items():
        for amount in ("8 109 450", "8\u00a0109\u00a0450", "8,109,450", "2 389 585", "2,389,585"):
            assert amount not in text, key
        if key != "catalogue.example.uhm_2022_rules.text":
            for amount in ("700 000", "700\u00a0000", "700,000", "0,7 mnkr"):
                assert amount not in text, key


# --- the IOP inquiry -------------------------------------------------------------------------------

def test_no_text_in_data_cites_the_wrong_inquiry():
    wrong = [str(path.relative_to(ROOT)) for path in (ROOT / "data").rglob("*")
             if path.is_file() and path.suffix in (".json", ".md", ".txt", ".csv")
             and "SOU 2019:59" in path.read_text(encoding="utf-8")]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_iop_texts_cite_sou_2019_56(lang):
    assert "SOU 2019:56 Idéburen välfärd" in instrument_entry("iop", lang).legal
    assert "SOU 2019:56 Idéburen välfärd" in catalog(lang)["questionnaire.legal.iop_criteria.text"]


# --- pooling between kommuner ------------------------------------------------------------------------

def test_savings_in_several_budgets_bring_the_pooling_note():
    assert "pooling" in [n.id for n in recommend({"savings_location": "other_public_budgets"}).legal_notes]
    assert "pooling" not in [n.id for n in recommend({"savings_location": "own_budget"}).legal_notes]
    assert "pooling" not in [n.id for n in recommend({}).legal_notes]


@pytest.mark.parametrize(("lang", "disclaimer"), [("sv", "inte juridisk rådgivning"), ("en", "not legal advice")])
def test_the_pooling_note_names_the_four_ways_and_says_it_is_guidance(lang, disclaimer):
    note = next(n for n in recommendation_to_json(recommend({"savings_location": "other_public_budgets"}), lang)
                ["legal_notes"] if n["id"] == "pooling")
    text = note["text"]
    assert disclaimer in text.lower()
    for words in ("kommunalförbund", "gemensam nämnd", "9 kap. 37 §" if lang == "sv" else "ch. 9 s. 37",
                  "Finsam", "2003:1210"):
        assert words in text, words
    assert note["sources"]
    assert all(url.startswith("https://") for url in note["sources"])
