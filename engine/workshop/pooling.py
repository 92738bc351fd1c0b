"""Turning a group's estimates of one scenario input into a single low / most likely / high.

In an estimate round each participant gives three numbers for one input of the scenario (in that
input's own unit: SEK, a share, a number of people, ...): the lowest value they find credible, the
most likely one and the highest credible one. A participant may also skip the round.

**The rule: a trimmed envelope.** With ``n`` participants, ``k = floor(n / 10)`` of them are left
out on each side. The pooled low is the ``(k + 1)``-th smallest low, the pooled high the
``(k + 1)``-th largest high, and the pooled most likely value is the median of the participants'
most likely values (the mean of the two middle ones when ``n`` is even). It is easy to say to a
room ("the range everyone's ranges cover, except the most extreme tenth on each side, and the
middle most-likely value"), and it behaves as a group expects:

* when everybody gives the same three numbers, those numbers come back unchanged;
* when people disagree, the range widens to hold their different views (below ten participants
  nobody is left out, so the pooled range is the span from the smallest low to the largest high);
* in a group of ten or more, one participant far from the others cannot set the range alone.

The rule is kept because it can be explained; it is not a statistical model of the inputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    """One participant's answer in an estimate round, in the unit of the input being estimated."""

    low: float
    most_likely: float
    high: float
    role: str = "annan"  # see engine.workshop.roles.ROLES


@dataclass(frozen=True)
class Pooled:
    """The group's estimate: ``participants`` estimates pooled, ``left_out_each_side`` of them
    ignored at each end of the range (see the module's docstring)."""

    low: float
    most_likely: float
    high: float
    participants: int
    left_out_each_side: int


def estimate_problems(low: float, most_likely: float, high: float,
                      minimum: float | None = None, maximum: float | None = None) -> list[str]:
    """What is wrong with one estimate, as problem codes; an empty list means it can be pooled.

    The codes, in this order: ``"order"`` (the numbers are not ``low <= most_likely <= high``),
    ``"below_minimum"`` (a number is below ``minimum``), ``"above_maximum"`` (a number is above
    ``maximum``). ``"not_finite"`` (a NaN or an infinity among the three) comes alone, since the
    other checks mean nothing then. ``minimum`` and ``maximum`` are the input's own bounds, in its
    unit, inclusive; ``None`` means unbounded on that side.

    >>> estimate_problems(10, 20, 30, minimum=0, maximum=100)
    []
    >>> estimate_problems(30, 20, 10, minimum=0, maximum=None)
    ['order']
    >>> estimate_problems(-5, 20, 130, minimum=0, maximum=100)
    ['below_minimum', 'above_maximum']
    >>> estimate_problems(10, float("nan"), 30, minimum=None, maximum=None)
    ['not_finite']
    """
    values = (low, most_likely, high)
    if not all(math.isfinite(v) for v in values):
        return ["not_finite"]
    problems = []
    if not low <= most_likely <= high:
        problems.append("order")
    if minimum is not None and min(values) < minimum:
        problems.append("below_minimum")
    if maximum is not None and max(values) > maximum:
        problems.append("above_maximum")
    return problems


def left_out_each_side(participants: int) -> int:
    """How many of ``participants`` estimates are ignored at each end of the pooled range: a tenth,
    rounded down.

    >>> [left_out_each_side(n) for n in (1, 9, 10, 19, 20, 125)]
    [0, 0, 1, 1, 2, 12]
    """
    return participants // 10


def pool_estimates(estimates: Sequence[Estimate]) -> Pooled | None:
    """The group's low / most likely / high by the trimmed envelope (see the module's docstring);
    ``None`` when nobody gave an estimate. The unit is the one the estimates are in.

    **Why the result is always ordered.** Write ``L(j)`` for the ``j``-th smallest low and ``M(j)``
    for the ``j``-th smallest most likely value. Every participant has ``low <= most_likely``, so
    ``L(j) <= M(j)`` for every ``j`` (the ``j`` participants with the smallest most likely values
    have ``j`` lows no larger). As ``k + 1 <= ceil(n / 2)`` for all ``n >= 1`` (``k = 0`` below ten;
    ``n / 10 + 1 <= n / 2`` from ten up), the pooled low ``L(k + 1) <= M(k + 1) <= M(ceil(n / 2))``,
    which is at most the median. The same argument from the top shows that the median is at most
    the pooled high. (The mean of the two middle values is computed so that it stays between them.)

    Raises ``ValueError`` for an estimate that is not finite and ordered (see
    :func:`estimate_problems`). Sorting makes it O(n log n).

    One participant is taken as they are; two who disagree give a range spanning both, with the
    middle of their most likely values:

    >>> pool_estimates([Estimate(10, 20, 30)])
    Pooled(low=10.0, most_likely=20.0, high=30.0, participants=1, left_out_each_side=0)
    >>> pool_estimates([Estimate(10, 12, 14, "kommun"), Estimate(30, 32, 34, "region")])
    Pooled(low=10.0, most_likely=22.0, high=34.0, participants=2, left_out_each_side=0)

    In a group of ten, one participant is left out on each side, so one outlier (here 5 / 8 / 200
    among nine who say 40 / 50 / 60) moves neither end of the range, nor the median:

    >>> group = [Estimate(40, 50, 60)] * 9 + [Estimate(5, 8, 200)]
    >>> pool_estimates(group)
    Pooled(low=40.0, most_likely=50.0, high=60.0, participants=10, left_out_each_side=1)
    >>> pool_estimates([])
    """
    if not estimates:
        return None
    for estimate in estimates:
        if estimate_problems(estimate.low, estimate.most_likely, estimate.high):
            raise ValueError(f"cannot pool an estimate that is not finite and ordered: {estimate}")
    n = len(estimates)
    k = left_out_each_side(n)
    lows = sorted(float(e.low) for e in estimates)
    highs = sorted((float(e.high) for e in estimates), reverse=True)
    likely = sorted(float(e.most_likely) for e in estimates)
    return Pooled(lows[k], _median_of_sorted(likely), highs[k], n, k)


def _median_of_sorted(values: Sequence[float]) -> float:
    """The middle value of a non-empty sorted sequence, or the mean of the two middle ones."""
    n = len(values)
    if n % 2:
        return values[n // 2]
    a, b = values[n // 2 - 1], values[n // 2]
    # With round-to-nearest, fl(a + b) / 2 lies in [a, b] unless the sum overflows; halving first
    # cannot overflow, and is exact for numbers that large.
    total = a + b
    return total / 2 if math.isfinite(total) else a / 2 + b / 2
