"""Where a workshop's roles disagree on the questionnaire, the group's answers and first choices."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.questionnaire.scoring import load_questionnaire, recommend
from engine.workshop.disagreement import QuestionSpread, first_choices, group_answers, role_disagreement, spreads
from engine.workshop.roles import ROLES

QUESTIONNAIRE = load_questionnaire()
QUESTION_IDS = [q.id for q in QUESTIONNAIRE.questions]


def _spread(result, question):
    return next(s for s in result if s.question == question)


# --- role_disagreement by hand ---------------------------------------------------------------------

@pytest.mark.parametrize(("by_role", "expected"), [
    ({"kommun": {"a": 3}, "region": {"b": 1}}, 1.0),
    ({"kommun": {"a": 2}, "region": {"a": 1, "b": 1}}, 0.5),
    ({"kommun": {"a": 1, "b": 1}, "region": {"a": 3, "b": 3}}, 0.0),
    # shares 3/4, 1/4 against 1/4, 3/4: half of (1/2 + 1/2)
    ({"kommun": {"a": 3, "b": 1}, "region": {"a": 1, "b": 3}}, 0.5),
    # pairs: kommun/region 1, kommun/staten 1/2, region/staten 1/2 -> 2/3
    ({"kommun": {"a": 2}, "region": {"b": 2}, "staten": {"a": 1, "b": 1}}, 2 / 3),
])
def test_role_disagreement(by_role, expected):
    assert role_disagreement(by_role) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("by_role", [
    {"kommun": {"a": 5}},
    {},
    # a role whose counts are all zero has not answered
    {"kommun": {"a": 1}, "region": {"b": 0}},
])
def test_fewer_than_two_roles_answering_is_no_measure_not_agreement(by_role):
    assert role_disagreement(by_role) is None


# --- spreads ---------------------------------------------------------------------------------------

def test_two_roles_that_answer_apart_disagree_fully():
    result = spreads([("kommun", {"risk_transfer": "wanted"}), ("kommun", {"risk_transfer": "wanted"}),
                      ("region", {"risk_transfer": "not_wanted"})])
    assert result[0] == QuestionSpread("risk_transfer", {"kommun": {"wanted": 2}, "region": {"not_wanted": 1}},
                                       {"wanted": 2, "not_wanted": 1}, 3, 1.0)


def test_half_overlap_gives_one_half():
    result = spreads([("kommun", {"purpose": "test_new_method"}), ("kommun", {"purpose": "test_new_method"}),
                      ("region", {"purpose": "test_new_method"}), ("region", {"purpose": "buy_known_service"})])
    spread = _spread(result, "purpose")
    assert spread.disagreement == 0.5
    assert spread.by_role == {"kommun": {"test_new_method": 2}, "region": {"test_new_method": 1, "buy_known_service": 1}}
    assert spread.overall == {"test_new_method": 3, "buy_known_service": 1}
    assert spread.answered == 4


def test_number_answers_are_counted_by_their_band():
    result = spreads([("kommun", {"time_to_effect_years": 1.0}), ("region", {"time_to_effect_years": 1.9}),
                      ("staten", {"time_to_effect_years": 2.0}), ("staten", {"time_to_effect_years": 25})])
    spread = _spread(result, "time_to_effect_years")
    assert spread.by_role == {"kommun": {"short": 1}, "region": {"short": 1}, "staten": {"medium": 1, "long": 1}}
    assert spread.overall == {"short": 2, "medium": 1, "long": 1}
    # kommun/region 0, kommun/staten 1, region/staten 1
    assert spread.disagreement == pytest.approx(2 / 3)


def test_a_band_follows_the_participants_own_other_answers():
    # 5 MSEK is under the direct-award limit for a social service, but a "small" effort otherwise.
    result = spreads([("kommun", {"volume_msek": 5, "service_kind": "social_service"}),
                      ("region", {"volume_msek": 5})])
    spread = _spread(result, "volume_msek")
    assert spread.by_role == {"kommun": {"below_direct_award": 1}, "region": {"small": 1}}
    assert spread.disagreement == 1.0


def test_unanswered_and_unknown_questions_are_skipped():
    result = spreads([("kommun", {"purpose": None, "colour": "red"}), ("region", {"purpose": "test_new_method"})])
    spread = _spread(result, "purpose")
    assert spread.by_role == {"region": {"test_new_method": 1}}
    assert spread.answered == 1
    assert spread.disagreement is None
    assert not spread.measurable
    assert "colour" not in {s.question for s in result}


def test_roles_and_options_are_listed_in_a_fixed_order():
    result = spreads([("annan", {"risk_transfer": "not_wanted"}), ("ny_roll", {"risk_transfer": "neutral"}),
                      ("kommun", {"risk_transfer": "not_wanted"}), ("kommun", {"risk_transfer": "wanted"})])
    spread = _spread(result, "risk_transfer")
    assert list(spread.by_role) == ["kommun", "annan", "ny_roll"]  # ROLES order, unknown names last
    assert list(spread.by_role["kommun"]) == ["wanted", "not_wanted"]  # the question's option order
    assert list(spread.overall) == ["wanted", "neutral", "not_wanted"]


def test_the_most_disputed_come_first_and_ties_keep_the_questionnaire_order():
    result = spreads([("kommun", {"own_funds": "none", "purpose": "test_new_method", "provider": "ideburen",
                                  "evidence_level": "proven"}),
                      ("region", {"own_funds": "set_aside", "purpose": "buy_known_service", "provider": "ideburen",
                                  "evidence_level": "proven"}),
                      ("region", {"own_funds": "none", "provider": "unknown"})])
    # purpose 1.0 (asked before own_funds), own_funds 0.5 and provider 0.5 (provider asked first),
    # evidence_level 0 (both roles alike), then the unanswered ones.
    assert [s.question for s in result[:4]] == ["purpose", "provider", "own_funds", "evidence_level"]
    assert [s.disagreement for s in result[:4]] == [1.0, 0.5, 0.5, 0.0]
    rest = [s.question for s in result[4:]]
    assert rest == [q for q in QUESTION_IDS if q not in ("purpose", "provider", "own_funds", "evidence_level")]


def test_a_question_one_role_answered_comes_after_every_measured_one():
    result = spreads([("kommun", {"purpose": "test_new_method", "own_funds": "none", "risk_transfer": "wanted"}),
                      ("kommun", {"purpose": "buy_known_service"}),
                      ("region", {"risk_transfer": "wanted"})])
    # risk_transfer: both roles alike, 0; purpose and own_funds: only the kommun, however split it is.
    assert [(s.question, s.disagreement) for s in result[:3]] == [
        ("risk_transfer", 0.0), ("purpose", None), ("own_funds", None)]
    assert all(s.answered == 0 for s in result[3:])


def test_nobody_gives_one_empty_spread_per_question():
    result = spreads([])
    assert [s.question for s in result] == QUESTION_IDS
    assert all(s == QuestionSpread(s.question, {}, {}, 0, None) for s in result)
    assert [s.question for s in spreads([("kommun", {})])] == QUESTION_IDS


# --- group_answers ---------------------------------------------------------------------------------

def test_the_group_takes_the_most_common_option():
    group = group_answers([("kommun", {"risk_transfer": "wanted"}), ("region", {"risk_transfer": "wanted"}),
                           ("staten", {"risk_transfer": "neutral"})])
    assert group == {"risk_transfer": "wanted"}


def test_a_plurality_is_enough():
    answers = ["wanted", "wanted", "neutral", "not_wanted", "not_wanted", "wanted"]
    assert group_answers([("kommun", {"risk_transfer": a}) for a in answers]) == {"risk_transfer": "wanted"}


@pytest.mark.parametrize("given", [["wanted", "neutral"], ["wanted", "neutral", "not_wanted"],
                                   ["wanted", "neutral", "neutral", "wanted", "not_wanted"]])
def test_a_tie_leaves_the_question_unanswered(given):
    assert group_answers([("kommun", {"risk_transfer": a}) for a in given]) == {}


def test_a_number_question_gets_the_median():
    def group(*years):
        return group_answers([("kommun", {"time_to_effect_years": y}) for y in years])

    assert group(3) == {"time_to_effect_years": 3.0}
    assert group(1, 10, 3) == {"time_to_effect_years": 3.0}
    assert group(1, 10, 3, 4) == {"time_to_effect_years": 3.5}  # the two middle ones, 3 and 4


def test_group_answers_come_in_questionnaire_order_and_recommend_accepts_them():
    group = group_answers([("kommun", {"timeline_months": 12, "purpose": "test_new_method", "colour": "red"}),
                           ("region", {"purpose": "test_new_method", "provider": None})])
    assert list(group) == ["purpose", "timeline_months"]
    assert recommend(group, draws=10).answered == 2


def test_an_empty_workshop_has_no_answers():
    assert group_answers([]) == {}
    assert group_answers([("kommun", {}), ("region", {"purpose": None})]) == {}


# --- first_choices ---------------------------------------------------------------------------------

def test_first_choices_count_each_participants_own_first_choice():
    wants_sic = {"purpose": "test_new_method", "risk_transfer": "wanted"}
    buys = {"purpose": "buy_known_service", "risk_transfer": "not_wanted"}
    workshop = [("kommun", wants_sic), ("region", buys), ("staten", wants_sic), ("annan", {}),
                ("utforare", {"purpose": None})]
    # The same first choice as recommend() reports, without its stability and what-would-change work.
    assert recommend(wants_sic, draws=10).first == "social_outcomes_contract"
    assert recommend(buys, draws=10).first == "traditional_procurement"
    assert first_choices(workshop) == {"social_outcomes_contract": 2, "traditional_procurement": 1}


def test_first_choices_of_nobody():
    assert first_choices([]) == {}
    assert first_choices([("kommun", {}), ("region", {"colour": "red"})]) == {}


def test_first_choices_list_the_most_frequent_first_then_the_catalogue_order():
    wants_sic = {"purpose": "test_new_method", "risk_transfer": "wanted"}
    buys = {"purpose": "buy_known_service", "risk_transfer": "not_wanted"}
    assert list(first_choices([("kommun", wants_sic), ("region", buys), ("staten", buys)])) == [
        "traditional_procurement", "social_outcomes_contract"]
    order = list(QUESTIONNAIRE.instruments)
    tied = list(first_choices([("kommun", wants_sic), ("region", buys)]))
    assert tied == sorted(tied, key=order.index)


# --- properties ------------------------------------------------------------------------------------

@st.composite
def _answers(draw):
    answers = {}
    for question in QUESTIONNAIRE.questions:
        if not draw(st.booleans()):
            continue
        if question.kind == "number":
            answers[question.id] = draw(st.floats(question.minimum, question.maximum))
        else:
            answers[question.id] = draw(st.sampled_from(question.options))
    return answers


_PARTICIPANT = st.tuples(st.sampled_from(ROLES), _answers())
_WORKSHOPS = st.lists(_PARTICIPANT, max_size=12)
_SETTINGS = settings(max_examples=60, deadline=None)


def _as_plain(result):
    # Order-sensitive view (dict equality alone ignores the order of the keys).
    return [(s.question, [(r, list(c.items())) for r, c in s.by_role.items()], list(s.overall.items()), s.answered,
             s.disagreement) for s in result]


@_SETTINGS
@given(_WORKSHOPS)
def test_disagreement_is_a_share_and_the_counts_add_up(workshop):
    result = spreads(workshop)
    assert sorted(s.question for s in result) == sorted(QUESTION_IDS)
    measured = [s.disagreement for s in result if s.disagreement is not None]
    assert all(0.0 <= d <= 1.0 for d in measured)
    assert measured == sorted(measured, reverse=True)
    # Measured first, then answered by one role only, then not answered.
    groups = [0 if s.measurable else 1 if s.answered else 2 for s in result]
    assert groups == sorted(groups)
    for s in result:
        assert s.answered == sum(s.overall.values()) == sum(sum(c.values()) for c in s.by_role.values())
        assert s.answered == sum(1 for _, a in workshop if a.get(s.question) is not None)
        assert all(c.values() and min(c.values()) > 0 for c in s.by_role.values())
        assert set(s.overall) <= set(QUESTIONNAIRE.question(s.question).options)
        assert s.measurable == (len(s.by_role) >= 2)


@_SETTINGS
@given(_WORKSHOPS, st.randoms(use_true_random=False))
def test_the_order_of_the_participants_does_not_matter(workshop, rnd):
    shuffled = list(workshop)
    rnd.shuffle(shuffled)
    assert _as_plain(spreads(shuffled)) == _as_plain(spreads(workshop))
    assert list(group_answers(shuffled).items()) == list(group_answers(workshop).items())


@settings(max_examples=15, deadline=None)
@given(st.lists(_PARTICIPANT, max_size=6), st.randoms(use_true_random=False))
def test_first_choices_ignore_the_order_and_count_everyone_who_answered(workshop, rnd):
    shuffled = list(workshop)
    rnd.shuffle(shuffled)
    counts = first_choices(workshop)
    assert first_choices(shuffled) == counts
    assert sum(counts.values()) == sum(1 for _, a in workshop if a)


@_SETTINGS
@given(st.lists(_answers(), min_size=1, max_size=5), st.lists(st.sampled_from(ROLES), min_size=1, unique=True),
       st.lists(st.integers(1, 3), min_size=7, max_size=7))
def test_roles_that_answer_alike_do_not_disagree(people, roles, copies):
    # Every role hears the same answer sets, each role a different number of times: same shares.
    workshop = [(role, answers) for role, times in zip(roles, copies, strict=False)
                for answers in people for _ in range(times)]
    assert all(s.disagreement == (0.0 if len(s.by_role) >= 2 else None) for s in spreads(workshop))


@_SETTINGS
@given(_WORKSHOPS)
def test_the_group_answer_is_a_most_common_one(workshop):
    group = group_answers(workshop)
    assert list(group) == [q for q in QUESTION_IDS if q in group]
    for question in QUESTIONNAIRE.questions:
        given = [a[question.id] for _, a in workshop if a.get(question.id) is not None]
        if question.kind == "number":
            assert (question.id in group) == bool(given)
            if given:
                assert min(given) <= group[question.id] <= max(given)
            continue
        counts = Counter(given).most_common()
        settled = bool(counts) and (len(counts) == 1 or counts[0][1] > counts[1][1])
        assert group.get(question.id) == (counts[0][0] if settled else None)
