"""Pooling a workshop's estimates: the trimmed envelope, by hand and by its properties."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.workshop.pooling import Estimate, Pooled, estimate_problems, left_out_each_side, pool_estimates
from engine.workshop.roles import ROLES, is_role

# --- by hand ---------------------------------------------------------------------------------------

def test_one_participant_is_taken_as_given():
    assert pool_estimates([Estimate(10, 20, 30)]) == Pooled(10, 20, 30, 1, 0)


def test_two_participants_span_both_ranges_with_the_middle_most_likely():
    pooled = pool_estimates([Estimate(10, 12, 14, "kommun"), Estimate(30, 32, 34, "region")])
    assert pooled == Pooled(10, 22, 34, 2, 0)


def test_nobody_gives_nothing():
    assert pool_estimates([]) is None


def test_below_ten_nobody_is_left_out():
    group = [Estimate(40, 50, 60)] * 8 + [Estimate(5, 8, 200)]
    assert pool_estimates(group) == Pooled(5, 50, 200, 9, 0)


def test_in_a_group_of_ten_one_outlier_sets_neither_end():
    group = [Estimate(40 + i, 50 + i, 60 + i) for i in range(9)] + [Estimate(1, 2, 500)]
    # Lows 1, 40..48: the second smallest is 40. Highs 500, 68..60: the second largest is 68.
    # Most likely 2, 50..58: the middle two are 53 and 54.
    assert pool_estimates(group) == Pooled(40, 53.5, 68, 10, 1)


def test_twenty_participants_leave_two_out_on_each_side():
    group = [Estimate(i, 100, 200 + i) for i in range(20)]
    # Lows 0..19: the third smallest is 2. Highs 219..200: the third largest is 217.
    assert pool_estimates(group) == Pooled(2, 100, 217, 20, 2)


def test_an_odd_group_takes_the_middle_most_likely():
    assert pool_estimates([Estimate(0, 1, 9), Estimate(0, 7, 9), Estimate(0, 3, 9)]) == Pooled(0, 3, 9, 3, 0)


def test_the_share_left_out_is_a_tenth_rounded_down():
    assert [left_out_each_side(n) for n in (1, 2, 9, 10, 11, 19, 20, 29, 30, 300)] == [0, 0, 0, 1, 1, 1, 2, 2, 3, 30]


def test_an_invalid_estimate_is_refused():
    with pytest.raises(ValueError, match="ordered"):
        pool_estimates([Estimate(10, 20, 30), Estimate(30, 20, 10)])
    with pytest.raises(ValueError, match="finite"):
        pool_estimates([Estimate(10, math.inf, math.inf)])


def test_huge_most_likely_values_do_not_overflow_the_median():
    big = 1.7e308
    pooled = pool_estimates([Estimate(0, big, big), Estimate(0, big, big)])
    assert pooled is not None
    assert pooled.most_likely == big


# --- estimate_problems -----------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "bounds", "problems"), [
    ((10, 20, 30), (None, None), []),
    ((10, 10, 10), (10, 10), []),
    ((0, 0, 0), (0, None), []),
    ((20, 10, 30), (None, None), ["order"]),
    ((10, 30, 20), (None, None), ["order"]),
    ((30, 20, 10), (0, 100), ["order"]),
    ((-1, 0, 1), (0, None), ["below_minimum"]),
    ((1, 2, 101), (None, 100), ["above_maximum"]),
    ((-1, 2, 101), (0, 100), ["below_minimum", "above_maximum"]),
    ((5, -1, 4), (0, None), ["order", "below_minimum"]),  # the most likely value is checked too
    ((math.nan, 1, 2), (None, None), ["not_finite"]),
    ((1, 2, math.inf), (0, 100), ["not_finite"]),
    ((-math.inf, 1, 2), (0, 100), ["not_finite"]),
])
def test_estimate_problems(values, bounds, problems):
    assert estimate_problems(*values, *bounds) == problems


def test_the_bounds_may_be_left_out():
    assert estimate_problems(1, 2, 3) == []


# --- roles -----------------------------------------------------------------------------------------

def test_roles():
    assert ROLES == ("kommun", "region", "ideburen", "investerare", "utforare", "staten", "annan")
    assert all(is_role(r) for r in ROLES)
    assert not any(is_role(v) for v in ("", "KOMMUN", "idéburen", "kommun ", 1, None))
    assert Estimate(1, 2, 3).role == "annan"


# --- properties ------------------------------------------------------------------------------------

_VALUE = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


@st.composite
def _estimate(draw):
    low, most_likely, high = sorted(draw(st.lists(_VALUE, min_size=3, max_size=3)))
    return Estimate(low, most_likely, high, draw(st.sampled_from(ROLES)))


_GROUPS = st.lists(_estimate(), min_size=1, max_size=60)
_SETTINGS = settings(max_examples=150, deadline=None)


def _median(values):
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


@_SETTINGS
@given(_GROUPS)
def test_the_pooled_estimate_is_ordered_and_counts_everyone(group):
    pooled = pool_estimates(group)
    assert pooled is not None
    assert pooled.low <= pooled.most_likely <= pooled.high
    assert estimate_problems(pooled.low, pooled.most_likely, pooled.high) == []
    assert pooled.participants == len(group)
    assert pooled.left_out_each_side == len(group) // 10


@_SETTINGS
@given(_estimate(), st.integers(1, 60))
def test_a_unanimous_group_gets_its_own_estimate(estimate, n):
    pooled = pool_estimates([estimate] * n)
    assert pooled is not None
    assert (pooled.low, pooled.most_likely, pooled.high) == (estimate.low, estimate.most_likely, estimate.high)


@_SETTINGS
@given(_GROUPS, st.randoms(use_true_random=False))
def test_the_order_of_the_participants_does_not_matter(group, rnd):
    shuffled = list(group)
    rnd.shuffle(shuffled)
    assert pool_estimates(shuffled) == pool_estimates(group)


@_SETTINGS
@given(_GROUPS)
def test_the_range_lies_between_the_extremes_and_the_middle(group):
    pooled = pool_estimates(group)
    assert pooled is not None
    lows, highs, likely = [e.low for e in group], [e.high for e in group], [e.most_likely for e in group]
    # Disagreement widens: the range reaches at least as far as the middle participant's ends ...
    assert min(lows) <= pooled.low <= _median(lows)
    assert _median(highs) <= pooled.high <= max(highs)
    # ... and the most likely value is a middle one.
    assert min(likely) <= pooled.most_likely <= max(likely)


@_SETTINGS
@given(st.lists(_estimate(), min_size=1, max_size=9))
def test_below_ten_the_range_holds_every_participants_range(group):
    pooled = pool_estimates(group)
    assert pooled is not None
    assert pooled.low == min(e.low for e in group)
    assert pooled.high == max(e.high for e in group)


@_SETTINGS
@given(st.lists(_estimate(), min_size=9, max_size=60), _estimate())
def test_from_ten_up_one_outlier_cannot_set_the_range(others, outlier):
    pooled = pool_estimates([*others, outlier])
    assert pooled is not None
    # However extreme the outlier, both ends stay within what the others said.
    assert min(e.low for e in others) <= pooled.low <= max(e.low for e in others)
    assert min(e.high for e in others) <= pooled.high <= max(e.high for e in others)


@_SETTINGS
@given(_GROUPS)
def test_joining_with_the_pooled_estimate_changes_nothing(group):
    # Adding a participant who says exactly what the group said never widens (nor moves) the range,
    # also when the newcomer makes the group reach the next multiple of ten and one more is left out.
    pooled = pool_estimates(group)
    assert pooled is not None
    again = pool_estimates([*group, Estimate(pooled.low, pooled.most_likely, pooled.high)])
    assert again is not None
    assert (again.low, again.most_likely, again.high) == (pooled.low, pooled.most_likely, pooled.high)


@_SETTINGS
@given(_GROUPS, st.data())
def test_raising_one_estimate_never_lowers_the_pooled_one(group, data):
    index = data.draw(st.integers(0, len(group) - 1))
    shift = data.draw(st.floats(0, 1e9))
    raised = list(group)
    e = group[index]
    raised[index] = Estimate(e.low + shift, e.most_likely + shift, e.high + shift, e.role)
    before, after = pool_estimates(group), pool_estimates(raised)
    assert before is not None
    assert after is not None
    assert after.low >= before.low
    assert after.most_likely >= before.most_likely
    assert after.high >= before.high
