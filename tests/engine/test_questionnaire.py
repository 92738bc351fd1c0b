"""The instrument-choice questionnaire: personas, scores, knock-outs, legal screens, stability, data."""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import InputError
from engine.i18n import catalog
from engine.questionnaire.scoring import (
    AnswersError,
    Reason,
    _chosen,
    _index_arrays,
    _scores,
    answers_to_dict,
    change_text,
    load_questionnaire,
    parse_answers,
    reason_text,
    recommend,
    recommendation_to_json,
    score_instruments,
    stability,
)
from engine.scenario import INSTRUMENTS

ROOT = Path(__file__).resolve().parents[2]

#: The sixteen dimensions of DESIGN.md with their option values (numbers as None).
DESIGN_DIMENSIONS = {
    "purpose": ["test_new_method", "scale_proven_method", "buy_known_service", "support_civil_society_initiative"],
    "evidence_level": ["untested", "promising", "proven"],
    "outcome_measurability": ["comparison_group", "before_after", "hard_to_measure"],
    "time_to_effect_years": None,
    "savings_location": ["own_budget", "other_public_budgets", "mostly_non_cashable"],
    "provider": ["ideburen", "private_market", "public_internal", "unknown"],
    "provider_market": ["competitive_market", "few_providers", "no_market"],
    "risk_transfer": ["wanted", "neutral", "not_wanted"],
    "external_capital": ["investor_interested", "possible", "none"],
    "own_funds": ["set_aside", "can_be_budgeted", "none"],
    "capital_market_access": ["issuer_with_framework", "could_issue", "no"],
    "volume_msek": None,
    "control_wanted": ["full_internal_control", "shared", "outsourced"],
    "org_capacity": ["experienced", "some", "none"],
    "timeline_months": None,
    "partnership_goal": ["shared_societal_goal", "buy_service", "finance_only"],
}


def scores(answers) -> dict[str, float]:
    return {s.instrument: s.score for s in score_instruments(answers)}


def entry(answers, instrument):
    return next(s for s in score_instruments(answers) if s.instrument == instrument)


# --- personas: one per instrument, each with an answer everyone would agree on ---------------------

PERSONAS = {
    # A municipality buying a known cleaning-and-care service on a market with many bidders, paying
    # per activity; nothing to test, no risk it wants to pay someone to take.
    "traditional_procurement": {
        "purpose": "buy_known_service", "partnership_goal": "buy_service", "evidence_level": "proven",
        "outcome_measurability": "hard_to_measure", "time_to_effect_years": 1, "savings_location": "mostly_non_cashable",
        "provider": "private_market", "partner_own_activity": "our_specification", "reserved_qualification": "none",
        "service_kind": "other_service", "provider_market": "competitive_market", "risk_transfer": "not_wanted",
        "own_funds": "can_be_budgeted", "external_capital": "none", "capital_market_access": "no", "volume_msek": 3,
        "control_wanted": "outsourced", "org_capacity": "some", "timeline_months": 8},
    # A known social service that a work-integration social enterprise can deliver: buy it, but
    # reserve the procurement (LOU 4 kap. 18 §) so that it also gives jobs.
    "reserved_procurement": {
        "purpose": "buy_known_service", "partnership_goal": "buy_service", "evidence_level": "proven",
        "outcome_measurability": "before_after", "time_to_effect_years": 1, "savings_location": "mostly_non_cashable",
        "provider": "ideburen", "partner_own_activity": "our_specification", "reserved_qualification": "work_integration",
        "service_kind": "social_service", "provider_market": "few_providers", "risk_transfer": "not_wanted",
        "own_funds": "can_be_budgeted", "external_capital": "none", "capital_market_access": "no", "volume_msek": 12,
        "control_wanted": "shared", "org_capacity": "some", "timeline_months": 8},
    # Scaling a proven method with companies that compete and accept to be paid on outcomes measured
    # against a comparison group, within the contract: outcome-based payment in an ordinary procurement.
    "outcome_based_procurement": {
        "purpose": "scale_proven_method", "partnership_goal": "buy_service", "evidence_level": "proven",
        "outcome_measurability": "comparison_group", "time_to_effect_years": 1.5, "savings_location": "own_budget",
        "provider": "private_market", "partner_own_activity": "our_specification", "reserved_qualification": "none",
        "service_kind": "other_service", "provider_market": "competitive_market", "risk_transfer": "wanted",
        "own_funds": "can_be_budgeted", "external_capital": "none", "capital_market_access": "no", "volume_msek": 6,
        "control_wanted": "outsourced", "org_capacity": "experienced", "timeline_months": 10},
    # Botkyrka-like: the municipality's own sick leave, its own budget and own money, outcomes
    # measurable within a year, no outside investor: an internal outcomes contract.
    "internal_outcomes_contract": {
        "purpose": "test_new_method", "partnership_goal": "buy_service", "evidence_level": "promising",
        "outcome_measurability": "before_after", "time_to_effect_years": 1, "savings_location": "own_budget",
        "provider": "public_internal", "partner_own_activity": "not_applicable", "reserved_qualification": "none",
        "service_kind": "other_service", "provider_market": "few_providers", "risk_transfer": "wanted",
        "own_funds": "can_be_budgeted", "external_capital": "none", "capital_market_access": "no", "volume_msek": 8,
        "control_wanted": "shared", "org_capacity": "experienced", "timeline_months": 9},
    # Norrköping-like: a promising method, a comparison group, an interested investor, no own money,
    # risk to be moved and a year to prepare: a social outcomes contract.
    "social_outcomes_contract": {
        "purpose": "test_new_method", "partnership_goal": "finance_only", "evidence_level": "promising",
        "outcome_measurability": "comparison_group", "time_to_effect_years": 3, "savings_location": "own_budget",
        "provider": "ideburen", "partner_own_activity": "our_specification", "reserved_qualification": "unknown",
        "service_kind": "social_service", "provider_market": "few_providers", "risk_transfer": "wanted",
        "own_funds": "none", "external_capital": "investor_interested", "capital_market_access": "no", "volume_msek": 10,
        "control_wanted": "outsourced", "org_capacity": "experienced", "timeline_months": 18},
    # An untested idea run in-house, money already set aside, savings in its own budget but years
    # away, start within months and no wish to pay anyone for risk: a social investment fund.
    "social_investment_fund": {
        "purpose": "test_new_method", "partnership_goal": "shared_societal_goal", "evidence_level": "untested",
        "outcome_measurability": "before_after", "time_to_effect_years": 6, "savings_location": "own_budget",
        "provider": "public_internal", "partner_own_activity": "not_applicable", "reserved_qualification": "none",
        "service_kind": "social_service", "provider_market": "no_market", "risk_transfer": "not_wanted",
        "own_funds": "set_aside", "external_capital": "none", "capital_market_access": "no", "volume_msek": 5,
        "control_wanted": "full_internal_control", "org_capacity": "some", "timeline_months": 4},
    # Region Stockholm-like: an issuer with a bond framework, 30 MSEK, a proven programme with a
    # long tail, investors ready to share outcome risk: a social (outcome-linked) bond.
    "social_bond": {
        "purpose": "scale_proven_method", "partnership_goal": "finance_only", "evidence_level": "proven",
        "outcome_measurability": "comparison_group", "time_to_effect_years": 5, "savings_location": "own_budget",
        "provider": "public_internal", "partner_own_activity": "not_applicable", "reserved_qualification": "none",
        "service_kind": "other_service", "provider_market": "no_market", "risk_transfer": "wanted",
        "own_funds": "none", "external_capital": "investor_interested", "capital_market_access": "issuer_with_framework",
        "volume_msek": 30, "control_wanted": "full_internal_control", "org_capacity": "experienced", "timeline_months": 18},
    # A registered idea-based organisation runs its own meeting place; there is no market, the
    # municipality shares the goal and wants to contribute, outcomes are hard to put a price on: IOP.
    "iop": {
        "purpose": "support_civil_society_initiative", "partnership_goal": "shared_societal_goal",
        "evidence_level": "promising", "outcome_measurability": "hard_to_measure", "time_to_effect_years": 3,
        "savings_location": "mostly_non_cashable", "provider": "ideburen", "partner_own_activity": "own_activity",
        "reserved_qualification": "ideburen_registered", "service_kind": "social_service", "provider_market": "no_market",
        "risk_transfer": "neutral", "own_funds": "can_be_budgeted", "external_capital": "none", "capital_market_access": "no",
        "volume_msek": 2, "control_wanted": "shared", "org_capacity": "some", "timeline_months": 8},
}


@pytest.mark.parametrize("instrument", sorted(PERSONAS))
def test_each_persona_gets_its_instrument_first(instrument):
    rec = recommend(parse_answers({"answers": PERSONAS[instrument]}))
    assert rec.first == instrument
    assert not rec.ranking[0].excluded
    assert rec.ranking[0].reasons_for, "the first choice must say why"


def test_there_is_a_persona_for_every_instrument():
    assert sorted(PERSONAS) == sorted(INSTRUMENTS)


def test_a_full_persona_answer_gives_high_confidence():
    rec = recommend(PERSONAS["social_outcomes_contract"])
    assert rec.answered == rec.questions
    assert rec.confidence == "high"
    assert rec.stability >= 0.8


# --- calibration: written personas, each with the first choice a practitioner would expect -------------

@dataclass(frozen=True)
class Persona:
    expected: str
    why: str
    answers: dict


#: Issue 13: the questionnaire is calibrated against these. The first two are the cases the review
#: found wrong before the calibration (internal outcomes contract 79 ahead of IOP 74 "with high
#: certainty"; outcome-based procurement a hair ahead of traditional procurement for a known service).
CALIBRATION = {
    "ideburen_own_activity_no_financier": Persona(
        "iop",
        "An idea-based organisation wants to try a new method in its own activity, shares the goal with the "
        "kommun, few others could do it and nobody outside finances it: a partnership around the partner's "
        "own activity, not a purchase and not an outcome contract.",
        {"purpose": "test_new_method", "partnership_goal": "shared_societal_goal", "evidence_level": "promising",
         "outcome_measurability": "before_after", "time_to_effect_years": 2, "savings_location": "own_budget",
         "provider": "ideburen", "partner_own_activity": "own_activity",
         "reserved_qualification": "ideburen_registered", "service_kind": "social_service",
         "provider_market": "few_providers", "risk_transfer": "neutral", "own_funds": "set_aside",
         "external_capital": "none", "capital_market_access": "no", "volume_msek": 3, "control_wanted": "shared",
         "org_capacity": "some", "timeline_months": 9}),
    "home_care_purchase": Persona(
        "traditional_procurement",
        "Home care (hemtjänst) is a known, well-specified social service with many providers; the kommun wants "
        "to buy it as it is, with no risk to move: an ordinary procurement.",
        {"purpose": "buy_known_service", "partnership_goal": "buy_service", "evidence_level": "proven",
         "outcome_measurability": "before_after", "time_to_effect_years": 1, "savings_location": "own_budget",
         "provider": "private_market", "partner_own_activity": "our_specification",
         "reserved_qualification": "none", "service_kind": "social_service",
         "provider_market": "competitive_market", "risk_transfer": "neutral", "own_funds": "can_be_budgeted",
         "external_capital": "none", "capital_market_access": "no", "volume_msek": 40,
         "control_wanted": "outsourced", "org_capacity": "some", "timeline_months": 9}),
    "ideburen_own_activity_in_brief": Persona(
        "iop",
        "The same partner answered in five questions only: its own activity, a shared goal, no financier.",
        {"purpose": "test_new_method", "partnership_goal": "shared_societal_goal", "provider": "ideburen",
         "partner_own_activity": "own_activity", "external_capital": "none"}),
    "known_service_in_brief": Persona(
        "traditional_procurement",
        "A known social service on a working market, answered in a few questions: buy it in competition.",
        {"purpose": "buy_known_service", "partnership_goal": "buy_service", "evidence_level": "proven",
         "provider": "private_market", "provider_market": "competitive_market", "service_kind": "social_service",
         "volume_msek": 40, "outcome_measurability": "before_after", "time_to_effect_years": 1}),
    "cleaning_and_care_service": Persona(
        "traditional_procurement",
        "A known service on a market with many bidders, paid per activity; nothing to test and no risk to move.",
        PERSONAS["traditional_procurement"]),
    "work_integration_social_enterprise": Persona(
        "reserved_procurement",
        "A known social service above the direct-award limit that a work-integration social enterprise can "
        "deliver: advertise it, but reserve it (LOU 4 kap. 18 §) so that it also gives jobs.",
        PERSONAS["reserved_procurement"]),
    "companies_paid_on_outcomes": Persona(
        "outcome_based_procurement",
        "A proven method, companies that compete and accept payment on outcomes measured against a comparison "
        "group within the contract: outcome-based payment in an ordinary procurement.",
        PERSONAS["outcome_based_procurement"]),
    "botkyrka_like_sick_leave": Persona(
        "internal_outcomes_contract",
        "The kommun's own sick leave, its own budget and money, outcomes measurable within a year and no outside "
        "investor: an internal outcomes contract.",
        PERSONAS["internal_outcomes_contract"]),
    "norrkoping_like_investor": Persona(
        "social_outcomes_contract",
        "A promising method, a comparison group, an interested investor, no own money and a year to prepare: "
        "a social outcomes contract.",
        PERSONAS["social_outcomes_contract"]),
    "untested_idea_in_house": Persona(
        "social_investment_fund",
        "An untested idea run in-house with money set aside, savings in the own budget years away and no wish "
        "to pay anyone for risk: a social investment fund.",
        PERSONAS["social_investment_fund"]),
    "region_with_bond_framework": Persona(
        "social_bond",
        "An issuer with a bond framework, 30 MSEK, a proven programme with a long tail and investors ready to "
        "share outcome risk: a social (outcome-linked) bond.",
        PERSONAS["social_bond"]),
    "meeting_place_of_an_association": Persona(
        "iop",
        "A registered idea-based organisation runs its own meeting place with no market; the kommun shares the "
        "goal and outcomes are hard to price: IOP.",
        PERSONAS["iop"]),
}


def _lead(answers) -> tuple[str, float]:
    open_ = [s for s in score_instruments(answers) if not s.excluded]
    return open_[0].instrument, open_[0].score - open_[1].score


@pytest.mark.parametrize("name", sorted(CALIBRATION))
def test_each_written_persona_gets_its_expected_first_choice(name):
    persona = CALIBRATION[name]
    assert persona.why.strip()
    answers = parse_answers({"answers": persona.answers})
    first, lead = _lead(answers)
    assert (first, name) == (persona.expected, name)
    assert lead > 1.0, f"{name}: a lead of {lead:.1f} points is a coin toss"


def test_there_are_at_least_eight_written_personas_covering_every_instrument():
    assert len(CALIBRATION) >= 8
    assert {p.expected for p in CALIBRATION.values()} == set(INSTRUMENTS)


@pytest.mark.parametrize("name", ["ideburen_own_activity_no_financier", "home_care_purchase"])
def test_the_two_cases_of_the_review_are_not_a_toss_up(name):
    rec = recommend(CALIBRATION[name].answers)
    assert rec.first == CALIBRATION[name].expected
    assert rec.confidence in ("medium", "high")
    assert rec.stability >= 0.8


def test_before_the_calibration_the_review_s_cases_went_wrong():
    """The same answers under the old rule and weights picked the instrument the review objected to."""
    q = load_questionnaire()
    old = q.weights.copy()
    # The four weights changed by issue 13, back to their earlier values.
    for question, option, instrument, weight in (
            ("purpose", "test_new_method", "iop", 1), ("purpose", "buy_known_service", "outcome_based_procurement", 1),
            ("partner_own_activity", "own_activity", "internal_outcomes_contract", 0),
            ("partner_own_activity", "own_activity", "outcome_based_procurement", 0),
            ("external_capital", "none", "iop", 0), ("org_capacity", "some", "iop", 0)):
        qi = q.index(question)
        old[qi, q.questions[qi].options.index(option), q.instruments.index(instrument)] = weight
    for name, wrong in (("ideburen_own_activity_no_financier", "internal_outcomes_contract"),
                        ("home_care_purchase", "outcome_based_procurement")):
        chosen = _chosen(CALIBRATION[name].answers, q)
        rows, columns = _index_arrays(chosen, q)
        before = _scores(old, q.valid, rows, columns, "per_instrument")
        assert q.instruments[int(np.argmax(before))] == wrong
        after = _scores(q.weights, q.valid, rows, columns, q.scale)
        assert q.instruments[int(np.argmax(after))] == CALIBRATION[name].expected


# --- known answers -------------------------------------------------------------------------------------

def test_the_score_is_the_weight_sum_on_one_yardstick_for_all_instruments():
    # Social outcomes contract: purpose=test_new_method weighs +3 (its range -2..+3), risk_transfer=
    # neutral 0 (range -3..+3). No instrument reaches further than -5..+6 on these two, so R = 6:
    # 50 + 50 * 3 / 6 = 75.
    assert scores({"purpose": "test_new_method", "risk_transfer": "neutral"})["social_outcomes_contract"] == \
        pytest.approx(75)
    # IOP: purpose=buy_known_service -2 alone; on purpose the widest reach of any instrument is 3:
    # 50 + 50 * (-2) / 3 = 16.7.
    assert scores({"purpose": "buy_known_service"})["iop"] == pytest.approx(50 - 100 / 3)


def test_a_larger_weight_sum_always_scores_higher():
    # The rule before issue 13 scaled each instrument by its own range, which put outcome-based
    # procurement (sum 19) ahead of traditional procurement (sum 20) for a home-care purchase.
    q = load_questionnaire()
    answers = CALIBRATION["home_care_purchase"].answers
    sums = {}
    for question in q.questions:
        option = question.band_of(float(answers[question.id]), answers) if question.kind == "number" \
            else answers[question.id]
        qi, oi = q.index(question.id), question.options.index(option)
        for ii, instrument in enumerate(q.instruments):
            sums[instrument] = sums.get(instrument, 0.0) + float(q.weights[qi, oi, ii])
    result = scores(answers)
    by_sum = sorted(q.instruments, key=lambda i: -sums[i])
    assert [result[i] for i in by_sum] == sorted(result.values(), reverse=True)


def test_an_answer_that_does_not_matter_to_an_instrument_leaves_it_at_50():
    # capital_market_access only weighs on the social bond.
    result = scores({"capital_market_access": "could_issue"})
    assert result["traditional_procurement"] == 50
    assert result["social_bond"] == pytest.approx(100 * (1 + 3) / 6)


def test_a_number_answer_is_scored_by_its_band():
    assert scores({"volume_msek": 10}) == scores({"volume_msek": 500})    # both "large" (10 or more)
    assert scores({"volume_msek": 9.5}) != scores({"volume_msek": 10})
    assert load_questionnaire().question("time_to_effect_years").band_of(1.99) == "short"


def test_reasons_for_and_against_are_the_strongest_pulls_in_words():
    top = entry(PERSONAS["social_outcomes_contract"], "social_outcomes_contract")
    assert [r.weight for r in top.reasons_for] == [3, 3, 3]
    text = recommendation_to_json(recommend(PERSONAS["social_outcomes_contract"]), "sv")["ranking"][0]
    assert "jämförelsegrupp" in " ".join(text["reasons_for"])
    against = entry(PERSONAS["social_outcomes_contract"], "social_investment_fund").reasons_against
    assert against
    assert all(r.weight < 0 for r in against)
    assert [r.weight for r in against] == sorted(r.weight for r in against)


def test_a_reason_shown_for_an_instrument_fits_that_instrument():
    # An interested investor raises the social bond too, but the social outcomes contract's reason
    # ("... the precondition of a social outcomes contract") must not be shown for it.
    answers = {"purpose": "scale_proven_method", "outcome_measurability": "comparison_group",
               "external_capital": "investor_interested"}
    for lang, words in (("sv", ("utfallskontrakt", "SIB")), ("en", ("outcomes contract", "SIB"))):
        ranking = recommendation_to_json(recommend(answers), lang)["ranking"]
        bond = next(row for row in ranking if row["instrument"] == "social_bond")
        assert bond["reasons_for"], "the bond is still raised, and says why"
        shown = " ".join(bond["reasons_for"] + bond["reasons_against"])
        assert not any(word in shown for word in words), shown
        soc = next(row for row in ranking if row["instrument"] == "social_outcomes_contract")
        assert any(words[0] in text for text in soc["reasons_for"])


def test_an_instrument_text_overrides_the_generic_one_only_for_that_instrument():
    generic = catalog("sv")["questionnaire.q.own_funds.why.set_aside"]
    assert reason_text(Reason("own_funds", "set_aside", 1, "iop")) == generic
    assert reason_text(Reason("own_funds", "set_aside", 1)) == generic
    fund = reason_text(Reason("own_funds", "set_aside", 3, "social_investment_fund"))
    assert fund == catalog("sv")["questionnaire.q.own_funds.why.set_aside.social_investment_fund"] != generic


_OVERRIDE = re.compile(r"questionnaire\.q\.([a-z_]+)\.(why|whynot)\.([a-z_]+)\.([a-z_]+)")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_instrument_reason_text_belongs_to_a_real_pull(lang):
    """``.why.<option>.<instrument>``: a real question, option and instrument, a weight of that sign, both languages."""
    q = load_questionnaire()
    other = catalog("en" if lang == "sv" else "sv")
    overrides = [key for key in catalog(lang) if re.fullmatch(r"questionnaire\.q\.[^.]+\.(why|whynot)\.[^.]+\..+", key)]
    assert overrides, "there are instrument-specific reasons"
    wrong = []
    for key in overrides:
        match = _OVERRIDE.fullmatch(key)
        ids = [question.id for question in q.questions]
        if not match or match[1] not in ids or match[4] not in q.instruments \
                or match[3] not in q.question(match[1]).options:
            wrong.append(key)
            continue
        question_id, kind, option, instrument = match.groups()
        qi = ids.index(question_id)
        weight = q.weights[qi, q.questions[qi].options.index(option), q.instruments.index(instrument)]
        if (weight > 0) != (kind == "why") or weight == 0 or key not in other or not catalog(lang)[key].strip():
            wrong.append(key)
    assert wrong == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_pull_has_a_text_in_words(lang):
    q = load_questionnaire()
    for qi, question in enumerate(q.questions):
        for oi, option in enumerate(question.options):
            for ii, instrument in enumerate(q.instruments):
                weight = float(q.weights[qi, oi, ii])
                if weight:
                    text = reason_text(Reason(question.id, option, weight, instrument), lang)
                    assert not text.startswith("questionnaire."), text


# --- knock-outs from the issue --------------------------------------------------------------------

@pytest.mark.parametrize(("instrument", "answers", "rule"), [
    ("iop", {"provider": "private_market"}, "iop_needs_ideburen_partner"),
    ("iop", {"provider_market": "competitive_market"}, "iop_not_with_working_market"),
    ("iop", {"partner_own_activity": "our_specification"}, "iop_needs_own_activity"),
    ("social_bond", {"capital_market_access": "no"}, "bond_needs_capital_market"),
    ("social_bond", {"volume_msek": 9.9}, "bond_needs_volume"),
    ("social_outcomes_contract", {"outcome_measurability": "before_after"}, "soc_needs_counterfactual"),
    ("social_outcomes_contract", {"external_capital": "none"}, "soc_needs_financier"),
    ("reserved_procurement", {"reserved_qualification": "none"}, "reserved_needs_qualifying_provider"),
])
def test_a_knock_out_excludes_the_instrument_with_its_reason(instrument, answers, rule):
    scored = entry(answers, instrument)
    assert scored.excluded
    assert rule in scored.exclusion_reasons
    words = recommendation_to_json(recommend(answers), "en")
    listed = next(r for r in words["ranking"] if r["instrument"] == instrument)
    assert listed["exclusion_reasons"]
    assert listed["exclusion_reasons"][0] != f"questionnaire.ko.{rule}"


def test_an_excluded_instrument_ranks_below_every_open_one_even_with_a_higher_score():
    answers = dict(PERSONAS["social_outcomes_contract"], external_capital="none")
    ranking = score_instruments(answers)
    assert ranking[-1].excluded or all(not s.excluded for s in ranking)
    soc = entry(answers, "social_outcomes_contract")
    assert soc.excluded
    assert [s.excluded for s in ranking] == sorted(s.excluded for s in ranking)


def test_a_reservation_for_welfare_services_is_out_for_other_services():
    answers = {"reserved_qualification": "ideburen_registered", "service_kind": "other_service"}
    assert "reserved_welfare_only" in entry(answers, "reserved_procurement").exclusion_reasons
    assert not entry({"reserved_qualification": "ideburen_registered"}, "reserved_procurement").excluded


def test_an_unanswered_question_never_triggers_a_knock_out():
    assert not any(s.excluded for s in score_instruments({}))


def test_traditional_procurement_is_never_knocked_out_so_there_is_always_a_first_choice():
    assert all(rule.instrument != "traditional_procurement" for rule in load_questionnaire().knockouts)


# --- legal screens ----------------------------------------------------------------------------------

def test_buying_a_social_service_shows_the_procurement_duty_with_the_social_services_limit():
    rec = recommend({"provider": "ideburen", "service_kind": "social_service", "volume_msek": 3})
    notes = {n["id"]: n for n in recommendation_to_json(rec, "sv")["legal_notes"]}
    assert {"procurement_obligation", "reserved_procurement", "iop_criteria", "state_aid"} <= set(notes)
    text = notes["procurement_obligation"]["text"]
    assert "19 kap." in text
    assert "8\u00a0109\u00a0450" in text
    assert "3\u00a0000\u00a0000" in text
    assert all(n["sources"] for n in notes.values())


def test_in_house_delivery_is_screened_as_no_procurement():
    ids = [n.id for n in recommend({"provider": "public_internal"}).legal_notes]
    assert "in_house" in ids
    assert "procurement_obligation" not in ids


def test_an_effect_after_four_years_raises_the_contract_length_note():
    assert "contract_length" in [n.id for n in recommend({"time_to_effect_years": 4}).legal_notes]
    assert "contract_length" not in [n.id for n in recommend({"time_to_effect_years": 3.5}).legal_notes]


def test_the_result_says_it_is_guidance_not_legal_advice_in_both_languages():
    assert "inte juridisk rådgivning" in recommendation_to_json(recommend({}), "sv")["disclaimer"]
    assert "not legal advice" in recommendation_to_json(recommend({}), "en")["disclaimer"]


# --- stability, confidence, what would change -----------------------------------------------------

def test_answering_nothing_gives_a_result_with_low_confidence_and_no_error():
    rec = recommend({})
    assert len(rec.ranking) == 8
    assert all(s.score == 50 for s in rec.ranking)
    assert rec.answered == 0
    assert rec.confidence == "low"
    assert rec.stability == 0.0  # all tied: nothing is ever strictly first
    assert "0 av 19" in recommendation_to_json(rec, "sv")["confidence_text"]


def test_a_clear_lead_is_stable_and_a_near_tie_is_not():
    assert stability(PERSONAS["social_bond"]) == 1.0
    near = {"purpose": "test_new_method", "outcome_measurability": "before_after", "provider": "ideburen",
            "external_capital": "possible"}
    assert 0.0 < stability(near) < 1.0


def test_stability_is_the_same_for_the_same_answers():
    near = {"purpose": "test_new_method", "outcome_measurability": "before_after", "provider": "ideburen"}
    assert stability(near) == stability(dict(near))


def test_measuring_against_a_comparison_group_would_put_the_social_outcomes_contract_first():
    answers = dict(PERSONAS["social_outcomes_contract"], outcome_measurability="before_after")
    rec = recommend(answers)
    assert rec.first != "social_outcomes_contract"
    change = next(c for c in rec.changes if c.question == "outcome_measurability")
    assert (change.option, change.instrument) == ("comparison_group", "social_outcomes_contract")
    assert change_text(change, "sv").startswith(
        "Om ni kan mäta mot en jämförelsegrupp går Socialt utfallskontrakt (SIB) upp till första plats")
    assert change_text(change, "en").startswith("If you can measure against a comparison group, Social outcomes")


def test_each_reported_change_really_changes_the_first_choice():
    for persona in PERSONAS.values():
        rec = recommend(persona)
        assert len(rec.changes) <= 2
        for change in rec.changes:
            changed = dict(persona) | {change.question: change.answer}
            assert score_instruments(changed)[0].instrument == change.instrument != rec.first


# --- properties --------------------------------------------------------------------------------------

def _answer(question):
    if question.kind == "choice":
        return st.sampled_from(question.options)
    return st.floats(question.minimum, question.maximum, allow_nan=False)


ANSWER_SETS = st.fixed_dictionaries({}, optional={q.id: _answer(q) for q in load_questionnaire().questions})


@settings(max_examples=150, deadline=None)
@given(ANSWER_SETS)
def test_an_excluded_instrument_is_never_first_and_scores_stay_within_0_and_100(answers):
    ranking = score_instruments(answers)
    assert not ranking[0].excluded
    assert all(0.0 <= s.score <= 100.0 for s in ranking)
    assert sorted(s.instrument for s in ranking) == sorted(INSTRUMENTS)


@settings(max_examples=25, deadline=None)
@given(ANSWER_SETS)
def test_the_same_answers_give_the_same_result(answers):
    assert recommend(answers) == recommend(dict(answers))


@settings(max_examples=25, deadline=None)
@given(ANSWER_SETS)
def test_stability_is_a_share_and_confidence_a_known_level(answers):
    rec = recommend(answers, draws=200)
    assert 0.0 <= rec.stability <= 1.0
    assert rec.confidence in ("low", "medium", "high")
    if rec.answered < rec.questions / 2:
        assert rec.confidence == "low"


@settings(max_examples=50, deadline=None)
@given(ANSWER_SETS)
def test_an_answer_set_survives_a_round_trip_through_its_file_form(answers):
    assert parse_answers(json.loads(json.dumps(answers_to_dict(answers)))) == dict(answers.items())


# --- bad answers -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("answers", "path", "code"), [
    ({"colour": "red"}, "answers.colour", "unknown_question"),
    ({"purpose": "win"}, "answers.purpose", "unknown_option"),
    ({"purpose": 3}, "answers.purpose", "unknown_option"),
    ({"volume_msek": -1}, "answers.volume_msek", "out_of_range"),
    ({"timeline_months": 121}, "answers.timeline_months", "out_of_range"),
    ({"volume_msek": "12"}, "answers.volume_msek", "not_a_number"),
    ({"volume_msek": float("nan")}, "answers.volume_msek", "not_a_number"),
    ({"volume_msek": float("inf")}, "answers.volume_msek", "not_a_number"),
    ({"volume_msek": True}, "answers.volume_msek", "not_a_number"),
    ({"org_capacity": False}, "answers.org_capacity", "unknown_option"),
])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_bad_answer_is_refused_at_its_question(answers, path, code, lang):
    with pytest.raises(AnswersError) as caught:
        parse_answers({"answers": answers}, lang)
    assert [(p.path, p.code) for p in caught.value.problems] == [(path, code)]
    assert not caught.value.problems[0].message.startswith("questionnaire.")


def test_every_bad_answer_is_reported_not_only_the_first():
    with pytest.raises(InputError) as caught:
        parse_answers({"answers": {"colour": 1, "purpose": "x", "volume_msek": "y"}}, "en")
    assert len(caught.value.problems) == 3


def test_the_out_of_range_message_names_the_limits_in_swedish_format():
    with pytest.raises(AnswersError) as caught:
        parse_answers({"answers": {"volume_msek": 200000}}, "sv")
    assert "100\u00a0000" in caught.value.problems[0].message


@pytest.mark.parametrize(("source", "code"), [
    ("[1, 2]", "not_an_object"), ("{not json", "not_json"), ('{"answers": {"volume_msek": NaN}}', "not_json"),
    ("{}", "answers"), ('{"answers": []}', "answers"), ('{"answers": {}, "extra": 1}', "unknown_field"),
    ('{"format": "other/1", "answers": {}}', "format"), (b"\xff\xfe", "not_json"), ("x" * 300_000, "too_large"),
])
def test_a_malformed_file_is_refused_with_a_message(source, code):
    with pytest.raises(AnswersError) as caught:
        parse_answers(source, "sv")
    assert code in [p.code for p in caught.value.problems]


def test_null_means_unanswered():
    assert parse_answers({"answers": {"purpose": None, "volume_msek": None}}) == {}


# --- the data -------------------------------------------------------------------------------------

def test_every_dimension_of_the_design_is_asked_with_exactly_its_options():
    questions = {q.id: q for q in load_questionnaire().questions}
    for qid, options in DESIGN_DIMENSIONS.items():
        assert qid in questions
        if options is None:
            assert questions[qid].kind == "number"
        else:
            assert list(questions[qid].options) == options
    assert {q.id for q in questions.values() if not q.extra} == set(DESIGN_DIMENSIONS)


def test_the_scored_instruments_are_the_design_ids():
    assert load_questionnaire().instruments == INSTRUMENTS


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_text_the_questionnaire_refers_to_exists(lang):
    texts = catalog(lang)
    q = load_questionnaire()
    needed = []
    for qi, question in enumerate(q.questions):
        needed += [f"questionnaire.q.{question.id}", f"questionnaire.q.{question.id}.help"]
        for oi, option in enumerate(question.options):
            needed += [f"questionnaire.q.{question.id}.o.{option}", f"questionnaire.q.{question.id}.if.{option}"]
            if (q.weights[qi, oi] > 0).any():
                needed.append(f"questionnaire.q.{question.id}.why.{option}")
            if (q.weights[qi, oi] < 0).any():
                needed.append(f"questionnaire.q.{question.id}.whynot.{option}")
        if question.kind == "number":
            needed.append(f"questionnaire.q.{question.id}.unit")
    needed += [f"questionnaire.ko.{rule.id}" for rule in q.knockouts]
    needed += [f"questionnaire.legal.{s.id}.{part}" for s in q.legal_screens for part in ("title", "text")]
    needed += [f"catalogue.{i}.name" for i in q.instruments]
    needed += [f"questionnaire.confidence.{level}" for level in ("low", "medium", "high")]
    assert [key for key in needed if key not in texts] == []


def test_bands_are_ordered_and_each_example_lies_in_its_band():
    for question in load_questionnaire().questions:
        if question.kind != "number":
            continue
        bounds = [b.below for b in question.bands[:-1]]
        assert bounds == sorted(bounds)
        assert question.bands[-1].below is None
        for band in question.bands:
            assert question.minimum <= band.example <= question.maximum
            assert question.band_of(band.example) == band.id


def test_the_assumed_bond_volume_is_labelled_as_an_assumption():
    assert "Antagande:" in catalog("sv")["questionnaire.ko.bond_needs_volume"]
    assert "Assumption:" in catalog("en")["questionnaire.ko.bond_needs_volume"]


def test_the_direct_award_limits_quoted_are_the_sourced_ones():
    # 700 000 kr (LOU, from 1 Feb 2022) and 8 109 450 kr (social services, 2024-25): reference data 1.6, 1.11.
    text = recommendation_to_json(recommend({"provider": "unknown"}), "en")["legal_notes"][0]["text"]
    assert re.search(r"700,000", text)
    assert re.search(r"8,109,450", text)
